// Training loop and checkpoints; see train.h.
#include "train.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "augment.h"
#include "metrics.h"

namespace rl {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<float> tensor_floats(const torch::Tensor& t) {
    const torch::Tensor c = t.to(torch::kCPU, torch::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// The class-weighted loss (weights) with each image weighted by w, normalised as the class-weighted mean is. Without w,
// the library's own mean: its gradients can differ in the last bit, and the shipped single-source models were trained so.
torch::Tensor loss_of(OutputKind kind, const torch::Tensor& logits, const torch::Tensor& targets, const torch::Tensor& weights,
                      const torch::Tensor& w) {
    namespace F = torch::nn::functional;
    if (!w.defined() && kind == OutputKind::sigmoid)
        return F::binary_cross_entropy_with_logits(logits, targets, F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(weights));
    if (!w.defined()) return F::cross_entropy(logits, targets, F::CrossEntropyFuncOptions().weight(weights));
    if (kind == OutputKind::sigmoid)
        return (F::binary_cross_entropy_with_logits(logits, targets,
                                                    F::BinaryCrossEntropyWithLogitsFuncOptions().pos_weight(weights).reduction(torch::kNone)) *
                w.unsqueeze(1))
                   .sum() /
               (w.sum() * logits.size(1));
    const torch::Tensor each = F::cross_entropy(logits, targets, F::CrossEntropyFuncOptions().weight(weights).reduction(torch::kNone));
    return (each * w).sum() / (weights.index_select(0, targets) * w).sum();
}

double learning_rate_at(double base, int64_t step, int64_t warmup_steps, int64_t total_steps) {
    if (step < warmup_steps) return base * double(step + 1) / double(warmup_steps);
    const double progress = double(step - warmup_steps) / double(std::max<int64_t>(1, total_steps - warmup_steps));
    return base * 0.5 * (1.0 + std::cos(M_PI * std::min(1.0, progress)));
}

// Writes to a temporary name, then renames: a crash never leaves half a file.
Status archive_save_atomic(torch::serialize::OutputArchive& archive, const std::string& path) {
    const std::string tmp = path + ".tmp";
    try {
        archive.save_to(tmp);
    } catch (const std::exception& e) {
        return Status::failure(tmp + ": cannot write checkpoint (" + e.what() + ")");
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    return ec ? Status::failure(path + ": cannot rename checkpoint (" + ec.message() + ")") : Status::success();
}

// Exponential moving average of the weights and batch-norm statistics over
// about one epoch of steps. It is what gets validated, kept as best and
// exported: the raw weights at a high learning rate make validation jump.
class WeightAverage {
public:
    WeightAverage(Network& net, int64_t steps_per_epoch) : decay_(1.0 - 1.0 / double(std::max<int64_t>(2, steps_per_epoch))) {
        torch::NoGradGuard no_grad;
        for (const auto& t : net->named_parameters()) tensors_.push_back({t.key(), t.value(), t.value().detach().clone()});
        for (const auto& t : net->named_buffers()) tensors_.push_back({t.key(), t.value(), t.value().detach().clone()});
    }
    void update(int64_t step) {
        torch::NoGradGuard no_grad;
        const double d = std::min(decay_, double(1 + step) / double(10 + step));  // short memory while it warms up
        for (Entry& e : tensors_) {
            if (e.live.is_floating_point()) e.average.mul_(d).add_(e.live.detach(), 1.0 - d);
            else e.average.copy_(e.live);  // step counters
        }
    }
    // Swaps averaged and live values (call twice to swap back).
    void swap() {
        torch::NoGradGuard no_grad;
        for (Entry& e : tensors_) {
            const torch::Tensor live = e.live.detach().clone();
            e.live.copy_(e.average);
            e.average.copy_(live);
        }
    }
    void save(torch::serialize::OutputArchive& archive) const {
        for (const Entry& e : tensors_) archive.write(e.name, e.average, /*is_buffer=*/true);
    }
    void load(torch::serialize::InputArchive& archive) {
        for (Entry& e : tensors_) archive.read(e.name, e.average, /*is_buffer=*/true);
    }

private:
    struct Entry {
        std::string name;
        torch::Tensor live, average;
    };
    double decay_;
    std::vector<Entry> tensors_;
};

struct Progress {
    bool live = isatty(STDERR_FILENO);
    Clock::time_point last_draw = Clock::now();

    void draw(int epoch, int epochs, int64_t done, int64_t total, double images_per_second, double loss, bool force) {
        if (!live || (!force && Clock::now() - last_draw < std::chrono::milliseconds(250))) return;
        last_draw = Clock::now();
        const int width = 24, filled = int(width * done / std::max<int64_t>(1, total));
        const double eta_s = images_per_second > 0 ? double(total - done) / images_per_second : 0.0;
        std::fprintf(stderr, "\repoch %d/%d [%s%s] %lld/%lld  %.0f img/s  ETA %02d:%02d  loss %.4f ", epoch, epochs,
                     std::string(size_t(filled), '#').c_str(), std::string(size_t(width - filled), '.').c_str(), (long long)done,
                     (long long)total, images_per_second, int(eta_s) / 60, int(eta_s) % 60, loss);
    }
};

// Module::save nests each submodule's tensors in its own archive: "conv0.weight" is "weight" inside "conv0".
bool archive_read_path(torch::serialize::InputArchive& archive, const std::string& path, torch::Tensor& t, bool is_buffer) {
    const size_t dot = path.find('.');
    if (dot == std::string::npos) return archive.try_read(path, t, is_buffer);
    torch::serialize::InputArchive child;
    return archive.try_read(path.substr(0, dot), child) && archive_read_path(child, path.substr(dot + 1), t, is_buffer);
}

}  // namespace

torch::Tensor train_loss_weights(OutputKind kind, const torch::Tensor& targets, int labels) {
    if (kind == OutputKind::sigmoid) {
        const torch::Tensor pos = targets.sum(0), neg = targets.size(0) - pos;
        return (neg / pos.clamp_min(1.0)).clamp(1.0, 20.0);  // capped for labels with 1-2 positives
    }
    const torch::Tensor counts = torch::bincount(targets, {}, labels).to(torch::kFloat).clamp_min(1.0);
    return targets.size(0) / (labels * counts);
}

torch::Tensor train_step(Network& net, torch::optim::Optimizer& optimizer, OutputKind kind, const torch::Tensor& x,
                         const torch::Tensor& y, const torch::Tensor& weights, const torch::Tensor& w, Precision precision) {
    optimizer.zero_grad();
    torch::Tensor logits;
    {
        PrecisionScope scope(precision);
        logits = net->forward(x);
    }
    const torch::Tensor loss = loss_of(kind, logits.to(torch::kFloat), y, weights, w);
    loss.backward();
    optimizer.step();
    return loss;
}

double train_score(OutputKind kind, const torch::Tensor& logits, const torch::Tensor& targets) {
    const int labels = int(logits.size(1));
    if (kind == OutputKind::sigmoid) {
        const std::vector<float> probs = tensor_floats(torch::sigmoid(logits));
        const torch::Tensor t = targets.to(torch::kInt).contiguous();
        return mean_defined(multilabel_roc_auc(probs, std::vector<int>(t.data_ptr<int>(), t.data_ptr<int>() + t.numel()), labels));
    }
    const torch::Tensor t = targets.to(torch::kInt).contiguous();
    const std::vector<int> y(t.data_ptr<int>(), t.data_ptr<int>() + t.numel());
    const std::vector<float> probs = tensor_floats(torch::softmax(logits, 1));
    if (labels > 2) return multiclass_accuracy(probs, y, labels);
    std::vector<float> positive(y.size());
    for (size_t i = 0; i < y.size(); ++i) positive[i] = probs[2 * i + 1];
    return roc_auc(positive, y);
}

torch::Tensor train_predict_logits(Network& net, const torch::Tensor& images, int batch_size, torch::Device device) {
    torch::NoGradGuard no_grad;
    net->eval();
    std::vector<torch::Tensor> parts;
    for (int64_t i = 0; i < images.size(0); i += batch_size)
        parts.push_back(net->forward(images.slice(0, i, i + batch_size).to(device)).to(torch::kCPU));
    return torch::cat(parts);
}

Status train_load_best(Network& net, const std::string& run_dir) {
    const std::string path = run_dir + "/best.pt";
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path, torch::kCPU);
        net->to(torch::kCPU);
        net->load(archive);
    } catch (const std::exception& e) {
        return Status::failure(path + ": cannot load (" + e.what() + ")");
    }
    return Status::success();
}

Status train_init_from(Network& net, const std::string& checkpoint) {
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(checkpoint, torch::kCPU);
    } catch (const std::exception& e) {
        return Status::failure(checkpoint + ": cannot load (" + e.what() + ")");
    }
    torch::NoGradGuard no_grad;
    // copy_() into the network's own tensors keeps their layout and device.
    const auto take = [&](const std::string& name, torch::Tensor into, bool is_buffer) {
        if (name.rfind("head.", 0) == 0) return Status::success();
        torch::Tensor from;
        if (!archive_read_path(archive, name, from, is_buffer)) return Status::failure(checkpoint + ": has no " + name);
        if (from.sizes() != into.sizes())
            return Status::failure(checkpoint + ": " + name + " has shape " + c10::str(from.sizes()) + ", this network's " +
                                   c10::str(into.sizes()));
        into.copy_(from);
        return Status::success();
    };
    for (const auto& t : net->named_parameters()) {
        Status s = take(t.key(), t.value(), false);
        if (!s.ok()) return s;
    }
    for (const auto& t : net->named_buffers()) {
        Status s = take(t.key(), t.value(), true);
        if (!s.ok()) return s;
    }
    return Status::success();
}

