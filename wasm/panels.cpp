// The ImGui panels: models and files on the left, the viewer in the middle,
// results / model card / privacy / help on the right, and the keyboard
// shortcuts the help lists.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "app.h"
#include "bridge.h"
#include "postprocess.h"
#include "reliability.h"

namespace {

const ImVec4 kWarn(1.0f, 0.75f, 0.3f, 1.0f);
const ImVec4 kBad(1.0f, 0.45f, 0.4f, 1.0f);
const ImVec4 kDim(0.65f, 0.65f, 0.7f, 1.0f);
const char* kNotice = "Research and teaching only. Not a medical device.";

struct Shortcut {
    const char* keys;
    const char* action;
};
const Shortcut kShortcuts[] = {
    {"O", "open image or DICOM files"},          {"D", "open a folder"},           {"Ctrl+V", "paste an image"},
    {"Up / Down", "previous / next file"}, {"1 .. 9", "choose model"},   {"F", "fit the image to the view"},
    {"Z", "actual size (1 image px = 1 screen px)"}, {"W", "next window preset"}, {"R", "reset window to the preset"},
    {"I", "invert"},                     {"H", "heat map on / off"},      {"E", "export results as CSV"},
    {"F1", "this help"},                 {"Wheel / left drag", "zoom / pan"}, {"Right drag", "window width (x) and level (y)"},
    {"V", "DICOM: next VOI preset of the file"}, {"PgUp / PgDn", "DICOM: previous / next frame"},
    {"+ / -", "larger / smaller text (for a projector)"}, {"A", "show / hide the raw output where a model gives no answer"},
};

// A size in px at ImGui's default 13 px font, at the current text scale.
float em(float px) { return px * ImGui::GetFontSize() / 13.0f; }

// Continues the line with a button labelled `label` if it fits, else starts a
// new line: a side panel is a quarter of the window wide.
void next_button_place(const char* label) {
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x) ImGui::NewLine();
}

// One label's test ROC curve: a dot at the slider's threshold, a ring at the
// operating point chosen on validation (if any). A click or drag on the plot
// moves the threshold to the curve's nearest point, so that an educator can
// walk along the curve and a clinician pick the trade-off by eye.
void roc_plot(App& app, const std::vector<rl::RocPoint>& roc, float* threshold, double validated) {
    const float side = std::min(ImGui::GetContentRegionAvail().x, em(180.0f));
    const ImVec2 corner = ImGui::GetCursorScreenPos();
    app.roc_plot[0] = corner.x, app.roc_plot[1] = corner.y, app.roc_plot[2] = side;
    ImGui::InvisibleButton("##roc", ImVec2(side, side));
    if (ImGui::IsItemActive()) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        *threshold = float(rl::roc_point_nearest(roc, (mouse.x - corner.x) / side, 1.0 - (mouse.y - corner.y) / side).threshold);
    }
    const auto at = [&](double fpr, double tpr) { return ImVec2(corner.x + float(fpr) * side, corner.y + float(1.0 - tpr) * side); };
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRect(at(0, 1), at(1, 0), ImGui::GetColorU32(kDim));
    draw->AddLine(at(0, 0), at(1, 1), ImGui::GetColorU32(ImGuiCol_Border));  // chance
    std::vector<ImVec2> curve{at(0, 0)};
    for (const rl::RocPoint& p : roc) curve.push_back(at(p.fpr, p.tpr));
    curve.push_back(at(1, 1));
    draw->AddPolyline(curve.data(), int(curve.size()), ImGui::GetColorU32(ImGuiCol_PlotLines), 0, 2.0f);
    if (validated >= 0.0) {
        const rl::RocPoint v = rl::roc_point_at(roc, validated);
        draw->AddCircle(at(v.fpr, v.tpr), em(7.0f), IM_COL32_WHITE, 0, 1.5f);
    }
    const rl::RocPoint mine = rl::roc_point_at(roc, *threshold);
    draw->AddCircleFilled(at(mine.fpr, mine.tpr), em(4.5f), ImGui::GetColorU32(kWarn));
    ImGui::PushTextWrapPos();
    ImGui::TextColored(kDim, "Test ROC: sensitivity up, 1 - specificity across. Dot: this threshold; ring: the operating point. "
                             "Click the curve to move the threshold.");
    ImGui::PopTextWrapPos();
}

