// LibTorch half of bench/train_step.mjs: images/s of one training step
// (forward, backward, AdamW) of a task's network at its input size and
// batch, median over timed steps. Prints the network's shape (widths, stem
// stride, input size, batch, precision, 1 when it sees the mirror difference),
// then images/s.
//   train_step_bench TASK STEPS [auto|float32|bfloat16]   (default auto, as the trainer)
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "task.h"
#include "train.h"

int main(int argc, char** argv) {
    rl::Precision precision;
    if ((argc != 3 && argc != 4) || !rl::task_find(argv[1]) || !rl::precision_parse(argc == 4 ? argv[3] : "auto", false, &precision).ok()) {
        std::fprintf(stderr, "usage: %s TASK STEPS [auto|float32|bfloat16]\n", argv[0]);
        return 2;
    }
    mallopt(M_MMAP_THRESHOLD, 1 << 30);  // as the trainer does (see trainer/main.cpp)
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    torch::set_num_threads(int(std::thread::hardware_concurrency()));
    const rl::TaskConfig& task = *rl::task_find(argv[1]);
    const int size = task.input.width, batch = task.batch_size, steps = std::atoi(argv[2]);
    std::string widths;
    for (int w : task.widths) widths += (widths.empty() ? "" : ",") + std::to_string(w);
    std::printf("%s %d %d %d %s %d\n", widths.c_str(), task.stem_stride, size, batch, rl::precision_name(precision), int(task.asymmetry));

    torch::manual_seed(0);
    rl::Network net(task.widths, 2, 0.2, task.stem_stride, task.asymmetry);
    net->train();
    torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-3).weight_decay(1e-4));
    const torch::Tensor x = torch::randn({batch, 1, size, size});  // [N, 1, H, W]
    const torch::Tensor y = torch::randint(0, 2, {batch}, torch::kLong);
    const torch::Tensor weights = torch::ones({2});
    std::vector<double> ms;
    for (int s = 0; s < steps + 3; ++s) {  // 3 warm-up steps
        const auto start = std::chrono::steady_clock::now();
        rl::train_step(net, optimizer, rl::OutputKind::softmax, x, y, weights, torch::Tensor(), precision);
        if (s >= 3) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%.1f\n", batch * 1000.0 / ms[ms.size() / 2]);
    return 0;
}