Status train_run(Network& net, const TaskConfig& task, const TrainSet& train, const TrainSet& validation,
                 const TrainOptions& o, TrainOutcome* outcome) {
    const int labels = int(net->head->options.out_features());
    const int64_t n = train.images.size(0);
    const int64_t steps_per_epoch = (n + o.batch_size - 1) / o.batch_size;
    const torch::Tensor weights = train_loss_weights(task.output_kind, train.targets, labels).to(o.device);
    net->to(o.device);
    torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(o.learning_rate).weight_decay(task.weight_decay));

    WeightAverage average(net, steps_per_epoch);
    *outcome = TrainOutcome{};
    outcome->best_score = -1.0;
    double best_loss = INFINITY;
    int stale_epochs = 0, start_epoch = 0;
    const std::string last_path = o.run_dir + "/last.pt", best_path = o.run_dir + "/best.pt", log_path = o.run_dir + "/log.jsonl";
    if (o.resume) {
        if (!fs::exists(last_path)) return Status::failure(last_path + ": no checkpoint to resume from");
        try {
            torch::serialize::InputArchive archive, model, optim, averaged;
            archive.load_from(last_path, o.device);
            archive.read("model", model);
            archive.read("optimizer", optim);
            archive.read("average", averaged);
            net->load(model);
            optimizer.load(optim);
            average.load(averaged);
            // A fresh tensor per read: reading into a defined one reinterprets its storage.
            const auto scalar = [&](const char* key) {
                torch::Tensor v;
                archive.read(key, v);
                return v;
            };
            start_epoch = int(scalar("epoch").item<int64_t>());
            outcome->best_epoch = int(scalar("best_epoch").item<int64_t>());
            outcome->best_score = scalar("best_score").item<double>();
            best_loss = scalar("best_loss").item<double>();
            stale_epochs = int(scalar("stale_epochs").item<int64_t>());
            // Continuing in another precision is allowed (a run moved to a CPU without bfloat16) but
            // never silent: it is said here and in every log line. Older checkpoints record none.
            torch::Tensor precision;
            if (archive.try_read("precision", precision) && Precision(precision.item<int64_t>()) != o.precision)
                std::fprintf(stderr, "note: %s trained in %s up to epoch %d and goes on in %s, so it will not match an uninterrupted run\n",
                             last_path.c_str(), precision_name(Precision(precision.item<int64_t>())), start_epoch,
                             precision_name(o.precision));
        } catch (const std::exception& e) {
            return Status::failure(last_path + ": cannot resume (" + e.what() + ")");
        }
        std::fprintf(stderr, "resuming %s after epoch %d (best %.4f at epoch %d)\n", o.run_dir.c_str(), start_epoch,
                     outcome->best_score, outcome->best_epoch);
    }
    std::ofstream log(log_path, o.resume ? std::ios::app : std::ios::trunc);
    if (!log) return Status::failure(log_path + ": cannot write");

    Progress progress;
    double seconds_total = 0.0;
    int64_t images_total = 0;
    const int last_epoch = o.stop_after > 0 ? std::min(o.epochs, start_epoch + o.stop_after) : o.epochs;
    for (int epoch = start_epoch + 1; epoch <= last_epoch && stale_epochs < o.patience; ++epoch) {
        torch::manual_seed(o.seed + uint64_t(epoch));  // same batches and augmentations whether resumed or not
        const torch::Tensor order = torch::randperm(n, torch::kLong);
        net->train();
        const auto start = Clock::now();
        double loss_sum = 0.0;
        for (int64_t step = 0; step < steps_per_epoch; ++step) {
            const torch::Tensor idx = order.slice(0, step * o.batch_size, (step + 1) * o.batch_size);
            const torch::Tensor x = augment_batch(train.images.index_select(0, idx).to(o.device), task.augment,
                                                  task.input.mean, task.input.std);
            const torch::Tensor y = train.targets.index_select(0, idx).to(o.device);
            const double lr = learning_rate_at(o.learning_rate, int64_t(epoch - 1) * steps_per_epoch + step, steps_per_epoch,
                                               int64_t(o.epochs) * steps_per_epoch);
            for (auto& group : optimizer.param_groups()) static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
            const torch::Tensor w = train.weights.defined() ? train.weights.index_select(0, idx).to(o.device) : torch::Tensor();
            const torch::Tensor loss = train_step(net, optimizer, task.output_kind, x, y, weights, w, o.precision);
            average.update(int64_t(epoch - 1) * steps_per_epoch + step);
            loss_sum += loss.item<double>() * double(idx.size(0));
            const int64_t done = std::min(n, (step + 1) * o.batch_size);
            const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
            progress.draw(epoch, o.epochs, done, n, double(done) / std::max(1e-9, elapsed), loss_sum / double(done), step + 1 == steps_per_epoch);
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        seconds_total += seconds;
        images_total += n;
        const double train_loss = loss_sum / double(n);
        if (epoch == start_epoch + 1) outcome->first_loss = train_loss;
        outcome->last_loss = train_loss;

        average.swap();  // validate and keep the averaged weights
        const torch::Tensor val_logits = train_predict_logits(net, validation.images, 256, o.device);
        const double val_loss =
            loss_of(task.output_kind, val_logits, validation.targets, weights.to(torch::kCPU), validation.weights).item<double>();
        const double score = train_score(task.output_kind, val_logits, validation.targets);
        const bool better = score > outcome->best_score + 1e-9 || (std::fabs(score - outcome->best_score) <= 1e-9 && val_loss < best_loss);
        if (better) {
            outcome->best_score = score, outcome->best_epoch = epoch, best_loss = val_loss, stale_epochs = 0;
            torch::serialize::OutputArchive best;
            net->save(best);
            Status s = archive_save_atomic(best, best_path);
            if (!s.ok()) return s;
        } else {
            ++stale_epochs;
        }
        average.swap();
        torch::serialize::OutputArchive archive, model, optim, averaged;
        net->save(model);
        optimizer.save(optim);
        average.save(averaged);
        archive.write("model", model);
        archive.write("optimizer", optim);
        archive.write("average", averaged);
        archive.write("epoch", torch::tensor(int64_t(epoch)));
        archive.write("best_epoch", torch::tensor(int64_t(outcome->best_epoch)));
        archive.write("best_score", torch::tensor(outcome->best_score, torch::kDouble));
        archive.write("best_loss", torch::tensor(best_loss, torch::kDouble));
        archive.write("stale_epochs", torch::tensor(int64_t(stale_epochs)));
        archive.write("precision", torch::tensor(int64_t(o.precision)));
        Status s = archive_save_atomic(archive, last_path);
        if (!s.ok()) return s;

        char line[320];
        std::snprintf(line, sizeof line,
                      "{\"epoch\": %d, \"train_loss\": %.6f, \"val_loss\": %.6f, \"val_score\": %.6f, \"best_epoch\": %d, "
                      "\"lr\": %.3g, \"precision\": \"%s\", \"images_per_s\": %.1f, \"seconds\": %.2f}",
                      epoch, train_loss, val_loss, score, outcome->best_epoch,
                      learning_rate_at(o.learning_rate, int64_t(epoch) * steps_per_epoch - 1, steps_per_epoch, int64_t(o.epochs) * steps_per_epoch),
                      precision_name(o.precision), double(n) / seconds, seconds);
        log << line << "\n" << std::flush;
        if (progress.live) std::fputc('\n', stderr);
        std::fprintf(stderr, "epoch %d/%d  loss %.4f  val loss %.4f  val score %.4f%s  %.0f img/s\n", epoch, o.epochs, train_loss,
                     val_loss, score, better ? " (best)" : "", double(n) / seconds);
        outcome->epochs_done = epoch;
    }
    if (outcome->epochs_done == 0) outcome->epochs_done = start_epoch;
    outcome->images_per_second = seconds_total > 0 ? double(images_total) / seconds_total : 0.0;
    return Status::success();
}

}  // namespace rl
