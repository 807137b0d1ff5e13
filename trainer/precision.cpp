// Training precision; see precision.h.
#include "precision.h"

#include <ATen/autocast_mode.h>
#include <torch/version.h>

namespace rl {

// LibTorch 2.4 gave autocast calls that take the device and deprecated the
// per-device ones (with a run-time warning), which later releases removed;
// Debian's 1.13 has only those.
namespace {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool cpu_autocast_enabled() { return at::autocast::is_autocast_enabled(at::kCPU); }
void set_cpu_autocast(bool on) { at::autocast::set_autocast_enabled(at::kCPU, on); }
void set_cpu_autocast_dtype(at::ScalarType t) { at::autocast::set_autocast_dtype(at::kCPU, t); }
#else
bool cpu_autocast_enabled() { return at::autocast::is_cpu_enabled(); }
void set_cpu_autocast(bool on) { at::autocast::set_cpu_enabled(on); }
void set_cpu_autocast_dtype(at::ScalarType t) { at::autocast::set_autocast_cpu_dtype(t); }
#endif
}  // namespace

bool precision_native_bfloat16() { return __builtin_cpu_supports("avx512bf16"); }

Status precision_parse(const std::string& name, bool cuda, Precision* out) {
    if (name != "auto" && name != "float32" && name != "bfloat16")
        return Status::failure("--precision must be auto, float32 or bfloat16");
    const bool native = !cuda && precision_native_bfloat16();
    if (name == "bfloat16" && !native)
        return Status::failure(cuda ? "--precision bfloat16: only on the CPU; CUDA training runs in float32"
                                    : "--precision bfloat16: this CPU has no native bfloat16 (AVX512_BF16); train in float32");
    *out = name == "bfloat16" || (name == "auto" && native) ? Precision::bfloat16 : Precision::float32;
    return Status::success();
}

const char* precision_name(Precision p) { return p == Precision::bfloat16 ? "bfloat16" : "float32"; }

PrecisionScope::PrecisionScope(Precision p) : active_(p == Precision::bfloat16), was_enabled_(cpu_autocast_enabled()) {
    if (!active_) return;
    set_cpu_autocast_dtype(at::kBFloat16);
    set_cpu_autocast(true);
    at::autocast::increment_nesting();
}

PrecisionScope::~PrecisionScope() {
    if (!active_) return;
    set_cpu_autocast(was_enabled_);
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
}

}  // namespace rl
