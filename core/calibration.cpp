// Softmax/sigmoid with temperature, the NLL, and the one-dimensional search.
#include "calibration.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace rl {
namespace {

// log(sigmoid(z)) without overflow for large |z|.
double log_sigmoid(double z) { return z >= 0 ? -std::log1p(std::exp(-z)) : z - std::log1p(std::exp(z)); }

}  // namespace

std::vector<float> calibration_probabilities(const std::vector<float>& logits, int label_count, OutputKind kind,
                                             double temperature) {
    assert(label_count > 0 && logits.size() % size_t(label_count) == 0 && temperature > 0);
    std::vector<float> probs(logits.size());
    const size_t k = size_t(label_count);
    for (size_t row = 0; row < logits.size() / k; ++row) {
        const float* z = logits.data() + row * k;
        float* p = probs.data() + row * k;
        if (kind == OutputKind::sigmoid) {
            for (size_t j = 0; j < k; ++j) p[j] = float(1.0 / (1.0 + std::exp(-z[j] / temperature)));
            continue;
        }
        const double top = *std::max_element(z, z + k) / temperature;  // subtract the max: no overflow
        double sum = 0.0;
        for (size_t j = 0; j < k; ++j) sum += std::exp(z[j] / temperature - top);
        for (size_t j = 0; j < k; ++j) p[j] = float(std::exp(z[j] / temperature - top) / sum);
    }
    return probs;
}

double calibration_nll(const std::vector<float>& logits, const std::vector<int>& targets, int label_count, OutputKind kind,
                       double temperature) {
    const size_t k = size_t(label_count), rows = logits.size() / k;
    double total = 0.0;
    for (size_t row = 0; row < rows; ++row) {
        const float* z = logits.data() + row * k;
        if (kind == OutputKind::sigmoid) {
            for (size_t j = 0; j < k; ++j) {
                const double s = z[j] / temperature;
                total -= targets[row * k + j] ? log_sigmoid(s) : log_sigmoid(-s);
            }
            continue;
        }
        const double top = *std::max_element(z, z + k) / temperature;
        double sum = 0.0;
        for (size_t j = 0; j < k; ++j) sum += std::exp(z[j] / temperature - top);
        total -= z[targets[row]] / temperature - top - std::log(sum);
    }
    return total / double(kind == OutputKind::sigmoid ? rows * k : rows);
}

bool calibration_separated(const std::vector<float>& logits, const std::vector<int>& targets, int label_count, OutputKind kind) {
    const size_t k = size_t(label_count), rows = logits.size() / k;
    for (size_t row = 0; row < rows; ++row) {
        const float* z = logits.data() + row * k;
        for (size_t j = 0; j < k; ++j) {
            const bool wrong = kind == OutputKind::sigmoid ? (targets[row * k + j] ? z[j] < 0 : z[j] > 0) : z[j] > z[targets[row]];
            if (wrong) return false;
        }
    }
    return true;
}

double calibration_fit_temperature(const std::vector<float>& logits, const std::vector<int>& targets, int label_count,
                                   OutputKind kind) {
    if (calibration_separated(logits, targets, label_count, kind)) return 1.0;
    // NLL is unimodal in log T for a fixed set of logits.
    const double phi = (std::sqrt(5.0) - 1.0) / 2.0;
    double lo = std::log(0.05), hi = std::log(20.0);
    const auto nll = [&](double log_t) { return calibration_nll(logits, targets, label_count, kind, std::exp(log_t)); };
    double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
    double fa = nll(a), fb = nll(b);
    for (int i = 0; i < 80; ++i) {
        if (fa < fb) {
            hi = b, b = a, fb = fa;
            a = hi - phi * (hi - lo), fa = nll(a);
        } else {
            lo = a, a = b, fa = fb;
            b = lo + phi * (hi - lo), fb = nll(b);
        }
    }
    return std::exp((lo + hi) / 2.0);
}

}  // namespace rl
