// radiolens-train: trains, calibrates and exports the shipped models, and
// turns the classify command's test predictions into the final model card.
//   radiolens-train tasks
//   radiolens-train train --task brain_mri [--data ../shared/data] [--run-dir runs/brain_mri] [--resume]
//   radiolens-train export --task brain_mri      (re-calibrate + export from best.pt)
//   radiolens-train domain --task brain_mri --model web/models/brain_mri.onnx --card web/models/brain_mri.card.json
//   radiolens-train randomise --model web/models/brain_mri.onnx --out /tmp/r.onnx [--last-block]   (scripts/heatmap_check.mjs)
//   radiolens-train evaluate --draft D --truth T --predictions P --out web/models/brain_mri.card.json
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "calibration.h"
#include "file_digest.h"
#include "folds.h"
#include "model_card.h"
#include "model_domain.h"
#include "onnx_export.h"
#include "operating_point.h"
#include "report.h"
#include "run_data.h"
#include "task.h"
#include "train.h"

namespace fs = std::filesystem;
using namespace rl;

namespace {

struct RunArgs {
    std::string task, data = "../shared/data", run_dir, device = "auto", precision = "auto", init_from, scaling;
    int epochs = 0, batch_size = 0, patience = 0, limit = 0, stop_after = 0;
    double train_fraction = 1.0;
    double learning_rate = 0.0, weight_decay = -1.0, dropout = -1.0, near_duplicates = -1.0, gamma = 0.0;
    std::vector<int> widths;
    int stem_stride = 0, size = 0, members = 0;
    int cross_fit = 0;  // 1: --cross-fit, -1: --no-cross-fit, 0: the task's default
    int mirror_average = 0;  // the same for --mirror-average
    int asymmetry = 0;       // the same for --asymmetry
    uint64_t seed = 1;
    bool resume = false;
};

// The task's defaults with the command line's changes.
Status task_configured(const RunArgs& a, TaskConfig* task) {
    const TaskConfig* found = task_find(a.task);
    if (!found) return Status::failure("unknown task '" + a.task + "' (radiolens-train tasks lists them)");
    *task = *found;
    if (!a.widths.empty()) task->widths = a.widths;
    if (a.stem_stride > 0) task->stem_stride = a.stem_stride;
    if (a.asymmetry != 0) task->asymmetry = a.asymmetry > 0;
    if (a.size > 0) task->input.width = task->input.height = a.size;
    if (!a.scaling.empty() && !intensity_scaling_parse(a.scaling, &task->input.scaling))
        return Status::failure("--scaling: unknown '" + a.scaling + "' (full_range, min_max or equalize)");
    if (a.weight_decay >= 0) task->weight_decay = a.weight_decay;
    if (a.dropout >= 0) task->dropout = a.dropout;
    if (a.gamma > 0) task->augment.gamma = a.gamma;
    if (a.members > 0) task->members = a.members;
    if (a.cross_fit != 0) task->cross_fit = a.cross_fit > 0;
    if (a.mirror_average != 0) task->mirror_average = a.mirror_average > 0;
    if (task->mirror_average && !task->augment.horizontal_flip)
        return Status::failure("--mirror-average: " + task->name + " does not train on mirrored images (not anatomical for it)");
    if (task->cross_fit && task->members < 2)
        return Status::failure("cross-fitting needs a fold per member and at least 2 members (--members N, or --no-cross-fit)");
    if (a.near_duplicates >= 0) task->near_duplicate_correlation = a.near_duplicates;
    return Status::success();
}

std::string fixed_text(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", x);
    return text;
}

std::string fraction_text(double f) { return std::to_string(int(std::lround(f * 100))) + " %"; }

// An ensemble's members train in their own folders, from their own seeds
// (initialisation, batches, augmentation); the split is the run's.
std::string member_dir(const std::string& run_dir, int member, int members) {
    return members == 1 ? run_dir : run_dir + "/member" + std::to_string(member + 1);
}
uint64_t member_seed(uint64_t seed, int member) { return seed + 1000 * uint64_t(member); }

std::string split_policy_text(const RunArgs& a, const RunData& p) {
    const std::string validation = p.task.cross_fit
        ? "; the other groups dealt into " + std::to_string(p.task.members) +
              " folds, each network validated on one and trained on the rest, and calibration fitted on every image's"
              " out-of-fold prediction"
        : "";
    return std::string("by group, stratified by ") + (p.task.sources.size() > 1 ? "source and label" : "label") + ", seed " +
           std::to_string(a.seed) + ": " +
           (p.task.cross_fit ? "" : fraction_text(p.task.validation_fraction) + " of images to validation and ") +
           fraction_text(p.task.test_fraction) + " to test" + validation +
           "; a group joins one patient's images and near-duplicate or identical pictures (" +
           (p.task.near_duplicate_correlation > 0
                ? "also any two whose 32 px thumbnails correlate at least " + fixed_text(p.task.near_duplicate_correlation) + ", mirrored too; "
                : std::string()) +
           std::to_string(p.group_count) + " groups)" +
           (p.held_out_count > 0 ? "; " + std::to_string(p.held_out_count) +
                                       " images of groups with a disputed label (see limitations) were left out of training and validation"
                                 : std::string());
}

// Figures of the recipe measured by other runs (TaskConfig::recipe_metrics), for the copy they were measured on.
std::vector<MetricValue> recipe_metrics(const RunData& p) {
    return p.listing_sha256 == p.task.copy_listing_sha256 ? p.task.recipe_metrics : std::vector<MetricValue>{};
}

// Temperature and operating points on validation (each image's logits
// averaged over the members that validate on it: all of them held out, its
// fold's one cross-fitted), ONNX export, draft card and test list.
Status finish(const RunArgs& a, RunData& p, std::vector<Network>& members) {
    const int k = int(p.listing.labels.size());
    for (int m = 0; m < int(members.size()); ++m) {
        Status s = train_load_best(members[size_t(m)], member_dir(a.run_dir, m, int(members.size())));
        if (!s.ok()) return s;
        // Prior correction: take the class weighting back out of the logits, then calibrate.
        torch::NoGradGuard no_grad;
        const torch::Tensor trained = p.pool.targets.index_select(0, folds_rows(p.fold, folds_of_member(p.task.cross_fit, m), false));
        members[size_t(m)]->head->bias -= torch::log(train_loss_weights(p.task.output_kind, trained, k));
    }
    const torch::Tensor calibrated = folds_rows(p.fold, -1, false);
    const torch::Tensor logits_t = folds_validation_logits(members, p.pool.images, p.fold, p.task.cross_fit, p.task.mirror_average)
                                       .index_select(0, calibrated)
                                       .contiguous();
    const torch::Tensor targets_t = p.pool.targets.index_select(0, calibrated);
    if (p.task.cross_fit) {
        const torch::Tensor fold_t = torch::tensor(p.fold, torch::kInt).index_select(0, calibrated);
        for (int f = 0; f < int(members.size()); ++f) {
            const torch::Tensor in = (fold_t == f).nonzero().squeeze(1);
            std::fprintf(stderr, "fold %d: out-of-fold validation score %.4f\n", f + 1,
                         train_score(p.task.output_kind, logits_t.index_select(0, in), targets_t.index_select(0, in)));
        }
        std::fprintf(stderr, "out-of-fold validation score of the %zu members: %.4f\n", members.size(),
                     train_score(p.task.output_kind, logits_t, targets_t));
    }
    else if (members.size() > 1)
        std::fprintf(stderr, "validation score of the %zu members' mean: %.4f\n", members.size(),
                     train_score(p.task.output_kind, logits_t, targets_t));
    std::vector<Sample> validation_samples;
    std::vector<int> validation_folds;  // 1-based: the member that scored each image out of fold, cross-fitted
    for (int64_t r : std::vector<int64_t>(calibrated.data_ptr<int64_t>(), calibrated.data_ptr<int64_t>() + calibrated.numel())) {
        validation_samples.push_back(p.pool_samples[size_t(r)]);
        validation_folds.push_back(p.fold[size_t(r)] + 1);
    }
    const std::vector<float> logits(logits_t.data_ptr<float>(), logits_t.data_ptr<float>() + logits_t.numel());
    const torch::Tensor y_t = targets_t.to(torch::kInt).contiguous();
    const std::vector<int> y(y_t.data_ptr<int>(), y_t.data_ptr<int>() + y_t.numel());

    ModelCard card;
    card.name = p.task.name;
    card.labels = p.listing.labels;
    card.output_kind = p.task.output_kind;
    card.input = p.task.input;
    card.temperature = calibration_fit_temperature(logits, y, k, card.output_kind);
    const std::vector<float> probs = calibration_probabilities(logits, k, card.output_kind, card.temperature);
    std::vector<double> train_prevalence(static_cast<size_t>(k));  // share of training images with each label
    const torch::Tensor trained = p.pool.targets.index_select(0, run_data_training_rows(p));
    for (int j = 0; j < k; ++j)
        train_prevalence[size_t(j)] = (card.output_kind == OutputKind::sigmoid ? trained.select(1, j) : (trained == j).to(torch::kFloat))
                                          .mean()
                                          .item<double>();
    std::vector<std::string> validation_groups;
    for (const Sample& smp : validation_samples) validation_groups.push_back(smp.group);
    const OperatingPointChoice choice = operating_points_choose(card, probs, y, validation_groups, train_prevalence, a.seed);
    card.operating_points = choice.points;
    const CopyText copy = task_copy_text(p.task, p.listing_sha256, p.listing.samples.size());
    card.task = copy.title;
    card.data = {copy.dataset, copy.source, p.task.license, split_policy_text(a, p), p.train_count, p.validation_count,
                 int(p.test_samples.size())};
    card.intended_use = p.task.intended_use;
    card.limitations = copy.limitations;
    card.metrics = recipe_metrics(p);
    card.limitations.insert(card.limitations.end(), choice.limitations.begin(), choice.limitations.end());
    if (p.task.mirror_average)
        card.limitations.push_back("Every image is scored together with its left-right mirror and the two averaged: a finding gives the same "
                                   "probability on either side, and the heat map shows where it lies.");
    if (p.task.asymmetry)
        card.limitations.push_back("The network also sees each image minus its left-right mirror, to compare the two sides: any "
                                   "asymmetry raises its score, including a finding on one side that is not a tumour, or a head "
                                   "tilted or off-centre in the frame. A tumour that looks alike on both sides, such as a mass on the "
                                   "midline, is missed more often: out of fold, at three seeds, the least asymmetric third of tumour "
                                   "slices held 68 misses with this channel against 41 without it.");
    if (calibration_separated(logits, y, k, card.output_kind))
        card.limitations.push_back("Validation held no misclassified image, so temperature scaling had nothing to fit: T is 1, "
                                   "the network's own scale, and its probabilities are not calibrated.");
    std::set<std::string> test_groups;
    for (const Sample& smp : p.test_samples) test_groups.insert(smp.group);
    card.limitations.push_back("The " + std::to_string(p.test_samples.size()) + " test images come from " + std::to_string(test_groups.size()) +
                               " independent groups (one patient, or one picture's copies); the 95 % intervals resample groups, not images.");
    card.onnx_file = p.task.name + ".onnx";

    const std::string onnx_path = a.run_dir + "/" + card.onnx_file;
    Status s = onnx_export(members, card.input.height, card.input.width, card.output_kind, card.temperature, p.task.mirror_average,
                           card.name, OnnxNames{}, onnx_path);
    std::vector<double> distances;  // of the validation images, for their out-of-fold predictions (cross-fitted only)
    if (s.ok()) s = model_domain_attach(p, onnx_path, &card, p.task.cross_fit ? calibrated : torch::empty({0}, torch::kLong), &distances);
    if (s.ok()) s = model_card_validate(card, /*draft=*/true);
    if (s.ok()) s = report_truth_write(a.run_dir + "/test.csv", card, p.test_samples);
    // The images the temperature and thresholds were fitted on, for audit: scripts/model.sh scores them with the
    // exported model, unless they are out-of-fold predictions, which only the trainer has (and writes here).
    if (s.ok()) s = report_truth_write(a.run_dir + "/validation.csv", card, validation_samples);
    const std::string oof_path = a.run_dir + "/validation_predictions.csv", folds_path = a.run_dir + "/folds.csv";
    fs::remove(oof_path);
    fs::remove(folds_path);
    if (s.ok() && p.task.cross_fit) s = report_predictions_write(oof_path, card, validation_samples, probs, distances);
    if (s.ok() && p.task.cross_fit) s = report_folds_write(folds_path, validation_samples, validation_folds);
    if (!s.ok()) return s;
    std::ofstream(a.run_dir + "/" + card.name + ".draft.json", std::ios::trunc) << model_card_to_json(card);
    std::fprintf(stderr, "temperature %.3f; wrote %s (%.0f KB), %s.draft.json, test.csv and validation.csv\n", card.temperature, onnx_path.c_str(),
                 double(fs::file_size(onnx_path)) / 1024.0, card.name.c_str());
    return Status::success();
}

Status command_train(RunArgs a, bool export_only) {
    TaskConfig task;
    Status s = task_configured(a, &task);
    if (!s.ok()) return s;
    if (a.run_dir.empty()) a.run_dir = "runs/" + a.task;
    fs::create_directories(a.run_dir);
    torch::Device device = torch::kCPU;
    if (a.device == "cuda" || (a.device == "auto" && torch::cuda::is_available())) {
        if (!torch::cuda::is_available()) return Status::failure("--device cuda: no CUDA device (or LibTorch built without CUDA)");
        device = torch::kCUDA;
    } else if (a.device != "cpu" && a.device != "auto") {
        return Status::failure("--device must be auto, cpu or cuda");
    }
    Precision precision;
    s = precision_parse(a.precision, device.is_cuda(), &precision);
    if (!s.ok()) return s;
    RunData p;
    s = run_data_prepare(task, {a.data, a.run_dir, a.seed, a.limit, a.train_fraction}, &p);
    if (!s.ok()) return s;
    std::vector<Network> members;
    for (int m = 0; m < p.task.members; ++m) {
        torch::manual_seed(member_seed(a.seed, m));
        members.emplace_back(p.task.widths, int(p.listing.labels.size()), p.task.dropout, p.task.stem_stride, p.task.asymmetry);
        if (export_only) continue;
        if (!a.init_from.empty()) {
            s = train_init_from(members.back(), a.init_from);
            if (!s.ok()) return s;
        }
        TrainOptions o;
        o.epochs = a.epochs > 0 ? a.epochs : p.task.epochs;
        o.batch_size = a.batch_size > 0 ? a.batch_size : p.task.batch_size;
        o.learning_rate = a.learning_rate > 0 ? a.learning_rate : p.task.learning_rate;
        o.patience = a.patience > 0 ? a.patience : p.task.patience;
        o.seed = member_seed(a.seed, m);
        o.run_dir = member_dir(a.run_dir, m, p.task.members);
        fs::create_directories(o.run_dir);
        o.resume = a.resume && (m == 0 || fs::exists(o.run_dir + "/last.pt"));  // a later member may not have started
        o.stop_after = a.stop_after;
        o.device = device;
        o.precision = precision;
        std::fprintf(stderr, "training member %d of %d on %s, %d threads, %s\n", m + 1, p.task.members, device.is_cuda() ? "CUDA" : "CPU",
                     torch::get_num_threads(), precision_name(precision));
        const int f = folds_of_member(p.task.cross_fit, m);
        const torch::Tensor trains = folds_rows(p.fold, f, false), validates = folds_rows(p.fold, f, true);
        const auto weights = [&](const torch::Tensor& rows) {
            return p.pool.weights.defined() ? folds_take(p.pool.weights, rows) : torch::Tensor();
        };
        const TrainSet train{folds_take(p.pool.images, trains), folds_take(p.pool.targets, trains), weights(trains)};
        const TrainSet validation{folds_take(p.pool.images, validates), folds_take(p.pool.targets, validates), weights(validates)};
        TrainOutcome outcome;
        s = train_run(members.back(), p.task, train, validation, o, &outcome);
        if (!s.ok()) return s;
        std::fprintf(stderr, "best validation score %.4f at epoch %d of %d; %.0f img/s\n", outcome.best_score, outcome.best_epoch,
                     outcome.epochs_done, outcome.images_per_second);
    }
    return finish(a, p, members);
}

// A card, draft or final, from its file.
Status card_read(const std::string& path, ModelCard* card) {
    std::ifstream in(path);
    if (!in) return Status::failure(path + ": cannot open");
    std::stringstream text;
    text << in.rdbuf();
    const Status s = model_card_parse(text.str(), card, /*draft=*/true);
    return s.ok() ? s : Status::failure(path + ": " + s.message);
}

// A model trained before the domain check, given one without retraining:
// the run's split again (it must give the card's counts), the check fitted
// on the model's own first network, the recipe's figures brought up to date.
Status command_domain(const RunArgs& a, const std::string& model_path, const std::string& card_path) {
    TaskConfig task;
    Status s = task_configured(a, &task);
    if (!s.ok()) return s;
    ModelCard card;
    s = card_read(card_path, &card);
    if (!s.ok()) return s;
    std::string sha256;
    s = file_sha256(model_path, &sha256);
    if (!s.ok()) return s;
    if (sha256 != card.onnx_sha256) return Status::failure(model_path + ": not the model " + card_path + " describes (SHA-256 differs)");
    const std::string run_dir = a.run_dir.empty() ? "runs/" + a.task : a.run_dir;
    fs::create_directories(run_dir);
    RunData p;
    s = run_data_prepare(task, {a.data, run_dir, a.seed, a.limit, a.train_fraction}, &p);
    if (!s.ok()) return s;
    if (p.train_count != card.data.train_count || p.validation_count != card.data.validation_count ||
        int(p.test_samples.size()) != card.data.test_count)
        return Status::failure(card_path + ": its split (" + std::to_string(card.data.train_count) + "/" + std::to_string(card.data.validation_count) +
                               "/" + std::to_string(card.data.test_count) + ") is not this run's; use the --seed and --data it was trained with");
    std::vector<double> distances;
    s = model_domain_attach(p, model_path, &card, torch::empty({0}, torch::kLong), &distances);
    if (!s.ok()) return s;
    std::vector<MetricValue> metrics = recipe_metrics(p);
    for (const MetricValue& m : card.metrics)
        if (m.name.rfind(kOutOfFoldPrefix, 0) != 0) metrics.push_back(m);
    card.metrics = metrics;
    s = model_card_validate(card, /*draft=*/true);
    if (s.ok()) s = report_truth_write(run_dir + "/test.csv", card, p.test_samples);  // scripts/domain_check.mjs shows the model these
    if (!s.ok()) return s;
    std::ofstream(card_path, std::ios::trunc) << model_card_to_json(card);
    return Status::success();
}

Status command_evaluate(const std::string& draft, const std::string& truth, const std::string& predictions, const std::string& out) {
    ModelCard card;
    Status s = card_read(draft, &card);
    if (!s.ok()) return s;
    std::string summary;
    s = report_evaluate(truth, predictions, &card, &summary);
    if (s.ok()) s = model_card_validate(card);
    if (!s.ok()) return s;
    std::ofstream(out, std::ios::trunc) << model_card_to_json(card);
    std::printf("%s", summary.c_str());
    return Status::success();
}

}  // namespace

