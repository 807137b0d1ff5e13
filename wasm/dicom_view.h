// The DICOM image behind the selected file, when it is one: its header for
// the panel, its VOI presets and frames for the viewer. The model always sees
// frame 1 through the first preset (the file's own choice, as dcm2pnm makes
// it); switching here changes only what is shown.
#pragma once
#include <string>
#include <vector>

#include "dicom_image.h"

struct DicomView {
    std::string path;  // empty: the selected file is not DICOM
    rl::DicomImage image;
    std::vector<rl::DicomVoiPreset> presets;
    int preset = 0;  // into presets (colour images have none)
    int frame = 0;
};

void dicom_view_set(DicomView& d, rl::DicomImage image, const std::string& path);
void dicom_view_clear(DicomView& d);
// The shown frame through the shown preset, as an 8-bit grey image.
rl::Status dicom_view_render(const DicomView& d, rl::GrayImage* out);
// What the model was given, for the results panel.
std::string dicom_view_model_input(const DicomView& d);
