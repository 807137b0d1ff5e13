// The reliability rule; see reliability.h.
#include "reliability.h"

#include <cstdio>

namespace rl {
namespace {

const MetricValue* metric_find(const ModelCard& card, const std::string& name, const std::string& label) {
    for (const MetricValue& m : card.metrics)
        if (m.name == name && m.label == label && m.source.empty()) return &m;
    return nullptr;
}

std::string figure_text(const char* what, const MetricValue& m) {
    char text[120];
    std::snprintf(text, sizeof text, "%s %.3f (%.3f-%.3f)", what, m.value, m.ci_low, m.ci_high);
    return text;
}

// For a sentence already in brackets: "AUC 0.493, interval 0.430-0.562".
std::string interval_text(const char* what, const MetricValue& m) {
    char text[120];
    std::snprintf(text, sizeof text, "%s %.3f, interval %.3f-%.3f", what, m.value, m.ci_low, m.ci_high);
    return text;
}

// The interval, on test or out of fold, that reaches 0.5; null when neither does.
const MetricValue* at_chance(const ModelCard& card, const std::string& label) {
    for (const std::string& name : {std::string("roc_auc"), std::string(kOutOfFoldPrefix) + "roc_auc"})
        if (const MetricValue* m = metric_find(card, name, label); m && m->ci_low <= 0.5) return m;
    return nullptr;
}

}  // namespace

Reliability reliability_judge(const ModelCard& card) {
    Reliability r;
    const std::string tested = "Tested on " + std::to_string(card.data.test_count) + " held-out images: ";
    const std::string chance = "Not better than chance on held-out data: for teaching only";
    if (card.output_kind == OutputKind::softmax && card.labels.size() == 2) {
        const MetricValue* auc = metric_find(card, "roc_auc", card.labels[1]);
        const MetricValue* low = at_chance(card, card.labels[1]);
        r.chance = low != nullptr;
        if (r.chance) r.withheld = {card.labels[1]};
        r.summary = r.chance ? chance + " (" + interval_text(low->name == "roc_auc" ? "test AUC" : "out-of-fold AUC", *low) + ")"
                             : tested + (auc ? figure_text("AUC", *auc) : "no test AUC");
        return r;
    }
    if (card.output_kind == OutputKind::softmax) {  // decided by the most probable label
        const MetricValue* acc = metric_find(card, "accuracy", "");
        const MetricValue* mean = metric_find(card, "mean_roc_auc", "");
        r.chance = mean && mean->ci_low <= 0.5;
        if (r.chance) r.withheld = card.labels;
        r.summary = r.chance ? chance : tested + (acc ? figure_text("accuracy", *acc) : "no test accuracy");
        return r;
    }
    for (const std::string& label : card.labels)
        if (!metric_find(card, "roc_auc", label) || at_chance(card, label)) r.withheld.push_back(label);
    r.chance = 2 * r.withheld.size() > card.labels.size();
    const std::string count = std::to_string(r.withheld.size()) + " of " + std::to_string(card.labels.size()) + " labels";
    if (r.chance) {
        r.withheld = card.labels;
        r.summary = chance + " (" + count + " at chance)";
    } else {
        const MetricValue* mean = metric_find(card, "mean_roc_auc", "");
        r.summary = tested + (mean ? figure_text("mean AUC", *mean) : "no test AUC") +
                    (r.withheld.empty() ? "" : "; " + count + " at chance, withheld");
    }
    return r;
}

}  // namespace rl