std::string percent(double p) {
    char s[32];
    std::snprintf(s, sizeof s, "%.1f %%", 100.0 * p);
    return s;
}

void csv_export(const App& app) {
    bridge_download("radiolens-results.csv", queue_csv(app.queue, app.models), "text/csv");
}

void models_panel(App& app) {
    ImGui::TextUnformatted("Models");
    const Model* gate = models_gatekeeper(app.models);
    for (size_t i = 0; i < app.models.list.size(); ++i) {
        const Model& m = app.models.list[i];
        ImGui::PushID(int(i));
        if (m.state == ModelState::ready) {
            char label[96];
            std::snprintf(label, sizeof label, "%zu  %s", i + 1, m.name.c_str());
            if (ImGui::RadioButton(label, app.models.chosen == int(i))) app_choose_model(app, int(i));
            ImGui::PushTextWrapPos();
            ImGui::TextColored(kDim, "   %s", m.card.task.c_str());
            ImGui::TextColored(rl::reliability_judge(m.card).chance ? kWarn : kDim, "   %s", models_summary(m).c_str());
            ImGui::PopTextWrapPos();
        } else if (m.state == ModelState::loading) {
            ImGui::TextColored(kDim, "   %s: %s ...", m.name.c_str(), m.message.c_str());
        } else {
            ImGui::TextColored(kBad, "   %s: disabled", m.name.c_str());
            ImGui::PushTextWrapPos();
            ImGui::TextColored(kBad, "   %s", m.message.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::PopID();
    }
    if (app.models.list.empty()) ImGui::TextColored(kDim, "loading the model list ...");
    if (const Model* m = models_chosen(app.models)) {
        ImGui::PushTextWrapPos();
        ImGui::TextColored(kDim, "Backend %s, model load %.0f ms, last inference %.1f ms", m->backend.c_str(), m->load_ms,
                           m->last_latency_ms);
        ImGui::PopTextWrapPos();
    }
    if (!gate) ImGui::TextColored(kDim, "Image-kind check: %s", app.models.has_gatekeeper ? "waiting for its model" : "off");
}

void files_panel(App& app) {
    if (ImGui::Button("Open files (O)")) bridge_open_files();
    next_button_place("Open folder (D)");
    if (ImGui::Button("Open folder (D)")) bridge_open_folder();
    next_button_place("Export CSV (E)");
    if (ImGui::Button("Export CSV (E)")) csv_export(app);
    Queue& q = app.queue;
    const int finished = queue_finished(q);
    char progress[64];
    std::snprintf(progress, sizeof progress, "%d of %zu files", finished, q.items.size());
    ImGui::ProgressBar(q.items.empty() ? 0.0f : float(finished) / float(q.items.size()), ImVec2(-1, 0), progress);

    const Model* chosen = models_chosen(app.models);
    const int label_count = chosen ? int(chosen->card.labels.size()) : 0;
    const int shown_label = chosen ? std::clamp(app.heat_label, 0, label_count - 1) : 0;
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable;
    if (!ImGui::BeginTable("files", 3, flags, ImVec2(0, 0))) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("file", ImGuiTableColumnFlags_DefaultSort);
    ImGui::TableSetupColumn("result");
    ImGui::TableSetupColumn(chosen ? chosen->card.labels[size_t(shown_label)].c_str() : "p", ImGuiTableColumnFlags_PreferSortDescending);
    ImGui::TableHeadersRow();

    std::vector<int> order(q.items.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = int(i);
    if (const ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
        const int column = specs->Specs[0].ColumnIndex;
        const bool ascending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
        auto key_less = [&](int a, int b) {
            const Item &x = q.items[size_t(a)], &y = q.items[size_t(b)];
            if (column == 0) return x.path < y.path;
            if (column == 1) return item_result(x) < item_result(y);
            const float px = size_t(shown_label) < x.probs.size() ? x.probs[size_t(shown_label)] : -1.0f;
            const float py = size_t(shown_label) < y.probs.size() ? y.probs[size_t(shown_label)] : -1.0f;
            return px < py;
        };
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return ascending ? key_less(a, b) : key_less(b, a); });
    }
    for (int index : order) {
        const Item& it = q.items[size_t(index)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(index);
        if (ImGui::Selectable(it.path.c_str(), app.selected == index, ImGuiSelectableFlags_SpanAllColumns)) app_select(app, index);
        ImGui::PopID();
        ImGui::TableNextColumn();
        if (it.state == ItemState::failed) {
            ImGui::TextColored(kBad, "error");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", it.error.c_str());
        } else if (it.state == ItemState::done) {
            ImGui::TextColored(it.answer.decision == rl::kAbstain ? kWarn : ImVec4(1, 1, 1, 1), "%s", item_result(it).c_str());
            if (!it.answer.note.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", it.answer.note.c_str());
        } else {
            ImGui::TextColored(kDim, "%s", item_state_name(it.state));
        }
        ImGui::TableNextColumn();
        if (size_t(shown_label) < it.probs.size() && (it.answer.decision != rl::kAbstain || app.show_withheld))
            ImGui::Text("%.3f", it.probs[size_t(shown_label)]);
    }
    ImGui::EndTable();
}

// A DICOM file's own VOI presets (window, VOI LUT, min-max) and frames.
void dicom_toolbar(App& app) {
    DicomView& d = app.dicom;
    if (d.path.empty() || app.viewer.title != d.path) return;
    if (!d.presets.empty()) {
        ImGui::SetNextItemWidth(em(260));
        if (ImGui::BeginCombo("DICOM VOI (V)", d.presets[size_t(d.preset)].label.c_str())) {
            for (size_t i = 0; i < d.presets.size(); ++i)
                if (ImGui::Selectable(d.presets[i].label.c_str(), int(i) == d.preset)) d.preset = int(i), app_show_dicom(app);
            ImGui::EndCombo();
        }
    }
    if (d.image.header.frames > 1) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(180));
        int frame = d.frame + 1;
        if (ImGui::SliderInt("frame (PgUp/PgDn)", &frame, 1, d.image.header.frames)) d.frame = frame - 1, app_show_dicom(app);
    }
}

// The attributes a clinician checks; patient identifiers are never read.
void dicom_header_panel(const DicomView& d) {
    const rl::DicomHeader& h = d.image.header;
    if (!ImGui::CollapsingHeader("DICOM header", ImGuiTreeNodeFlags_DefaultOpen)) return;
    auto row = [](const char* name, const std::string& value) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextColored(kDim, "%s", name);
        ImGui::TableNextColumn();
        ImGui::TextWrapped("%s", value.empty() ? "-" : value.c_str());
    };
    char buf[96];
    if (ImGui::BeginTable("dicom", 2, ImGuiTableFlags_SizingStretchProp)) {
        row("Modality", h.modality);
        row("Body part", h.body_part);
        row("View", h.view_position + (h.laterality.empty() ? "" : " " + h.laterality));
        row("Series", h.series_description);
        row("Photometric", h.photometric_in_file);
        std::snprintf(buf, sizeof buf, "%d x %d, %d frame%s", h.columns, h.rows, h.frames, h.frames > 1 ? "s" : "");
        row("Size", buf);
        std::snprintf(buf, sizeof buf, "%d of %d, %s", h.bits_stored, h.bits_allocated, h.pixel_representation ? "signed" : "unsigned");
        row("Bits", buf);
        if (h.pixel_spacing_mm[0] > 0) std::snprintf(buf, sizeof buf, "%.4g x %.4g mm", h.pixel_spacing_mm[0], h.pixel_spacing_mm[1]);
        row("Pixel spacing", h.pixel_spacing_mm[0] > 0 ? buf : "");
        std::snprintf(buf, sizeof buf, "slope %g, intercept %g %s", h.rescale_slope, h.rescale_intercept, h.rescale_type.c_str());
        row("Rescale", buf);
        std::string presets;
        for (const rl::DicomVoiPreset& p : d.presets) presets += (presets.empty() ? "" : "\n") + p.label;
        row("Window presets", presets);
        row("Transfer syntax", h.transfer_syntax);
        ImGui::EndTable();
    }
    ImGui::PushTextWrapPos();
    ImGui::TextColored(kDim, "%s Patient identifiers are not read from the file.", dicom_view_model_input(d).c_str());
    ImGui::PopTextWrapPos();
}

