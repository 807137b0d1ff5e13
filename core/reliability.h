// Whether a model's held-out figures earn it a decision, in plain words: a
// ROC AUC interval (on test, or out of fold for the recipe) that reaches 0.5
// is no better than chance. A two-class model at chance gives no decision; a
// multi-label model withholds the labels at chance, and all of them when
// most are.
#pragma once
#include <string>
#include <vector>

#include "model_card.h"

namespace rl {

struct Reliability {
    std::string summary;                // one line for the model list, e.g. "Tested on 746 held-out images: AUC 0.997 (0.994-0.999)"
    bool chance = false;                // not better than chance: every decision withheld
    std::vector<std::string> withheld;  // labels whose decision is withheld
};

Reliability reliability_judge(const ModelCard& card);

}  // namespace rl
