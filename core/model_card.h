// The model card: the JSON document that travels with every ONNX model and
// carries everything needed to use it correctly (labels, input spec,
// calibration, operating points) and to judge it (metrics, data, limits).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "calibration.h"
#include "metrics.h"
#include "preprocess.h"
#include "status.h"

namespace rl {

constexpr int kModelCardFormatVersion = 1;

struct OperatingPoint {
    std::string label;
    double threshold = 0.5;    // on the calibrated probability
    double sensitivity = 0.0;  // measured at this threshold on validation;
    double specificity = 0.0;  // NaN (JSON null) where validation had no positives or negatives
};

struct MetricValue {
    std::string name;   // e.g. "roc_auc", "accuracy"
    std::string label;  // one of the card's labels, or "" for the whole model
    double value = 0.0;
    double ci_low = 0.0;  // 95 % percentile bootstrap interval; for ECE, [0, one-sided 95 % bound]
    double ci_high = 0.0;
    std::string source;  // "": the whole test split; else only its images from this data source (a model trained on several)
};

// Metrics so named were measured out of fold by other runs of the model's
// recipe (the trainer's task table cites them), not on its test split.
constexpr const char* kOutOfFoldPrefix = "out_of_fold_";

struct DataProvenance {
    std::string dataset;       // name and citation
    std::string source;        // where this copy came from
    std::string license;
    std::string split_policy;  // how train/validation/test were separated
    int train_count = 0;
    int validation_count = 0;
    int test_count = 0;
};

// How often a model's domain check said "not like my training images" on one set of images
// (scripts/domain_check.mjs measures them through the classify command).
struct DomainSet {
    std::string set;       // e.g. "own test split", "mednist HeadCT", "noise"
    std::string relation;  // "own", "related" (another population of the same kind) or "unrelated"
    int images = 0;
    double flagged = 0.0;  // share judged out of domain
};

// The model's own domain check (trainer/domain_fit.h): a distance output in
// the ONNX graph and the threshold above which the model does not answer.
struct DomainCheck {
    std::string output;        // ONNX output, [N] float32; empty: the card has no domain check
    std::string images;        // what the model was trained on, for people: "axial brain MRI slices"
    std::string method;        // one line for people
    double threshold = 0.0;    // a distance above it is out of domain
    int validation_images = 0; // held-out images the threshold was set on
    double validation_median = 0.0;
    double validation_max = 0.0;
    std::vector<DomainSet> checks;
};

// One check of the model's heat maps (scripts/heatmap_check.mjs).
struct HeatmapCheck {
    std::string check;  // what was measured, for people
    int images = 0;
    double value = 0.0;  // a rank correlation or a share, in [0, 1]
};

struct ModelCard {
    std::string name;  // file stem, e.g. "brain_mri"
    std::string task;  // one line for people
    std::vector<std::string> labels;
    OutputKind output_kind = OutputKind::softmax;
    InputSpec input;
    std::string input_name = "image";                  // ONNX input, [N, 1, H, W] float32
    std::string probabilities_output = "probabilities";  // [N, labels]
    std::string cam_output = "cam";                      // [N, labels, h, w]
    double temperature = 1.0;  // fitted on validation; already applied inside the ONNX graph
    std::vector<OperatingPoint> operating_points;
    std::vector<MetricValue> metrics;                     // on the test split
    std::map<std::string, std::vector<RocPoint>> roc;    // per label, test split
    DataProvenance data;
    std::string intended_use;
    std::vector<std::string> limitations;
    std::string onnx_file;
    std::string onnx_sha256;  // lowercase hex
    DomainCheck domain;
    std::vector<HeatmapCheck> heatmap_checks;  // optional
};

// What a loaded ONNX model says about itself; -1 for a dynamic dimension.
struct ModelFacts {
    std::string sha256;
    int input_channels = -1;
    int input_height = -1;
    int input_width = -1;
    int output_size = -1;  // labels per image
};

// Parses and validates; messages name the offending field. A draft (what
// the trainer writes before the test set is scored) may lack metrics.
Status model_card_parse(const std::string& json_text, ModelCard* card, bool draft = false);
std::string model_card_to_json(const ModelCard& card);
// Internal consistency: every required field present and in range.
Status model_card_validate(const ModelCard& card, bool draft = false);
// Card against the model file it claims to describe.
Status model_card_check_model(const ModelCard& card, const ModelFacts& facts);

// The labels whose operating point drives the decision: all labels of a
// sigmoid model, the second (positive) label of a two-class softmax, none
// for multi-class softmax (decided by the most probable label).
std::vector<std::string> model_card_decision_labels(const ModelCard& card);

}  // namespace rl