void viewer_toolbar(App& app) {
    Viewer& v = app.viewer;
    if (ImGui::Button("Fit (F)")) viewer_fit(v);
    ImGui::SameLine();
    if (ImGui::Button("1:1 (Z)")) v.zoom = 1.0f;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(150));
    const char* preset_name = v.preset < int(v.presets.size()) ? v.presets[size_t(v.preset)].name.c_str() : "window";
    if (ImGui::BeginCombo("##window", preset_name)) {
        for (size_t i = 0; i < v.presets.size(); ++i) {
            if (ImGui::Selectable(v.presets[i].name.c_str(), int(i) == v.preset)) viewer_window_preset(v, int(i));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", v.presets[i].explanation.c_str());
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (ImGui::Button("Reset (R)")) viewer_window_preset(v, v.preset);
    ImGui::SameLine();
    if (ImGui::Checkbox("Invert (I)", &v.params.invert)) v.dirty = true;
    ImGui::SameLine();
    if (ImGui::Checkbox("Heat map (H)", &v.heat_on)) v.dirty = true;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(em(100));
    if (ImGui::SliderFloat("##opacity", &v.heat_opacity, 0.0f, 1.0f, "opacity %.2f")) v.dirty = true;
    const Model* chosen = models_chosen(app.models);
    if (chosen && chosen->card.labels.size() > 2) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(em(140));
        const int label = std::clamp(app.heat_label, 0, int(chosen->card.labels.size()) - 1);
        if (ImGui::BeginCombo("##heatlabel", chosen->card.labels[size_t(label)].c_str())) {
            for (size_t i = 0; i < chosen->card.labels.size(); ++i)
                if (ImGui::Selectable(chosen->card.labels[i].c_str(), int(i) == label)) app.heat_label = int(i), app_show_cam(app);
            ImGui::EndCombo();
        }
    }
    dicom_toolbar(app);
    if (!v.image.pixels.empty())
        ImGui::TextColored(kDim, "%s  %dx%d, max %d  window %.0f / %.0f  zoom %.0f %%", v.title.c_str(), v.image.width,
                           v.image.height, v.image.max_value, v.params.window.center, v.params.window.width, v.zoom * 100.0f);
}

