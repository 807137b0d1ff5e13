// The training loop: shuffled mini-batches with augmentation, class-weighted
// loss, warm-up + cosine learning rate, a moving average of the weights that
// is validated each epoch and kept as best.pt, early stopping, an atomic
// checkpoint every epoch and a JSON-lines log.
#pragma once
#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "network.h"
#include "precision.h"
#include "status.h"
#include "task.h"

namespace rl {

struct TrainSet {
    torch::Tensor images;   // [N, 1, H, W] normalised
    torch::Tensor targets;  // softmax: int64 [N]; sigmoid: float [N, K]
    torch::Tensor weights;  // float [N]: each image's weight in the loss, on top of its class's; undefined: all 1 (run_data.cpp)
};

struct TrainOptions {
    int epochs = 0;
    int batch_size = 32;
    double learning_rate = 2e-3;
    int patience = 8;
    uint64_t seed = 1;
    std::string run_dir;   // last.pt, best.pt, log.jsonl
    bool resume = false;   // continue from run_dir/last.pt
    int stop_after = 0;    // stop after this many epochs in this process (0: run the schedule out)
    torch::Device device = torch::kCPU;
    Precision precision = Precision::float32;  // of the forward pass (precision.h)
};

struct TrainOutcome {
    int epochs_done = 0;   // in total, resumed epochs included
    int best_epoch = 0;
    double best_score = 0.0;
    double images_per_second = 0.0;  // training throughput over this process's epochs
    double first_loss = 0.0;         // mean training loss of the first and last epoch run here
    double last_loss = 0.0;
};

Status train_run(Network& net, const TaskConfig& task, const TrainSet& train, const TrainSet& validation,
                 const TrainOptions& options, TrainOutcome* outcome);

// One optimiser step on batch x with targets y: forward in `precision`, loss
// in float32 (class weights as train_loss_weights makes, times each image's
// weight w where w is defined), backward, AdamW. Returns the loss.
torch::Tensor train_step(Network& net, torch::optim::Optimizer& optimizer, OutputKind kind, const torch::Tensor& x,
                         const torch::Tensor& y, const torch::Tensor& weights, const torch::Tensor& w, Precision precision);

// The loss weights training used: per class for softmax (equal total pull),
// pos_weight per label for sigmoid. At the optimum a weight w adds log w to
// that label's logit, which the exported model must take back off.
torch::Tensor train_loss_weights(OutputKind kind, const torch::Tensor& targets, int labels);

// Eval-mode logits [N, K] on the CPU.
torch::Tensor train_predict_logits(Network& net, const torch::Tensor& images, int batch_size, torch::Device device);

// Validation score (higher is better): ROC AUC of the positive class for two
// classes, accuracy for more, mean ROC AUC over labels for sigmoid.
double train_score(OutputKind kind, const torch::Tensor& logits, const torch::Tensor& targets);

// Transfer: copies every convolution and batch-norm tensor of a checkpoint
// (another run's best.pt) into net; the head keeps its own initialisation.
// Fails, naming the file and the tensor, when the architectures differ.
Status train_init_from(Network& net, const std::string& checkpoint);

// Loads the model weights saved as best.pt in run_dir into net, on the CPU
// (where calibration and export run), whichever device trained them.
Status train_load_best(Network& net, const std::string& run_dir);

}  // namespace rl
