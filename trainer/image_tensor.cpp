// Parallel decode into a tensor; see image_tensor.h.
#include "image_tensor.h"

#include <ATen/Parallel.h>

#include "dicom_file.h"

namespace rl {

ImageTensor image_tensor_load(const std::vector<Sample>& samples, const std::vector<size_t>& indices, const InputSpec& spec) {
    const int64_t n = int64_t(indices.size()), plane = int64_t(spec.width) * spec.height;
    torch::Tensor all = torch::empty({n, 1, spec.height, spec.width});
    std::vector<std::string> errors(indices.size());
    float* dst = all.data_ptr<float>();
    at::parallel_for(0, n, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) {
            GrayImage image;
            std::vector<float> input;
            const std::string& path = samples[indices[size_t(i)]].path;
            // DICOM through its default VOI preset, exactly as the app and classify see it.
            Status s = dicom_file_is_dicom(path) ? dicom_file_gray(path, &image) : image_decode_file(path, &image);
            if (s.ok()) s = preprocess(image, spec, &input);
            if (s.ok()) std::copy(input.begin(), input.end(), dst + i * plane);
            else errors[size_t(i)] = s.message.empty() ? "failed" : s.message;
        }
    });
    ImageTensor out;
    std::vector<int64_t> rows;
    for (size_t i = 0; i < indices.size(); ++i) {
        if (!errors[i].empty()) { out.problems.push_back(errors[i]); continue; }
        rows.push_back(int64_t(i));
        out.kept.push_back(indices[i]);
    }
    out.images = rows.size() == indices.size() ? all : all.index_select(0, torch::tensor(rows));
    return out;
}

}  // namespace rl