void results_tab(App& app) {
    ImGui::PushTextWrapPos();
    ImGui::TextColored(kWarn, "%s", kNotice);
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (app.selected < 0) return ImGui::TextWrapped("Open an image to see the model's answer.");
    const Item& it = app.queue.items[size_t(app.selected)];
    ImGui::TextWrapped("%s", it.path.c_str());
    if (app.dicom.path == it.path) dicom_header_panel(app.dicom);
    if (it.state == ItemState::failed) return ImGui::TextColored(kBad, "%s", it.error.c_str());
    if (it.state != ItemState::done) return ImGui::TextColored(kDim, "%s ...", item_state_name(it.state));
    Model* m = models_find(app.models, it.model);
    if (!m) return;
    ImGui::PushTextWrapPos();
    const bool abstained = it.answer.decision == rl::kAbstain;
    ImGui::SetWindowFontScale(1.4f);  // the answer first, and larger than the rest
    if (abstained) ImGui::TextColored(kWarn, "No answer");
    else ImGui::Text("%s", it.answer.decision.c_str());
    ImGui::SetWindowFontScale(1.0f);
    if (!it.answer.note.empty()) ImGui::TextColored(kWarn, "%s", it.answer.note.c_str());
    if (!abstained || !it.answer.in_domain)  // a model at chance has just said it
        ImGui::TextColored(kDim, "%s: %s", m->name.c_str(), models_summary(*m).c_str());
    if (!it.verdict.message.empty()) ImGui::TextColored(kDim, "%s", it.verdict.message.c_str());  // the MedNIST model's hint
    ImGui::PopTextWrapPos();
    if (abstained) {
        // For an educator: what the network computes where it has not earned an answer, labelled as such.
        if (ImGui::Checkbox("Show the raw output (A)", &app.show_withheld)) app_show_cam(app);
        if (!app.show_withheld) return;
        ImGui::TextColored(kBad, it.answer.in_domain ? "RAW OUTPUT: not better than chance on held-out data"
                                                     : "RAW OUTPUT: outside the model's domain, not an answer");
    }
    ImGui::PushTextWrapPos();
    ImGui::TextColored(kDim, "%s, %.1f ms for this file (%.1f ms read and decode, then preprocess and inference)", m->name.c_str(),
                       it.total_ms, it.picture_ms);
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    const std::vector<std::string> deciding = rl::model_card_decision_labels(m->card);
    if (app.user_threshold.size() != m->card.labels.size()) {
        app.user_threshold.assign(m->card.labels.size(), 0.5f);
        for (size_t i = 0; i < m->card.labels.size(); ++i) {
            const double t = rl::postprocess_threshold(m->card, m->card.labels[i]);
            if (t >= 0.0) app.user_threshold[i] = float(t);
        }
    }
    for (size_t i = 0; i < it.probs.size(); ++i) {
        const std::string& label = m->card.labels[i];
        ImGui::PushID(int(i));
        ImGui::ProgressBar(it.probs[i], ImVec2(em(120), 0), percent(it.probs[i]).c_str());
        ImGui::SameLine();
        ImGui::TextUnformatted(label.c_str());
        if (std::find(deciding.begin(), deciding.end(), label) != deciding.end()) {
            for (const rl::OperatingPoint& op : m->card.operating_points) {
                if (op.label != label) continue;
                ImGui::PushTextWrapPos();
                ImGui::TextColored(kDim, "  operating point %.3f: %s; validation sensitivity %.2f, specificity %.2f", op.threshold,
                                   it.probs[i] >= op.threshold ? "positive" : "negative", op.sensitivity, op.specificity);
                ImGui::PopTextWrapPos();
            }
            const auto roc = m->card.roc.find(label);
            if (roc != m->card.roc.end() && !roc->second.empty()) {
                ImGui::SetNextItemWidth(em(160));
                ImGui::SliderFloat("##threshold", &app.user_threshold[i], 0.0f, 1.0f, "threshold %.3f");
                const rl::RocPoint p = rl::roc_point_at(roc->second, app.user_threshold[i]);
                ImGui::PushTextWrapPos();
                ImGui::TextColored(kDim, "  at this threshold: %s; test sensitivity %.2f, specificity %.2f",
                                   it.probs[i] >= app.user_threshold[i] ? "positive" : "negative", p.tpr, 1.0 - p.fpr);
                ImGui::PopTextWrapPos();
                // Open for a single decision; a multi-label model's 14 plots would bury the rest.
                if (ImGui::TreeNodeEx("ROC curve", deciding.size() == 1 ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
                    roc_plot(app, roc->second, &app.user_threshold[i], rl::postprocess_threshold(m->card, label));
                    ImGui::TreePop();
                }
            }
        }
        ImGui::PopID();
    }
}

void card_tab(const App& app) {
    const Model* m = models_chosen(app.models);
    if (!m) return ImGui::TextWrapped("No model is ready.");
    const rl::ModelCard& c = m->card;
    ImGui::PushTextWrapPos();
    ImGui::Text("%s", c.task.c_str());
    ImGui::TextColored(kDim, "Intended use");
    ImGui::TextUnformatted(c.intended_use.c_str());
    ImGui::TextColored(kDim, "Data");
    ImGui::Text("%s", c.data.dataset.c_str());
    ImGui::Text("Source: %s", c.data.source.c_str());
    ImGui::Text("License: %s", c.data.license.c_str());
    ImGui::Text("Split: %s", c.data.split_policy.c_str());
    ImGui::Text("Images: %d train, %d validation, %d test", c.data.train_count, c.data.validation_count, c.data.test_count);
    ImGui::TextColored(kDim, "Input");
    ImGui::Text("%dx%d, %s, %s, mean %.4f, std %.4f; temperature %.3f", c.input.width, c.input.height,
                rl::resize_policy_name(c.input.resize), rl::intensity_scaling_name(c.input.scaling), c.input.mean, c.input.std,
                c.temperature);
    ImGui::TextColored(kDim, "Test metrics (95 %% bootstrap interval)");
    ImGui::PopTextWrapPos();
    if (ImGui::BeginTable("metrics", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        std::string source;
        for (const rl::MetricValue& v : c.metrics) {
            if (v.source != source) {  // a model trained on several sources: each one's figures after the pooled ones
                source = v.source;
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(kDim, "%s only", source.c_str());
            }
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(v.name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(v.label.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.3f [%.3f, %.3f]", v.value, v.ci_low, v.ci_high);
        }
        ImGui::EndTable();
    }
    ImGui::PushTextWrapPos();
    const rl::Reliability r = rl::reliability_judge(c);
    ImGui::TextColored(r.chance ? kWarn : kDim, "%s", r.summary.c_str());
    if (!c.domain.output.empty()) {
        ImGui::TextColored(kDim, "Domain check");
        ImGui::Text("Answers only on images like its training images (%s): %s. Threshold %.2f; held-out validation images: median "
                    "%.2f, largest %.2f.",
                    c.domain.images.c_str(), c.domain.method.c_str(), c.domain.threshold, c.domain.validation_median,
                    c.domain.validation_max);
    }
    ImGui::PopTextWrapPos();
    if (!c.domain.checks.empty() && ImGui::BeginTable("domain", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("images");
        ImGui::TableSetupColumn("kind");
        ImGui::TableSetupColumn("judged out of domain");
        ImGui::TableHeadersRow();
        for (const rl::DomainSet& set : c.domain.checks) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%s (%d)", set.set.c_str(), set.images);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(set.relation.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.1f %%", 100.0 * set.flagged);
        }
        ImGui::EndTable();
    }
    if (!c.heatmap_checks.empty()) {
        ImGui::PushTextWrapPos();
        ImGui::TextColored(kDim, "Heat map checks (test images)");
        for (const rl::HeatmapCheck& h : c.heatmap_checks) ImGui::BulletText("%.2f on %d images: %s", h.value, h.images, h.check.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::PushTextWrapPos();
    ImGui::TextColored(kDim, "Limitations");
    for (const std::string& l : c.limitations) ImGui::BulletText("%s", l.c_str());
    ImGui::TextColored(kDim, "ONNX file %s", c.onnx_file.c_str());
    ImGui::Text("SHA-256 %s (checked: matches the file loaded)", c.onnx_sha256.c_str());
    ImGui::PopTextWrapPos();
}

void privacy_tab(const App& app) {
    const std::string origin = bridge_origin();
    ImGui::PushTextWrapPos();
    ImGui::TextWrapped("Images are decoded and classified in this browser. The page's policy (Content-Security-Policy) allows "
                       "connections to %s only; below is every request the page has made, as the browser records it.",
                       origin.c_str());
    ImGui::Text("Offline use (service worker): %s", bridge_offline_state().c_str());
    ImGui::PopTextWrapPos();
    ImGui::TextColored(kDim, "Models and their SHA-256, checked against each card");
    for (const Model& m : app.models.list) {
        const bool ok = !m.sha256_seen.empty() && m.sha256_seen == m.card.onnx_sha256;
        ImGui::TextColored(ok ? ImVec4(0.6f, 0.9f, 0.6f, 1) : kBad, "%s %s %.16s...", ok ? "ok " : "BAD", m.name.c_str(),
                           m.sha256_seen.c_str());
    }
    const nlohmann::json requests = nlohmann::json::parse(bridge_requests_json(), nullptr, false);
    int foreign = 0;
    if (requests.is_array())
        for (const auto& r : requests) foreign += r.value("url", "").rfind(origin, 0) != 0;
    ImGui::TextColored(foreign ? kBad : kDim, "%zu requests, %d to another origin", requests.is_array() ? requests.size() : 0, foreign);
    if (!requests.is_array() || !ImGui::BeginTable("requests", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY)) return;
    for (const auto& r : requests) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.value("url", "").c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%s", r.value("type", "").c_str());
    }
    ImGui::EndTable();
}

void help_tab() {
    ImGui::TextWrapped("Radiolens classifies medical images on this machine: no image leaves the browser. %s", kNotice);
    if (!ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) return;
    for (const Shortcut& s : kShortcuts) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.keys);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(s.action);
    }
    ImGui::EndTable();
}

}  // namespace

void panels_shortcuts(App& app) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
    Viewer& v = app.viewer;
    auto pressed = [](int key) { return ImGui::IsKeyPressed(key, false); };
    if (pressed(GLFW_KEY_F)) viewer_fit(v);
    if (pressed(GLFW_KEY_Z)) v.zoom = 1.0f;
    if (pressed(GLFW_KEY_R)) viewer_window_preset(v, v.preset);
    if (pressed(GLFW_KEY_W) && !v.presets.empty()) viewer_window_preset(v, (v.preset + 1) % int(v.presets.size()));
    if (pressed(GLFW_KEY_I)) v.params.invert = !v.params.invert, v.dirty = true;
    if (pressed(GLFW_KEY_H)) v.heat_on = !v.heat_on, v.dirty = true;
    if (pressed(GLFW_KEY_E)) csv_export(app);
    if (pressed(GLFW_KEY_A)) app.show_withheld = !app.show_withheld, app_show_cam(app);
    DicomView& d = app.dicom;
    if (!d.path.empty() && pressed(GLFW_KEY_V) && !d.presets.empty()) d.preset = (d.preset + 1) % int(d.presets.size()), app_show_dicom(app);
    if (!d.path.empty() && ImGui::IsKeyPressed(GLFW_KEY_PAGE_DOWN)) d.frame = std::min(d.frame + 1, d.image.header.frames - 1), app_show_dicom(app);
    if (!d.path.empty() && ImGui::IsKeyPressed(GLFW_KEY_PAGE_UP)) d.frame = std::max(d.frame - 1, 0), app_show_dicom(app);
    if (pressed(GLFW_KEY_F1)) app.help_request = true;
    // Quarter steps up to 2.5x: 32.5 px text still leaves the image a third of a 1400 px window.
    if (pressed(GLFW_KEY_EQUAL) || pressed(GLFW_KEY_KP_ADD)) app.text_scale = std::min(app.text_scale + 0.25f, 2.5f);
    if (pressed(GLFW_KEY_MINUS) || pressed(GLFW_KEY_KP_SUBTRACT)) app.text_scale = std::max(app.text_scale - 0.25f, 1.0f);
    if (ImGui::IsKeyPressed(GLFW_KEY_DOWN)) app_select(app, std::min(app.selected + 1, int(app.queue.items.size()) - 1));
    if (ImGui::IsKeyPressed(GLFW_KEY_UP)) app_select(app, std::max(app.selected - 1, 0));
    for (int k = 0; k < 9; ++k)
        if (pressed(GLFW_KEY_1 + k)) app_choose_model(app, k);
}

