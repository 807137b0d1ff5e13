// Native half of bench/preprocess.mjs: decode + preprocess of in-memory files.
// Prints the median over files of each file's median time, in ms.
//   preprocess_bench REPEATS WIDTH HEIGHT RESIZE SCALING FILE...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <malloc.h>
#include <vector>

#include "image_decode.h"
#include "preprocess.h"

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 7) {
        std::fprintf(stderr, "usage: %s REPEATS WIDTH HEIGHT RESIZE SCALING FILE...\n", argv[0]);
        return 2;
    }
    // Keep freed buffers: glibc would return each ~256 KB image to the OS and
    // this VM pays ~17 us per page fault, which would swamp the work measured.
    mallopt(M_MMAP_THRESHOLD, 1 << 30);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    const int repeats = std::atoi(argv[1]);
    rl::InputSpec spec;
    spec.width = std::atoi(argv[2]);
    spec.height = std::atoi(argv[3]);
    if (!rl::resize_policy_parse(argv[4], &spec.resize) || !rl::intensity_scaling_parse(argv[5], &spec.scaling)) return 2;

    std::vector<double> file_medians_ms;
    for (int f = 6; f < argc; ++f) {
        std::ifstream in(argv[f], std::ios::binary);
        const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::vector<double> times_ms;
        for (int r = 0; r < repeats; ++r) {
            const auto start = std::chrono::steady_clock::now();
            rl::GrayImage image;
            std::vector<float> input;  // [1, H, W]
            if (!rl::image_decode(bytes.data(), bytes.size(), &image).ok() || !rl::preprocess(image, spec, &input).ok()) {
                std::fprintf(stderr, "%s: cannot decode\n", argv[f]);
                return 1;
            }
            times_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        file_medians_ms.push_back(median(times_ms));
    }
    std::printf("%.4f\n", median(file_medians_ms));
    return 0;
}
