// Native DICOM reading; see dicom_file.h.
#include "dicom_file.h"

#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcpixel.h>
#include <dcmtk/dcmdata/dcpixseq.h>
#include <dcmtk/dcmdata/dcpxitem.h>
#include <dcmtk/dcmdata/dcrledrg.h>
#include <dcmtk/dcmdata/dcxfer.h>
#include <dcmtk/dcmjpeg/djdecode.h>
#include <dcmtk/dcmjpls/djdecode.h>
#include <dcmtk/oflog/oflog.h>
#include <openjpeg.h>
#include <pthread.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <mutex>
#include <vector>

namespace rl {
namespace {

constexpr size_t kParseStackBase = size_t(16) << 20;    // bytes of stack for a flat file
constexpr size_t kParseStackPerItem = size_t(8) << 10;  // bytes a nesting level can take (ASan included)
constexpr size_t kParseMaxItems = 200000;               // item tags a file may hold (each can nest one level)
constexpr const char* kJpeg2000Lossless = "1.2.840.10008.1.2.4.90";
constexpr const char* kJpeg2000 = "1.2.840.10008.1.2.4.91";

// DCMTK's decoders register process-wide; its log would print to stderr.
void codecs_register() {
    static std::once_flag once;
    std::call_once(once, [] {
        OFLog::configure(OFLogger::FATAL_LOG_LEVEL);
        DcmRLEDecoderRegistration::registerCodecs();
        DJDecoderRegistration::registerCodecs();
        DJLSDecoderRegistration::registerCodecs();
    });
}

// DCMTK parses nested sequences recursively, so a hostile file of deeply
// nested items would overflow the stack. Every level needs an item tag
// (FFFE,E000), so their count bounds the depth; the parse runs on a thread
// whose stack fits that depth.
size_t item_tag_count(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<uint8_t> b((std::istreambuf_iterator<char>(in)), {});
    size_t n = 0;
    for (size_t i = 0; i + 4 <= b.size(); ++i)
        n += (b[i] == 0xfe && b[i + 1] == 0xff && b[i + 2] == 0x00 && b[i + 3] == 0xe0) ||
             (b[i] == 0xff && b[i + 1] == 0xfe && b[i + 2] == 0xe0 && b[i + 3] == 0x00);
    return n;
}

std::string text(DcmItem* item, const DcmTagKey& tag, unsigned long pos = 0) {
    OFString s;
    if (item->findAndGetOFString(tag, s, pos).bad()) return {};
    return std::string(s.c_str());
}

int integer(DcmItem* item, const DcmTagKey& tag, int fallback) {
    Uint16 us = 0;
    if (item->findAndGetUint16(tag, us).good()) return us;
    Sint32 is = 0;  // Number of Frames is an IS string
    if (item->findAndGetSint32(tag, is).good()) return is;
    return fallback;
}

double real(DcmItem* item, const DcmTagKey& tag, double fallback, unsigned long pos = 0) {
    Float64 v = 0;
    return item->findAndGetFloat64(tag, v, pos).good() ? v : fallback;
}

void header_read(DcmDataset* ds, DicomHeader* h) {
    h->modality = text(ds, DCM_Modality);
    h->body_part = text(ds, DCM_BodyPartExamined);
    h->view_position = text(ds, DCM_ViewPosition);
    h->laterality = text(ds, DCM_ImageLaterality);
    if (h->laterality.empty()) h->laterality = text(ds, DCM_Laterality);
    h->series_description = text(ds, DCM_SeriesDescription);
    h->rows = integer(ds, DCM_Rows, 0);
    h->columns = integer(ds, DCM_Columns, 0);
    h->frames = std::max(1, integer(ds, DCM_NumberOfFrames, 1));
    h->samples_per_pixel = integer(ds, DCM_SamplesPerPixel, 1);
    h->planar_configuration = integer(ds, DCM_PlanarConfiguration, 0);
    h->bits_allocated = integer(ds, DCM_BitsAllocated, 0);
    h->bits_stored = integer(ds, DCM_BitsStored, h->bits_allocated);
    h->high_bit = integer(ds, DCM_HighBit, h->bits_stored - 1);
    h->pixel_representation = integer(ds, DCM_PixelRepresentation, 0);
    h->rescale_slope = real(ds, DCM_RescaleSlope, 1);
    h->rescale_intercept = real(ds, DCM_RescaleIntercept, 0);
    h->rescale_type = text(ds, DCM_RescaleType);
    const double spacing_row = real(ds, DCM_PixelSpacing, 0, 0), spacing_col = real(ds, DCM_PixelSpacing, 0, 1);
    h->pixel_spacing_mm[0] = spacing_row > 0 ? spacing_row : real(ds, DCM_ImagerPixelSpacing, 0, 0);
    h->pixel_spacing_mm[1] = spacing_col > 0 ? spacing_col : real(ds, DCM_ImagerPixelSpacing, 0, 1);
    h->voi_function = text(ds, DCM_VOILUTFunction);
    h->presentation_lut_shape = text(ds, DCM_PresentationLUTShape);
    DcmElement* centers = nullptr;
    DcmElement* widths = nullptr;
    if (ds->findAndGetElement(DCM_WindowCenter, centers).good() && ds->findAndGetElement(DCM_WindowWidth, widths).good()) {
        const unsigned long n = std::min(centers->getVM(), widths->getVM());  // DCMTK uses the shorter list
        for (unsigned long i = 0; i < n; ++i)
            h->windows.push_back({real(ds, DCM_WindowCenter, 0, i), real(ds, DCM_WindowWidth, 0, i),
                                  text(ds, DCM_WindowCenterWidthExplanation, i)});
    }
    DcmSequenceOfItems* luts = nullptr;
    if (ds->findAndGetSequence(DCM_VOILUTSequence, luts).good() && luts)
        for (unsigned long i = 0; i < luts->card(); ++i) {
            DcmItem* item = luts->getItem(i);
            Uint16 d[3] = {0, 0, 0};
            bool ok = true;
            for (unsigned long k = 0; k < 3; ++k) ok = ok && item->findAndGetUint16(DCM_LUTDescriptor, d[k], k).good();
            const Uint16* data = nullptr;
            unsigned long count = 0;
            if (!ok || item->findAndGetUint16Array(DCM_LUTData, data, &count).bad() || !data) continue;
            DicomVoiLut lut;
            lut.entries = d[0] == 0 ? 65536 : d[0];
            lut.first_mapped = d[1];
            lut.bits = d[2];
            lut.data.assign(data, data + count);
            lut.explanation = text(item, DCM_LUTExplanation);
            h->voi_luts.push_back(std::move(lut));
        }
}

// OpenJPEG reads the codestream from memory through these callbacks.
struct MemoryStream {
    const uint8_t* data;
    size_t size, pos;
};

OPJ_SIZE_T stream_read(void* buffer, OPJ_SIZE_T n, void* user) {
    auto* m = static_cast<MemoryStream*>(user);
    if (m->pos >= m->size) return OPJ_SIZE_T(-1);
    n = std::min(n, OPJ_SIZE_T(m->size - m->pos));
    std::memcpy(buffer, m->data + m->pos, n);
    m->pos += n;
    return n;
}

OPJ_OFF_T stream_skip(OPJ_OFF_T n, void* user) {
    auto* m = static_cast<MemoryStream*>(user);
    const OPJ_OFF_T room = n < 0 ? -OPJ_OFF_T(m->pos) : OPJ_OFF_T(m->size - m->pos);
    n = n < 0 ? std::max(n, room) : std::min(n, room);
    m->pos = size_t(OPJ_OFF_T(m->pos) + n);
    return n;
}

OPJ_BOOL stream_seek(OPJ_OFF_T n, void* user) {
    auto* m = static_cast<MemoryStream*>(user);
    if (n < 0 || size_t(n) > m->size) return OPJ_FALSE;
    m->pos = size_t(n);
    return OPJ_TRUE;
}

// Decodes one JPEG 2000 codestream into little-endian words of `h`'s layout.
Status j2k_decode(const std::vector<uint8_t>& code, const DicomHeader& h, std::vector<uint8_t>* words) {
    const bool jp2 = code.size() >= 12 && std::memcmp(code.data() + 4, "jP  ", 4) == 0;
    opj_codec_t* codec = opj_create_decompress(jp2 ? OPJ_CODEC_JP2 : OPJ_CODEC_J2K);
    opj_dparameters_t params;
    opj_set_default_decoder_parameters(&params);
    MemoryStream mem{code.data(), code.size(), 0};
    opj_stream_t* stream = opj_stream_create(1 << 16, OPJ_TRUE);
    opj_stream_set_user_data(stream, &mem, nullptr);
    opj_stream_set_user_data_length(stream, code.size());
    opj_stream_set_read_function(stream, stream_read);
    opj_stream_set_skip_function(stream, stream_skip);
    opj_stream_set_seek_function(stream, stream_seek);
    opj_image_t* image = nullptr;
    Status s = Status::success();
    if (!opj_setup_decoder(codec, &params) || !opj_read_header(stream, codec, &image) ||
        !opj_decode(codec, stream, image) || !opj_end_decompress(codec, stream)) {
        s = Status::failure("corrupt JPEG 2000 codestream");
    } else if (int(image->numcomps) != h.samples_per_pixel) {
        s = Status::failure("JPEG 2000 codestream has " + std::to_string(image->numcomps) + " components, the header says " +
                            std::to_string(h.samples_per_pixel));
    } else {
        for (OPJ_UINT32 c = 0; c < image->numcomps && s.ok(); ++c)
            if (image->comps[c].w != OPJ_UINT32(h.columns) || image->comps[c].h != OPJ_UINT32(h.rows) || !image->comps[c].data)
                s = Status::failure("JPEG 2000 component size differs from Rows x Columns");
    }
    if (s.ok()) {
        const size_t pixels = size_t(h.rows) * size_t(h.columns), bytes = size_t(h.bits_allocated / 8);
        for (size_t i = 0; i < pixels; ++i)
            for (int c = 0; c < h.samples_per_pixel; ++c) {
                const uint32_t v = uint32_t(image->comps[c].data[i]);  // two's complement keeps signed values
                for (size_t b = 0; b < bytes; ++b) words->push_back(uint8_t(v >> (8 * b)));
            }
    }
    if (image) opj_image_destroy(image);
    opj_stream_destroy(stream);
    opj_destroy_codec(codec);
    return s;
}

// JPEG 2000 frames: one fragment per frame, or all fragments for one frame.
Status j2k_frames(DcmDataset* ds, DicomHeader* h, std::vector<uint8_t>* words) {
    DcmElement* element = nullptr;
    DcmPixelSequence* seq = nullptr;
    if (ds->findAndGetElement(DCM_PixelData, element).bad() || !element)
        return Status::failure("no Pixel Data");
    auto* pixel = static_cast<DcmPixelData*>(element);
    if (pixel->getEncapsulatedRepresentation(ds->getOriginalXfer(), nullptr, seq).bad() || !seq)
        return Status::failure("JPEG 2000 Pixel Data is not encapsulated");
    std::vector<std::vector<uint8_t>> fragments;
    for (unsigned long i = 1; i < seq->card(); ++i) {  // item 0 is the offset table
        DcmPixelItem* item = nullptr;
        Uint8* data = nullptr;
        if (seq->getItem(item, i).bad() || item->getUint8Array(data).bad()) return Status::failure("unreadable fragment");
        fragments.emplace_back(data, data + item->getLength());
    }
    if (fragments.empty()) return Status::failure("no JPEG 2000 fragments");
    if (h->frames == 1 && fragments.size() > 1) {
        for (size_t i = 1; i < fragments.size(); ++i)
            fragments[0].insert(fragments[0].end(), fragments[i].begin(), fragments[i].end());
        fragments.resize(1);
    }
    if (fragments.size() != size_t(h->frames))
        return Status::failure(std::to_string(fragments.size()) + " JPEG 2000 fragments for " + std::to_string(h->frames) +
                               " frames");
    for (const auto& code : fragments) {
        Status s = j2k_decode(code, *h, words);
        if (!s.ok()) return s;
    }
    // OpenJPEG undoes the ICT/RCT colour transform itself.
    if (h->photometric == "YBR_ICT" || h->photometric == "YBR_RCT") h->photometric = "RGB";
    return Status::success();
}

Status pixel_words(DcmDataset* ds, std::vector<uint8_t>* words) {
    DcmElement* element = nullptr;
    if (ds->findAndGetElement(DCM_PixelData, element).bad() || !element) return Status::failure("no Pixel Data");
    const Uint32 length = element->getLength();
    if (element->getVR() == EVR_OW) {  // DCMTK holds OW in host order (little-endian here)
        Uint16* data = nullptr;
        if (element->getUint16Array(data).bad() || !data) return Status::failure("unreadable Pixel Data");
        const auto* bytes = reinterpret_cast<const uint8_t*>(data);
        words->assign(bytes, bytes + length);
    } else {
        Uint8* data = nullptr;
        if (element->getUint8Array(data).bad() || !data) return Status::failure("unreadable Pixel Data");
        words->assign(data, data + length);
    }
    return Status::success();
}

Status file_read(const std::string& path, DicomImage* out) {
    DcmFileFormat file;
    const OFCondition loaded = file.loadFile(path.c_str());
    if (loaded.bad()) return Status::failure(path + ": not a readable DICOM file (" + loaded.text() + ")");
    DcmDataset* ds = file.getDataset();
    DicomHeader h;
    const DcmXfer xfer(ds->getOriginalXfer());
    h.transfer_syntax = xfer.getXferID();
    h.photometric_in_file = text(ds, DCM_PhotometricInterpretation);
    std::vector<uint8_t> words;
    Status s;
    if (h.transfer_syntax == kJpeg2000Lossless || h.transfer_syntax == kJpeg2000) {
        header_read(ds, &h);
        h.photometric = h.photometric_in_file;
        s = j2k_frames(ds, &h, &words);
    } else {
        // Decompresses encapsulated syntaxes; DCMTK rewrites the attributes
        // that change (a JPEG's YBR_FULL_422 becomes RGB).
        if (xfer.isEncapsulated() && ds->chooseRepresentation(EXS_LittleEndianExplicit, nullptr).bad())
            return Status::failure(path + ": cannot decode transfer syntax " + xfer.getXferName() + " (" + h.transfer_syntax + ")");
        header_read(ds, &h);
        h.photometric = text(ds, DCM_PhotometricInterpretation);
        s = pixel_words(ds, &words);
    }
    if (!s.ok()) return Status::failure(path + ": " + s.message);
    return dicom_image_from_words(h, words.data(), words.size(), path, out);
}

struct Read {
    const std::string* path;
    DicomImage* out;
    Status result;
};

void* read_run(void* arg) {
    auto* read = static_cast<Read*>(arg);
    read->result = file_read(*read->path, read->out);
    return nullptr;
}

}  // namespace

bool dicom_file_is_dicom(const std::string& path) {
    std::string ext = path.size() >= 4 ? path.substr(path.size() - 4) : "";
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".dcm") return true;
    char magic[132] = {};
    std::ifstream in(path, std::ios::binary);
    return in.read(magic, sizeof magic) && std::memcmp(magic + 128, "DICM", 4) == 0;
}

Status dicom_file_read(const std::string& path, DicomImage* out) {
    codecs_register();
    const size_t items = item_tag_count(path);
    if (items > kParseMaxItems)
        return Status::failure(path + ": " + std::to_string(items) + " sequence items, more than the " +
                               std::to_string(kParseMaxItems) + " accepted");
    Read read{&path, out, Status::success()};
    pthread_attr_t attr;
    pthread_t thread;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kParseStackBase + items * kParseStackPerItem);
    const int started = pthread_create(&thread, &attr, read_run, &read);
    pthread_attr_destroy(&attr);
    if (started != 0) return Status::failure(path + ": cannot start the parser thread");
    pthread_join(thread, nullptr);
    return read.result;
}

Status dicom_file_gray(const std::string& path, GrayImage* out) {
    DicomImage image;
    Status s = dicom_file_read(path, &image);
    if (!s.ok()) return s;
    s = dicom_model_view(image, out);
    return s.ok() ? s : Status::failure(path + ": " + s.message);
}

}  // namespace rl
