// Reads a DICOM file natively (trainer, native tests, benchmarks): DCMTK
// parses it and decompresses RLE, deflate, JPEG (8/12/16-bit, lossless) and
// JPEG-LS; OpenJPEG decodes JPEG 2000, which DCMTK lacks. The pixels then go
// through core's dicom_image pipeline, as in the browser.
#pragma once
#include <string>

#include "dicom_image.h"
#include "status.h"

namespace rl {

// True for a Part 10 file ("DICM" after the 128-byte preamble) or a .dcm name.
bool dicom_file_is_dicom(const std::string& path);

// Reads every frame; messages start with the path and name the reason (an
// unsupported transfer syntax is named with its UID).
Status dicom_file_read(const std::string& path, DicomImage* out);

// dicom_file_read, then dicom_model_view.
Status dicom_file_gray(const std::string& path, GrayImage* out);

}  // namespace rl
