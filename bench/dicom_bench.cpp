// Native half of bench/dicom.mjs: reads (DCMTK / OpenJPEG) and renders frame 1
// of each FILE through its default VOI preset RUNS times, and prints one line
// per file: "<file> <median ms>".
//   dicom_bench RUNS FILE...
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "dicom_file.h"

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s RUNS FILE...\n", argv[0]);
        return 2;
    }
    const int runs = std::max(1, std::atoi(argv[1]));
    for (int f = 2; f < argc; ++f) {
        std::vector<double> ms;
        for (int r = 0; r < runs; ++r) {
            const auto start = std::chrono::steady_clock::now();
            rl::GrayImage image;
            const rl::Status s = rl::dicom_file_gray(argv[f], &image);
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            if (!s.ok()) {
                std::fprintf(stderr, "%s\n", s.message.c_str());
                return 1;
            }
        }
        std::sort(ms.begin(), ms.end());
        std::printf("%s %.2f\n", argv[f], ms[ms.size() / 2]);
    }
    return 0;
}
