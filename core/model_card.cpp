// Model card JSON (nlohmann, no exceptions: the wasm build has none) and its
// validation rules.
#include "model_card.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

namespace rl {
namespace {

using Json = nlohmann::ordered_json;

// Reads typed fields, remembering the first failure with its field path.
class FieldReader {
public:
    std::string error;

    const Json* get(const Json& obj, const std::string& path, const char* key, Json::value_t type) {
        const std::string where = join(path, key);
        if (!error.empty()) return nullptr;
        if (!obj.is_object() || !obj.contains(key)) return fail("field '" + where + "' is missing");
        const Json& v = obj[key];
        const bool number_ok = type == Json::value_t::number_float && v.is_number();
        if (v.type() != type && !number_ok) return fail("field '" + where + "' has the wrong type (" + v.type_name() + ")");
        return &v;
    }
    void string(const Json& obj, const std::string& path, const char* key, std::string* out) {
        if (const Json* v = get(obj, path, key, Json::value_t::string)) *out = v->get<std::string>();
    }
    void number(const Json& obj, const std::string& path, const char* key, double* out) {
        if (const Json* v = get(obj, path, key, Json::value_t::number_float)) *out = v->get<double>();
    }
    // A number, or null for "not measured" (read as NaN).
    void measured(const Json& obj, const std::string& path, const char* key, double* out) {
        if (error.empty() && obj.is_object() && obj.contains(key) && obj[key].is_null()) *out = std::nan("");
        else number(obj, path, key, out);
    }
    void integer(const Json& obj, const std::string& path, const char* key, int* out) {
        double d = 0.0;
        number(obj, path, key, &d);
        if (error.empty() && (d != std::floor(d) || std::fabs(d) > 1e9)) fail("field '" + join(path, key) + "' must be an integer");
        *out = int(d);
    }
    const Json* array(const Json& obj, const std::string& path, const char* key) { return get(obj, path, key, Json::value_t::array); }
    const Json* object(const Json& obj, const std::string& path, const char* key) { return get(obj, path, key, Json::value_t::object); }

private:
    static std::string join(const std::string& path, const char* key) { return path.empty() ? key : path + "." + key; }
    const Json* fail(std::string why) {
        if (error.empty()) error = std::move(why);
        return nullptr;
    }
};

// The shortest decimal that reads back as the same float: 0.3407, not 0.3407000005245209.
double float_for_json(float f) {
    char text[32];
    for (int digits = 1; digits <= 9; ++digits) {
        std::snprintf(text, sizeof text, "%.*g", digits, double(f));
        if (std::strtof(text, nullptr) == f) break;
    }
    return std::strtod(text, nullptr);
}

std::string at(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

bool in_unit(double v) { return v >= 0.0 && v <= 1.0; }

bool is_sha256_hex(const std::string& s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Status field_error(const std::string& field, const std::string& why) { return Status::failure("field '" + field + "' " + why); }

void domain_read(const Json& j, FieldReader& r, DomainCheck* d) {
    const Json* dj = r.object(j, "", "domain");
    if (!dj) return;
    r.string(*dj, "domain", "output", &d->output);
    if (r.error.empty() && d->output.empty()) r.error = "field 'domain.output' is empty";
    r.string(*dj, "domain", "images", &d->images);
    r.string(*dj, "domain", "method", &d->method);
    r.number(*dj, "domain", "threshold", &d->threshold);
    if (const Json* v = r.object(*dj, "domain", "validation")) {
        r.integer(*v, "domain.validation", "images", &d->validation_images);
        r.number(*v, "domain.validation", "median", &d->validation_median);
        r.number(*v, "domain.validation", "max", &d->validation_max);
    }
    if (const Json* checks = r.array(*dj, "domain", "checks"))
        for (size_t i = 0; i < checks->size() && r.error.empty(); ++i) {
            DomainSet set;
            const std::string p = at("domain.checks", i);
            r.string((*checks)[i], p, "set", &set.set);
            r.string((*checks)[i], p, "relation", &set.relation);
            r.integer((*checks)[i], p, "images", &set.images);
            r.number((*checks)[i], p, "flagged", &set.flagged);
            d->checks.push_back(set);
        }
}

void card_read(const Json& j, FieldReader& r, ModelCard* c) {
    int version = 0;
    r.integer(j, "", "format_version", &version);
    if (r.error.empty() && version != kModelCardFormatVersion)
        r.error = "field 'format_version' is " + std::to_string(version) + ", expected " + std::to_string(kModelCardFormatVersion);
    r.string(j, "", "name", &c->name);
    r.string(j, "", "task", &c->task);
    if (const Json* labels = r.array(j, "", "labels"))
        for (size_t i = 0; i < labels->size(); ++i) {
            if (!(*labels)[i].is_string()) { r.error = "field '" + at("labels", i) + "' must be a string"; break; }
            c->labels.push_back((*labels)[i].get<std::string>());
        }
    std::string kind;
    r.string(j, "", "output_kind", &kind);
    if (r.error.empty() && kind != "softmax" && kind != "sigmoid") r.error = "field 'output_kind' must be softmax or sigmoid";
    c->output_kind = kind == "sigmoid" ? OutputKind::sigmoid : OutputKind::softmax;

    if (const Json* in = r.object(j, "", "input")) {
        int channels = 0;
        r.integer(*in, "input", "channels", &channels);
        if (r.error.empty() && channels != 1) r.error = "field 'input.channels' must be 1 (grayscale)";
        r.integer(*in, "input", "width", &c->input.width);
        r.integer(*in, "input", "height", &c->input.height);
        std::string resize, scaling;
        r.string(*in, "input", "resize", &resize);
        if (r.error.empty() && !resize_policy_parse(resize, &c->input.resize))
            r.error = "field 'input.resize' must be stretch, pad_to_square, center_crop or crop_to_content";
        r.string(*in, "input", "scaling", &scaling);
        if (r.error.empty() && !intensity_scaling_parse(scaling, &c->input.scaling))
            r.error = "field 'input.scaling' must be full_range, min_max or equalize";
        double mean = 0.0, std = 1.0;
        r.number(*in, "input", "mean", &mean);
        r.number(*in, "input", "std", &std);
        c->input.mean = float(mean);
        c->input.std = float(std);
    }
    if (const Json* io = r.object(j, "", "onnx")) {
        r.string(*io, "onnx", "file", &c->onnx_file);
        r.string(*io, "onnx", "sha256", &c->onnx_sha256);
        r.string(*io, "onnx", "input", &c->input_name);
        r.string(*io, "onnx", "probabilities", &c->probabilities_output);
        r.string(*io, "onnx", "cam", &c->cam_output);
    }
    if (const Json* cal = r.object(j, "", "calibration")) r.number(*cal, "calibration", "temperature", &c->temperature);

    if (const Json* ops = r.array(j, "", "operating_points"))
        for (size_t i = 0; i < ops->size() && r.error.empty(); ++i) {
            OperatingPoint op;
            const std::string p = at("operating_points", i);
            r.string((*ops)[i], p, "label", &op.label);
            r.number((*ops)[i], p, "threshold", &op.threshold);
            r.measured((*ops)[i], p, "sensitivity", &op.sensitivity);
            r.measured((*ops)[i], p, "specificity", &op.specificity);
            c->operating_points.push_back(op);
        }
    if (const Json* ms = r.array(j, "", "metrics"))
        for (size_t i = 0; i < ms->size() && r.error.empty(); ++i) {
            MetricValue m;
            const std::string p = at("metrics", i);
            r.string((*ms)[i], p, "name", &m.name);
            r.string((*ms)[i], p, "label", &m.label);
            r.number((*ms)[i], p, "value", &m.value);
            r.number((*ms)[i], p, "ci_low", &m.ci_low);
            r.number((*ms)[i], p, "ci_high", &m.ci_high);
            if ((*ms)[i].contains("source")) r.string((*ms)[i], p, "source", &m.source);
            c->metrics.push_back(m);
        }
    if (const Json* roc = r.object(j, "", "roc"))
        for (const auto& [label, points] : roc->items()) {
            const std::string p = "roc." + label;
            if (!points.is_array()) { r.error = "field '" + p + "' must be an array of [threshold, fpr, tpr]"; break; }
            std::vector<RocPoint>& out = c->roc[label];
            for (size_t i = 0; i < points.size(); ++i) {
                const Json& t = points[i];
                if (!t.is_array() || t.size() != 3 || !t[0].is_number() || !t[1].is_number() || !t[2].is_number()) {
                    r.error = "field '" + at(p, i) + "' must be [threshold, fpr, tpr]";
                    break;
                }
                out.push_back({t[0].get<double>(), t[1].get<double>(), t[2].get<double>()});
            }
        }
    if (const Json* d = r.object(j, "", "data")) {
        r.string(*d, "data", "dataset", &c->data.dataset);
        r.string(*d, "data", "source", &c->data.source);
        r.string(*d, "data", "license", &c->data.license);
        r.string(*d, "data", "split_policy", &c->data.split_policy);
        if (const Json* counts = r.object(*d, "data", "counts")) {
            r.integer(*counts, "data.counts", "train", &c->data.train_count);
            r.integer(*counts, "data.counts", "validation", &c->data.validation_count);
            r.integer(*counts, "data.counts", "test", &c->data.test_count);
        }
    }
    if (j.contains("domain")) domain_read(j, r, &c->domain);
    if (j.contains("heatmap_checks"))
        if (const Json* hs = r.array(j, "", "heatmap_checks"))
            for (size_t i = 0; i < hs->size() && r.error.empty(); ++i) {
                HeatmapCheck h;
                const std::string p = at("heatmap_checks", i);
                r.string((*hs)[i], p, "check", &h.check);
                r.integer((*hs)[i], p, "images", &h.images);
                r.number((*hs)[i], p, "value", &h.value);
                c->heatmap_checks.push_back(h);
            }
    r.string(j, "", "intended_use", &c->intended_use);
    if (const Json* lims = r.array(j, "", "limitations"))
        for (size_t i = 0; i < lims->size(); ++i) {
            if (!(*lims)[i].is_string()) { r.error = "field '" + at("limitations", i) + "' must be a string"; break; }
            c->limitations.push_back((*lims)[i].get<std::string>());
        }
}

}  // namespace

std::vector<std::string> model_card_decision_labels(const ModelCard& card) {
    if (card.output_kind == OutputKind::sigmoid) return card.labels;
    if (card.labels.size() == 2) return {card.labels[1]};
    return {};
}

Status model_card_validate(const ModelCard& c, bool draft) {
    if (c.name.empty()) return field_error("name", "is empty");
    if (c.task.empty()) return field_error("task", "is empty");
    if (c.labels.empty()) return field_error("labels", "is empty");
    if (c.output_kind == OutputKind::softmax && c.labels.size() < 2) return field_error("labels", "needs at least two labels for softmax");
    const std::set<std::string> labels(c.labels.begin(), c.labels.end());
    if (labels.size() != c.labels.size()) return field_error("labels", "has a duplicate");
    if (labels.count("")) return field_error("labels", "has an empty label");

    Status s = input_spec_validate(c.input);
    if (!s.ok()) return field_error("input", s.message);
    if (c.input_name.empty() || c.probabilities_output.empty() || c.cam_output.empty())
        return field_error("onnx", "needs input, probabilities and cam tensor names");
    if (!(c.temperature > 0.0) || !std::isfinite(c.temperature)) return field_error("calibration.temperature", "must be > 0");

    std::set<std::string> with_point;
    for (size_t i = 0; i < c.operating_points.size(); ++i) {
        const OperatingPoint& op = c.operating_points[i];
        const std::string p = at("operating_points", i);
        if (!labels.count(op.label)) return field_error(p + ".label", "'" + op.label + "' is not one of the labels");
        if (!with_point.insert(op.label).second) return field_error(p + ".label", "'" + op.label + "' has two operating points");
        if (!in_unit(op.threshold)) return field_error(p + ".threshold", "must be in [0, 1]");
        if (!in_unit(op.sensitivity) && !std::isnan(op.sensitivity)) return field_error(p + ".sensitivity", "must be in [0, 1] or null");
        if (!in_unit(op.specificity) && !std::isnan(op.specificity)) return field_error(p + ".specificity", "must be in [0, 1] or null");
    }
    for (const std::string& label : model_card_decision_labels(c))
        if (!with_point.count(label)) return field_error("operating_points", "has none for label '" + label + "'");

    if (c.metrics.empty() && !draft) return field_error("metrics", "is empty");
    for (size_t i = 0; i < c.metrics.size(); ++i) {
        const MetricValue& m = c.metrics[i];
        const std::string p = at("metrics", i);
        if (m.name.empty()) return field_error(p + ".name", "is empty");
        if (!m.label.empty() && !labels.count(m.label)) return field_error(p + ".label", "'" + m.label + "' is not one of the labels");
        if (!std::isfinite(m.value)) return field_error(p + ".value", "is not a finite number");
        if (!(m.ci_low <= m.value && m.value <= m.ci_high)) return field_error(p, "needs ci_low <= value <= ci_high");
    }
    for (const auto& [label, points] : c.roc) {
        if (!labels.count(label)) return field_error("roc." + label, "is not one of the labels");
        for (size_t i = 0; i < points.size(); ++i)
            if (!in_unit(points[i].fpr) || !in_unit(points[i].tpr)) return field_error(at("roc." + label, i), "needs fpr and tpr in [0, 1]");
    }

    if (c.data.dataset.empty()) return field_error("data.dataset", "is empty");
    if (c.data.source.empty()) return field_error("data.source", "is empty");
    if (c.data.license.empty()) return field_error("data.license", "is empty");
    if (c.data.split_policy.empty()) return field_error("data.split_policy", "is empty");
    if (c.data.train_count < 1 || c.data.validation_count < 1 || c.data.test_count < 1)
        return field_error("data.counts", "needs at least one image in train, validation and test");
    if (c.intended_use.empty()) return field_error("intended_use", "is empty");
    if (c.limitations.empty()) return field_error("limitations", "is empty");
    if (!c.domain.output.empty()) {
        const DomainCheck& d = c.domain;
        if (d.images.empty()) return field_error("domain.images", "is empty");
        if (!(d.threshold > 0.0) || !std::isfinite(d.threshold)) return field_error("domain.threshold", "must be > 0");
        if (d.validation_images < 1) return field_error("domain.validation.images", "must be at least 1");
        if (!(d.validation_median <= d.threshold && d.threshold <= d.validation_max))
            return field_error("domain.validation", "needs median <= threshold <= max");
        for (size_t i = 0; i < d.checks.size(); ++i) {
            const DomainSet& set = d.checks[i];
            const std::string p = at("domain.checks", i);
            if (set.set.empty()) return field_error(p + ".set", "is empty");
            if (set.relation != "own" && set.relation != "related" && set.relation != "unrelated")
                return field_error(p + ".relation", "must be own, related or unrelated");
            if (set.images < 1) return field_error(p + ".images", "must be at least 1");
            if (!in_unit(set.flagged)) return field_error(p + ".flagged", "must be in [0, 1]");
        }
    }
    for (size_t i = 0; i < c.heatmap_checks.size(); ++i) {
        const HeatmapCheck& h = c.heatmap_checks[i];
        if (h.check.empty()) return field_error(at("heatmap_checks", i) + ".check", "is empty");
        if (h.images < 1) return field_error(at("heatmap_checks", i) + ".images", "must be at least 1");
        if (!in_unit(h.value)) return field_error(at("heatmap_checks", i) + ".value", "must be in [0, 1]");
    }
    if (c.onnx_file.empty()) return field_error("onnx.file", "is empty");
    if (!is_sha256_hex(c.onnx_sha256)) return field_error("onnx.sha256", "must be 64 lowercase hex digits");
    return Status::success();
}

Status model_card_parse(const std::string& json_text, ModelCard* card, bool draft) {
    *card = ModelCard{};
    const Json j = Json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Status::failure("not valid JSON");
    if (!j.is_object()) return Status::failure("not a JSON object");
    FieldReader reader;
    card_read(j, reader, card);
    if (!reader.error.empty()) return Status::failure(reader.error);
    return model_card_validate(*card, draft);
}

std::string model_card_to_json(const ModelCard& c) {
    Json j;
    j["format_version"] = kModelCardFormatVersion;
    j["name"] = c.name;
    j["task"] = c.task;
    j["labels"] = c.labels;
    j["output_kind"] = c.output_kind == OutputKind::sigmoid ? "sigmoid" : "softmax";
    j["input"] = {{"channels", 1},
                  {"width", c.input.width},
                  {"height", c.input.height},
                  {"resize", resize_policy_name(c.input.resize)},
                  {"scaling", intensity_scaling_name(c.input.scaling)},
                  {"mean", float_for_json(c.input.mean)},
                  {"std", float_for_json(c.input.std)}};
    j["onnx"] = {{"file", c.onnx_file},
                 {"sha256", c.onnx_sha256},
                 {"input", c.input_name},
                 {"probabilities", c.probabilities_output},
                 {"cam", c.cam_output}};
    j["calibration"] = {{"temperature", c.temperature}};
    j["operating_points"] = Json::array();
    for (const OperatingPoint& op : c.operating_points)
        j["operating_points"].push_back({{"label", op.label},
                                         {"threshold", op.threshold},
                                         {"sensitivity", std::isnan(op.sensitivity) ? Json(nullptr) : Json(op.sensitivity)},
                                         {"specificity", std::isnan(op.specificity) ? Json(nullptr) : Json(op.specificity)}});
    j["metrics"] = Json::array();
    for (const MetricValue& m : c.metrics) {
        j["metrics"].push_back({{"name", m.name}, {"label", m.label}, {"value", m.value}, {"ci_low", m.ci_low}, {"ci_high", m.ci_high}});
        if (!m.source.empty()) j["metrics"].back()["source"] = m.source;
    }
    j["roc"] = Json::object();
    for (const auto& [label, points] : c.roc) {
        Json& list = j["roc"][label] = Json::array();
        for (const RocPoint& p : points) list.push_back({p.threshold, p.fpr, p.tpr});
    }
    j["data"] = {{"dataset", c.data.dataset},
                 {"source", c.data.source},
                 {"license", c.data.license},
                 {"split_policy", c.data.split_policy},
                 {"counts", {{"train", c.data.train_count}, {"validation", c.data.validation_count}, {"test", c.data.test_count}}}};
    if (!c.domain.output.empty()) {
        const DomainCheck& d = c.domain;
        Json checks = Json::array();
        for (const DomainSet& set : d.checks)
            checks.push_back({{"set", set.set}, {"relation", set.relation}, {"images", set.images}, {"flagged", set.flagged}});
        j["domain"] = {{"output", d.output},
                       {"images", d.images},
                       {"method", d.method},
                       {"threshold", d.threshold},
                       {"validation", {{"images", d.validation_images}, {"median", d.validation_median}, {"max", d.validation_max}}},
                       {"checks", checks}};
    }
    if (!c.heatmap_checks.empty()) {
        j["heatmap_checks"] = Json::array();
        for (const HeatmapCheck& h : c.heatmap_checks)
            j["heatmap_checks"].push_back({{"check", h.check}, {"images", h.images}, {"value", h.value}});
    }
    j["intended_use"] = c.intended_use;
    j["limitations"] = c.limitations;
    return j.dump(2) + "\n";
}

Status model_card_check_model(const ModelCard& card, const ModelFacts& facts) {
    if (facts.sha256 != card.onnx_sha256)
        return Status::failure(card.onnx_file + ": SHA-256 " + facts.sha256 + " does not match the card's " + card.onnx_sha256 +
                               " (field 'onnx.sha256'); the file was changed or corrupted");
    const auto mismatch = [](int model, int expected) { return model >= 0 && model != expected; };
    if (mismatch(facts.input_channels, 1)) return field_error("input.channels", "is 1 but the model takes " + std::to_string(facts.input_channels));
    if (mismatch(facts.input_height, card.input.height))
        return field_error("input.height", "is " + std::to_string(card.input.height) + " but the model takes " + std::to_string(facts.input_height));
    if (mismatch(facts.input_width, card.input.width))
        return field_error("input.width", "is " + std::to_string(card.input.width) + " but the model takes " + std::to_string(facts.input_width));
    if (mismatch(facts.output_size, int(card.labels.size())))
        return field_error("labels", "has " + std::to_string(card.labels.size()) + " entries but the model outputs " + std::to_string(facts.output_size));
    return Status::success();
}

}  // namespace rl
