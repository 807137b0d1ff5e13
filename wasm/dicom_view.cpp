// The selected DICOM image; see dicom_view.h.
#include "dicom_view.h"

void dicom_view_set(DicomView& d, rl::DicomImage image, const std::string& path) {
    d.path = path;
    d.image = std::move(image);
    d.presets = rl::dicom_voi_presets(d.image);
    d.preset = 0;
    d.frame = 0;
}

void dicom_view_clear(DicomView& d) { d = {}; }

rl::Status dicom_view_render(const DicomView& d, rl::GrayImage* out) {
    const rl::DicomVoi voi = d.presets.empty() ? rl::DicomVoi{} : d.presets[size_t(d.preset)].voi;
    return rl::dicom_gray(d.image, d.frame, voi, out);
}

std::string dicom_view_model_input(const DicomView& d) {
    return "The model saw frame 1 through " + (d.presets.empty() ? std::string("the colour image in grey") : d.presets.front().label) +
           ".";
}
