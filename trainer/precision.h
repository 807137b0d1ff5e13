// Arithmetic precision of the training forward pass. In bfloat16 the
// convolutions and the head compute in bfloat16 while weights, gradients,
// AdamW's state, validation and export stay float32, as torch.autocast does:
// a step is 1.35-1.7x faster on a CPU with native bfloat16 instructions
// (bench/train_step.mjs). Without them oneDNN emulates bfloat16 with
// AVX-512 and has no bfloat16 convolution below it (held to AVX2, one
// fails), so bfloat16 is used only where the CPU has them.
#pragma once
#include <string>

#include "status.h"

namespace rl {

enum class Precision { float32, bfloat16 };

// Whether this CPU has native bfloat16 instructions (AVX512_BF16).
bool precision_native_bfloat16();

// "auto", "float32" or "bfloat16"; auto is bfloat16 where the CPU has native
// bfloat16, float32 otherwise. bfloat16 is refused elsewhere and on CUDA,
// where it is unverified.
Status precision_parse(const std::string& name, bool cuda, Precision* out);
const char* precision_name(Precision p);

// Computes CPU operations in p while alive (float32: no change). Leaving it
// drops autocast's bfloat16 copies of the weights, which the next optimiser
// step makes stale.
class PrecisionScope {
public:
    explicit PrecisionScope(Precision p);
    ~PrecisionScope();
    PrecisionScope(const PrecisionScope&) = delete;
    PrecisionScope& operator=(const PrecisionScope&) = delete;

private:
    bool active_, was_enabled_;
};

}  // namespace rl
