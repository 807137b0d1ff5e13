// Native half of the wasm/native parity test: preprocesses each file and
// writes the model input to OUT_DIR/<n>.f32 (raw float32) or <n>.err.
//   preprocess_dump OUT_DIR WIDTH HEIGHT RESIZE SCALING MEAN STD FILE...
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "image_decode.h"
#include "preprocess.h"

int main(int argc, char** argv) {
    if (argc < 9) {
        std::fprintf(stderr, "usage: %s OUT_DIR WIDTH HEIGHT RESIZE SCALING MEAN STD FILE...\n", argv[0]);
        return 2;
    }
    const std::string out_dir = argv[1];
    rl::InputSpec spec;
    spec.width = std::atoi(argv[2]);
    spec.height = std::atoi(argv[3]);
    spec.mean = std::strtof(argv[6], nullptr);
    spec.std = std::strtof(argv[7], nullptr);
    if (!rl::resize_policy_parse(argv[4], &spec.resize) || !rl::intensity_scaling_parse(argv[5], &spec.scaling)) {
        std::fprintf(stderr, "unknown resize policy or scaling\n");
        return 2;
    }
    for (int i = 8; i < argc; ++i) {
        rl::GrayImage image;
        std::vector<float> input;
        rl::Status s = rl::image_decode_file(argv[i], &image);
        if (s.ok()) s = rl::preprocess(image, spec, &input);
        const std::string stem = out_dir + "/" + std::to_string(i - 8);
        std::FILE* f = std::fopen((stem + (s.ok() ? ".f32" : ".err")).c_str(), "wb");
        if (!f) return 1;
        if (s.ok()) std::fwrite(input.data(), sizeof(float), input.size(), f);
        else std::fputs(s.message.c_str(), f);
        std::fclose(f);
    }
    return 0;
}
