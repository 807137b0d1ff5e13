// Native half of the browser/native DICOM test: renders frame 1 of FILE
// through the native reader with the given VOI and writes the 8-bit pixels
// (as dcm2pnm's payload) to stdout, or the error to stderr with exit 1.
//   dicom_render_dump FILE KIND INDEX   (KIND: 0 window, 1 VOI LUT, 2 min-max)
#include <cstdio>
#include <cstdlib>

#include "dicom_file.h"

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s FILE KIND INDEX\n", argv[0]);
        return 2;
    }
    rl::DicomImage image;
    rl::DicomRendering r;
    rl::Status s = rl::dicom_file_read(argv[1], &image);
    if (s.ok()) s = rl::dicom_render(image, 0, {rl::DicomVoi::Kind(std::atoi(argv[2])), std::atoi(argv[3])}, &r);
    if (!s.ok()) {
        std::fprintf(stderr, "%s\n", s.message.c_str());
        return 1;
    }
    std::fwrite(r.pixels.data(), 1, r.pixels.size(), stdout);
    return 0;
}