int main(int argc, char** argv) {
    // This VM pays ~17 us a page fault: keep freed activations instead of
    // returning them to the OS, and let idle OpenMP threads sleep.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, 64 << 20);
    setenv("OMP_WAIT_POLICY", "PASSIVE", 0);

    CLI::App app{"radiolens-train: trains, calibrates and exports Radiolens models"};
    app.require_subcommand(1);
    app.fallthrough();  // --threads may follow the subcommand
    RunArgs a;
    int threads = int(std::thread::hardware_concurrency());
    app.add_option("--threads", threads, "intra-op threads")->capture_default_str();

    CLI::App* tasks = app.add_subcommand("tasks", "list the tasks and their defaults");
    CLI::App* train = app.add_subcommand("train", "train a task's model, calibrate on validation, export ONNX + draft card");
    CLI::App* exp = app.add_subcommand("export", "calibrate and export again from the run's best.pt");
    for (CLI::App* c : {train, exp}) {
        c->add_option("--task", a.task, "task name")->required();
        c->add_option("--data", a.data, "data root holding the task folders")->capture_default_str();
        c->add_option("--run-dir", a.run_dir, "checkpoints, log and outputs (default runs/<task>)");
        c->add_option("--seed", a.seed, "seed for the split, initialisation and batches")->capture_default_str();
        c->add_option("--limit", a.limit, "use at most N images per split (smoke runs)");
        c->add_option("--train-fraction", a.train_fraction, "train on this share of the training groups (learning curves)")
            ->check(CLI::Range(0.01, 1.0));
        c->add_option("--widths", a.widths, "channels of each block, e.g. 16,32,64,128 (default per task)")->delimiter(',');
        c->add_option("--stem-stride", a.stem_stride, "1, or 2 to halve the image in the first convolution (default per task)");
        c->add_option("--size", a.size, "square input size in px (default per task)");
        c->add_option("--scaling", a.scaling, "intensities to [0, 1]: full_range, min_max or equalize (default per task)");
        c->add_option("--dropout", a.dropout, "dropout before the head (default per task)");
        c->add_option("--near-duplicates", a.near_duplicates,
                      "also join groups of images whose 32 px thumbnails correlate this much, mirrored too; 0: off (default per task)");
        c->add_option("--members", a.members, "networks averaged into one model, each trained from its own seed (default per task)")
            ->check(CLI::Range(1, 9));
        c->add_flag("--cross-fit,!--no-cross-fit", a.cross_fit,
                    "one fold of the training and validation groups per member: each validates on its own, trains on the rest, "
                    "and calibration uses every image's out-of-fold prediction (default per task)");
        c->add_flag("--mirror-average,!--no-mirror-average", a.mirror_average,
                    "the model averages each network over the image and its left-right mirror (default per task)");
        c->add_flag("--asymmetry,!--no-asymmetry", a.asymmetry,
                    "a second input channel: the image minus its left-right mirror (default per task)");
    }
    train->add_option("--epochs", a.epochs, "maximum epochs (default per task)");
    train->add_option("--batch-size", a.batch_size, "images per step (default per task)");
    train->add_option("--lr", a.learning_rate, "peak learning rate (default per task)");
    train->add_option("--patience", a.patience, "early stopping patience in epochs (default per task)");
    train->add_option("--weight-decay", a.weight_decay, "AdamW decoupled weight decay (default per task)");
    train->add_option("--gamma", a.gamma, "augmentation: raise half the images to an exponent in [1/G, G] (1: off; default per task)")
        ->check(CLI::Range(1.0, 4.0));
    train->add_option("--device", a.device, "auto, cpu or cuda")->capture_default_str();
    train->add_option("--precision", a.precision, "forward pass in float32 or bfloat16; auto: bfloat16 on a CPU with native bfloat16")
        ->capture_default_str();
    train->add_option("--init-from", a.init_from, "start every member's convolutions and batch norms from this checkpoint (another run's best.pt)");
    train->add_flag("--resume", a.resume, "continue from <run-dir>/last.pt (each member from its own)");
    train->add_option("--stop-after", a.stop_after, "stop after N epochs of each member; continue later with --resume");

    std::string model_path, card_path;
    CLI::App* domain = app.add_subcommand("domain", "fit the domain check of an exported model on its run's split, into the model and its card");
    domain->add_option("--task", a.task, "task name")->required();
    domain->add_option("--data", a.data, "data root holding the task folders")->capture_default_str();
    domain->add_option("--seed", a.seed, "the seed the model's split was dealt with")->capture_default_str();
    domain->add_option("--run-dir", a.run_dir, "receives test.csv, the split's test list (default runs/<task>)");
    domain->add_option("--model", model_path, "the ONNX file, rewritten with the check")->required();
    domain->add_option("--card", card_path, "its card, rewritten with the check")->required();

    std::string randomised;
    bool last_block = false;
    CLI::App* randomise = app.add_subcommand("randomise", "write a copy of a model with its heads (and last blocks) redrawn, for the heat maps' check");
    randomise->add_option("--model", model_path, "the ONNX file")->required();
    randomise->add_option("--out", randomised, "the copy")->required();
    randomise->add_flag("--last-block", last_block, "also redraw each network's last two convolutions");
    randomise->add_option("--seed", a.seed, "seed for the new weights")->capture_default_str();

    std::string draft, truth, predictions, out;
    CLI::App* evaluate = app.add_subcommand("evaluate", "write the final model card from the classify command's test predictions");
    evaluate->add_option("--draft", draft, "the draft card train wrote")->required();
    evaluate->add_option("--truth", truth, "the test list train wrote (test.csv)")->required();
    evaluate->add_option("--predictions", predictions, "classify's CSV for those files")->required();
    evaluate->add_option("--out", out, "the final card")->required();
    CLI11_PARSE(app, argc, argv);

    torch::set_num_threads(std::max(1, threads));
    Status s;
    try {
        if (tasks->parsed()) {
            for (const TaskConfig& t : task_all())
                std::printf("%-16s %-8s %dx%d %-13s epochs %-3d batch %-3d members %d %s\n", t.name.c_str(),
                            t.output_kind == OutputKind::sigmoid ? "sigmoid" : "softmax", t.input.width, t.input.height,
                            resize_policy_name(t.input.resize), t.epochs, t.batch_size, t.members, t.title.c_str());
        } else if (train->parsed() || exp->parsed()) {
            s = command_train(a, exp->parsed());
        } else if (domain->parsed()) {
            s = command_domain(a, model_path, card_path);
        } else if (randomise->parsed()) {
            s = onnx_randomise(model_path, randomised, last_block, a.seed);
        } else {
            s = command_evaluate(draft, truth, predictions, out);
        }
    } catch (const std::exception& e) {
        s = Status::failure(std::string("unexpected error: ") + e.what());
    }
    if (!s.ok()) {
        std::fprintf(stderr, "radiolens-train: %s\n", s.message.c_str());
        return 1;
    }
    return 0;
}
