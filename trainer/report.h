// Test-set evaluation for the model card, from the classify command's
// predictions on the exported ONNX: metrics with 95 % intervals from a
// bootstrap over groups (patients), and ROC points for the app.
#pragma once
#include <string>
#include <vector>

#include "model_card.h"
#include "split.h"

namespace rl {

constexpr int kBootstrapResamples = 2000;
constexpr uint64_t kBootstrapSeed = 20261122;
constexpr size_t kRocMaxPoints = 200;  // per label, to keep cards small

// The lists `train` writes beside the draft card (test.csv, validation.csv):
// path, group, then 0/1 per label.
Status report_truth_write(const std::string& path, const ModelCard& card, const std::vector<Sample>& samples);

// Probabilities the trainer computed itself, in the classify command's CSV
// (path, one column per label, decision, in_domain, note, error): a
// cross-fitted model's out-of-fold validation predictions, which no
// exported model can give. probs: [samples, labels]; domain_distances: [samples].
Status report_predictions_write(const std::string& path, const ModelCard& card, const std::vector<Sample>& samples,
                               const std::vector<float>& probs, const std::vector<double>& domain_distances);

// Which fold each image of a cross-fitted run's validation list is in
// (path, fold; folds[i] is 1-based): member N of the run (memberN/) scored the
// images of fold N out of fold, so experiments can score them again with it.
Status report_folds_write(const std::string& path, const std::vector<Sample>& samples, const std::vector<int>& folds);

// Fills card->metrics and card->roc from the truth list and the predictions
// CSV (path, one column per label, decision, error), adds a limitation for
// labels the test set cannot score, and returns a printable summary.
Status report_evaluate(const std::string& truth_csv, const std::string& predictions_csv, ModelCard* card, std::string* summary);

}  // namespace rl