void panels_draw(App& app) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    // A side panel takes a quarter of the window, within limits that grow with the text, and never
    // more than a third, so that the image keeps room at a large text scale.
    const float side = std::clamp(vp->WorkSize.x * 0.24f, std::min(em(280), vp->WorkSize.x / 3), em(460));
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                   ImGuiWindowFlags_NoSavedSettings;

    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(ImVec2(side, vp->WorkSize.y));
    ImGui::Begin("Radiolens", nullptr, fixed);
    ImGui::PushTextWrapPos();
    ImGui::TextColored(kWarn, "%s", kNotice);
    ImGui::PopTextWrapPos();
    models_panel(app);
    ImGui::Separator();
    files_panel(app);
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + side, vp->WorkPos.y));
    ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x - 2 * side, vp->WorkSize.y));
    ImGui::Begin("Image", nullptr, fixed);
    viewer_toolbar(app);
    viewer_draw(app.viewer);
    ImGui::End();

    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - side, vp->WorkPos.y));
    ImGui::SetNextWindowSize(ImVec2(side, vp->WorkSize.y));
    ImGui::Begin("Details", nullptr, fixed);
    if (ImGui::BeginTabBar("tabs")) {
        if (ImGui::BeginTabItem("Results")) results_tab(app), ImGui::EndTabItem();
        if (ImGui::BeginTabItem("Model card")) card_tab(app), ImGui::EndTabItem();
        if (ImGui::BeginTabItem("Privacy")) privacy_tab(app), ImGui::EndTabItem();
        if (ImGui::BeginTabItem("Help (F1)", nullptr, app.help_request ? ImGuiTabItemFlags_SetSelected : 0)) help_tab(), ImGui::EndTabItem();
        ImGui::EndTabBar();
    }
    ImGui::End();
    app.help_request = false;
}
