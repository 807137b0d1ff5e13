// DICOM display pipeline; see dicom_image.h. Casts from double to the 8-bit
// output truncate, as DCMTK's OFstatic_cast does: that is what makes the
// renderings equal dcm2pnm's byte for byte.
#include "dicom_image.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace rl {
namespace {

using json = nlohmann::json;

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

Status header_check(const DicomHeader& h) {
    if (h.rows < 1 || h.columns < 1 || h.rows > kImageMaxSidePx || h.columns > kImageMaxSidePx)
        return Status::failure("image size " + std::to_string(h.columns) + " x " + std::to_string(h.rows) + " out of range");
    if (h.frames < 1 || size_t(h.frames) * size_t(h.rows) * size_t(h.columns) > kImageMaxPixels)
        return Status::failure(std::to_string(h.frames) + " frames of " + std::to_string(h.columns) + " x " +
                               std::to_string(h.rows) + " exceed the size limit");
    if (h.bits_allocated != 8 && h.bits_allocated != 16)
        return Status::failure("Bits Allocated " + std::to_string(h.bits_allocated) + " is not supported (8 or 16)");
    if (h.bits_stored < 1 || h.bits_stored > h.bits_allocated || h.high_bit < h.bits_stored - 1 ||
        h.high_bit >= h.bits_allocated)
        return Status::failure("inconsistent Bits Stored " + std::to_string(h.bits_stored) + " / High Bit " +
                               std::to_string(h.high_bit));
    const bool mono = h.photometric == "MONOCHROME1" || h.photometric == "MONOCHROME2";
    const bool colour = h.photometric == "RGB" || h.photometric == "YBR_FULL" || h.photometric == "YBR_FULL_422";
    if (!mono && !colour) return Status::failure("Photometric Interpretation '" + h.photometric + "' is not supported");
    if (h.samples_per_pixel != (mono ? 1 : 3))
        return Status::failure(std::to_string(h.samples_per_pixel) + " samples per pixel do not fit " + h.photometric);
    if (!std::isfinite(h.rescale_slope) || !std::isfinite(h.rescale_intercept) || h.rescale_slope == 0)
        return Status::failure("invalid Rescale Slope / Intercept");
    return Status::success();
}

// DCMTK's YCbCr -> RGB (dcmimage diybrpxt.h), full range.
void ybr_to_rgb(int32_t y, int32_t cb, int32_t cr, int32_t max, int32_t* rgb) {
    const double m = max;
    const double d[3] = {y + 1.4020 * cr - 0.7010 * m, y - 0.3441 * cb - 0.7141 * cr + 0.5291 * m,
                         y + 1.7720 * cb - 0.8859 * m};
    for (int c = 0; c < 3; ++c) rgb[c] = d[c] < 0 ? 0 : d[c] > m ? max : int32_t(d[c]);
}

// Modality LUT: rescale into DCMTK's integer intermediate (truncation).
int32_t modality(const DicomHeader& h, int32_t stored) {
    if (h.rescale_slope == 1 && h.rescale_intercept == 0) return stored;
    // Clamped: a finite slope such as 1e300 overflows int32, and the cast alone would be undefined.
    const double v = double(stored) * h.rescale_slope + h.rescale_intercept;
    return int32_t(std::clamp(v, double(INT32_MIN), double(INT32_MAX)));
}

// Smallest value the modality LUT can produce: DCMTK reads a LUT's first
// mapped value as signed exactly when this is negative.
double modality_min(const DicomHeader& h) {
    const double lo = h.pixel_representation ? -std::ldexp(1.0, h.bits_stored - 1) : 0;
    const double hi = h.pixel_representation ? std::ldexp(1.0, h.bits_stored - 1) - 1 : std::ldexp(1.0, h.bits_stored) - 1;
    return std::min(lo * h.rescale_slope + h.rescale_intercept, hi * h.rescale_slope + h.rescale_intercept);
}

struct Output {
    double low, high;  // 255 -> 0 when inverted
};

Output output_range(const DicomHeader& h) {
    const bool inverse = h.presentation_lut_shape == "INVERSE" ||
                         (h.photometric == "MONOCHROME1" && h.presentation_lut_shape.empty());
    return inverse ? Output{255, 0} : Output{0, 255};
}

// Window (DCMTK dimoopxt.h, no presentation LUT, no display function).
struct WindowMap {
    double low, high, left, right, offset, gradient, center, width;
    bool sigmoid, exact;

    uint8_t operator()(double v) const {
        if (sigmoid) return uint8_t((high - low) / (1 + std::exp(-4 * (v - center) / width)) + low);
        if (exact) {  // PS3.3 C.11.2.1.3.2: no half-unit shift
            if (v <= center - width / 2) return uint8_t(low);
            if (v > center + width / 2) return uint8_t(high);
            return uint8_t(((v - center) / width + 0.5) * (high - low) + low);
        }
        if (v <= left) return uint8_t(low);
        if (v > right) return uint8_t(high);
        return uint8_t(offset + v * gradient);
    }
};

WindowMap window_map(const Output& o, double center, double width, const std::string& function) {
    WindowMap m{};
    m.low = o.low;
    m.high = o.high;
    m.center = center;
    m.width = width;
    m.sigmoid = function == "SIGMOID";
    m.exact = function == "LINEAR_EXACT";
    const double width_1 = width - 1, outrange = o.high - o.low;
    m.left = center - 0.5 - width_1 / 2;
    m.right = center - 0.5 + width_1 / 2;
    m.offset = width_1 == 0 ? 0 : o.high - ((center - 0.5) / width_1 + 0.5) * outrange;
    m.gradient = width_1 == 0 ? 0 : outrange / width_1;
    return m;
}

// VOI LUT (DCMTK diluptab.cc + dimoopxt.h voilut, no presentation LUT).
struct LutMap {
    int32_t first = 0, last = 0;
    std::vector<uint8_t> out;  // one output value per entry

    uint8_t operator()(int32_t v) const { return out[size_t(std::clamp(v, first, last) - first)]; }
};

Status lut_map(const DicomVoiLut& lut, bool signed_first, const Output& o, LutMap* m) {
    const size_t entries = size_t(lut.entries);
    if (entries == 0 || lut.data.empty()) return Status::failure("VOI LUT is empty");
    std::vector<uint16_t> values;
    const bool packed = lut.data.size() != entries && lut.data.size() == (entries + 1) / 2;
    if (packed) {  // 8-bit entries, two a word, low byte first
        for (size_t i = 0; i < entries; ++i) values.push_back(uint16_t((lut.data[i / 2] >> (8 * (i % 2))) & 0xff));
    } else {
        values.assign(lut.data.begin(), lut.data.begin() + std::min(entries, lut.data.size()));
    }
    const uint16_t max_value = *std::max_element(values.begin(), values.end());
    int bits = lut.bits;
    if (bits < 8 || bits > 16) {
        bits = 8;
        while (bits < 16 && (max_value >> bits) != 0) ++bits;
    }
    const uint16_t mask = uint16_t((1u << bits) - 1);
    for (uint16_t& v : values) v &= mask;
    m->first = signed_first ? int32_t(int16_t(uint16_t(lut.first_mapped))) : int32_t(uint16_t(lut.first_mapped));
    m->last = m->first + int32_t(values.size()) - 1;
    const double outrange = o.high - o.low + 1, range = std::ldexp(1.0, bits);
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    m->out.resize(values.size());
    for (size_t i = 0; i < values.size(); ++i)
        m->out[i] = *lo == *hi ? uint8_t(o.low + (*lo / range) * outrange) : uint8_t(o.low + values[i] * (outrange / range));
    return Status::success();
}

}  // namespace

bool dicom_is_colour(const DicomHeader& header) { return header.samples_per_pixel == 3; }

Status dicom_image_from_words(const DicomHeader& header, const uint8_t* words, size_t size, const std::string& name,
                              DicomImage* out) {
    *out = {};
    Status s = header_check(header);
    const std::string where = name.empty() ? "" : name + ": ";
    if (!s.ok()) return Status::failure(where + s.message);
    const DicomHeader& h = header;
    const size_t pixels = size_t(h.rows) * size_t(h.columns), frame_samples = pixels * size_t(h.samples_per_pixel);
    const bool ybr422 = h.photometric == "YBR_FULL_422";
    const size_t stored_per_frame = ybr422 ? pixels * 2 : frame_samples;  // Y Y Cb Cr for two pixels
    const size_t bytes_per_sample = size_t(h.bits_allocated / 8);
    const size_t expected = stored_per_frame * size_t(h.frames) * bytes_per_sample;
    if (size < expected)
        return Status::failure(where + "Pixel Data holds " + std::to_string(size) + " bytes, " + std::to_string(h.frames) +
                               " frames of " + std::to_string(h.columns) + " x " + std::to_string(h.rows) + " need " +
                               std::to_string(expected));
    if (ybr422 && h.columns % 2 != 0) return Status::failure(where + "YBR_FULL_422 with an odd number of columns");
    const int shift = h.high_bit + 1 - h.bits_stored;
    const uint32_t mask = (1u << h.bits_stored) - 1;
    const uint32_t sign = 1u << (h.bits_stored - 1);
    auto stored = [&](size_t i) {
        const uint32_t word = bytes_per_sample == 1 ? words[i] : uint32_t(words[2 * i]) | uint32_t(words[2 * i + 1]) << 8;
        const uint32_t v = (word >> shift) & mask;
        return h.pixel_representation && (v & sign) ? int32_t(v) - int32_t(mask) - 1 : int32_t(v);
    };
    out->header = h;
    out->samples.resize(frame_samples * size_t(h.frames));
    const int32_t max_value = int32_t(mask);
    for (size_t f = 0; f < size_t(h.frames); ++f) {
        int32_t* dst = out->samples.data() + f * frame_samples;
        const size_t base = f * stored_per_frame;
        if (ybr422) {
            for (size_t p = 0; p < pixels; p += 2) {
                const size_t q = base + p * 2;
                const int32_t cb = stored(q + 2), cr = stored(q + 3);
                ybr_to_rgb(stored(q), cb, cr, max_value, dst + p * 3);
                ybr_to_rgb(stored(q + 1), cb, cr, max_value, dst + p * 3 + 3);
            }
            continue;
        }
        for (size_t i = 0; i < frame_samples; ++i) {
            // Planar configuration 1 stores RRR..GGG..BBB: interleave.
            const size_t src = h.samples_per_pixel == 3 && h.planar_configuration == 1
                                   ? base + (i % 3) * pixels + i / 3
                                   : base + i;
            dst[i] = stored(src);
        }
        if (h.photometric == "YBR_FULL")
            for (size_t p = 0; p < pixels; ++p) {
                int32_t* px = dst + p * 3;
                ybr_to_rgb(px[0], px[1], px[2], max_value, px);
            }
    }
    if (h.photometric != "MONOCHROME1" && h.photometric != "MONOCHROME2") out->header.photometric = "RGB";
    return Status::success();
}

std::vector<DicomVoiPreset> dicom_voi_presets(const DicomImage& image) {
    std::vector<DicomVoiPreset> windows, luts;
    if (dicom_is_colour(image.header)) return {};
    const DicomHeader& h = image.header;
    for (size_t i = 0; i < h.windows.size(); ++i) {
        const DicomWindow& w = h.windows[i];
        if (!(w.width >= 1)) continue;  // PS3.3: width >= 1; DCMTK ignores others
        std::string label = "Window " + std::to_string(i + 1) + ": C " + fmt(w.center) + " W " + fmt(w.width);
        if (!h.voi_function.empty() && h.voi_function != "LINEAR") label += " " + h.voi_function;
        if (!w.explanation.empty()) label += " (" + w.explanation + ")";
        windows.push_back({{DicomVoi::kWindow, int(i)}, label});
    }
    for (size_t i = 0; i < h.voi_luts.size(); ++i) {
        std::string label = "VOI LUT " + std::to_string(i + 1) + ": " + std::to_string(h.voi_luts[i].entries) + " entries";
        if (!h.voi_luts[i].explanation.empty()) label += " (" + h.voi_luts[i].explanation + ")";
        luts.push_back({{DicomVoi::kLut, int(i)}, label});
    }
    windows.insert(windows.end(), luts.begin(), luts.end());
    windows.push_back({{DicomVoi::kMinMax, 0}, "Full range of the image (min-max)"});
    return windows;
}

Status dicom_render(const DicomImage& image, int frame, const DicomVoi& voi, DicomRendering* out) {
    const DicomHeader& h = image.header;
    if (frame < 0 || frame >= h.frames)
        return Status::failure("frame " + std::to_string(frame + 1) + " of " + std::to_string(h.frames) + " requested");
    const size_t pixels = size_t(h.rows) * size_t(h.columns), channels = size_t(h.samples_per_pixel);
    const int32_t* src = image.samples.data() + size_t(frame) * pixels * channels;
    out->width = h.columns;
    out->height = h.rows;
    out->channels = int(channels);
    out->pixels.resize(pixels * channels);
    if (channels == 3) {  // DCMTK scales colour to the output depth
        const double scale = 255.0 / double((1u << h.bits_stored) - 1);
        for (size_t i = 0; i < pixels * 3; ++i)
            out->pixels[i] = h.bits_stored == 8 ? uint8_t(src[i]) : uint8_t(std::max(0, src[i]) * scale);
        return Status::success();
    }
    const Output o = output_range(h);
    if (voi.kind == DicomVoi::kLut) {
        if (voi.index < 0 || size_t(voi.index) >= h.voi_luts.size()) return Status::failure("no such VOI LUT");
        LutMap m;
        Status s = lut_map(h.voi_luts[size_t(voi.index)], modality_min(h) < 0, o, &m);
        if (!s.ok()) return s;
        for (size_t i = 0; i < pixels; ++i) out->pixels[i] = m(modality(h, src[i]));
        return Status::success();
    }
    WindowMap m;
    if (voi.kind == DicomVoi::kWindow) {
        if (voi.index < 0 || size_t(voi.index) >= h.windows.size() || !(h.windows[size_t(voi.index)].width >= 1))
            return Status::failure("no such window");
        const DicomWindow& w = h.windows[size_t(voi.index)];
        m = window_map(o, w.center, w.width, h.voi_function);
    } else {  // DCMTK's min-max window over the frames it loaded
        int32_t lo = INT32_MAX, hi = INT32_MIN;
        const size_t begin = voi.all_frames ? 0 : size_t(frame) * pixels, end = voi.all_frames ? image.samples.size() : begin + pixels;
        for (size_t i = begin; i < end; ++i) {
            const int32_t mv = modality(h, image.samples[i]);
            lo = std::min(lo, mv);
            hi = std::max(hi, mv);
        }
        m = window_map(o, (double(lo) + double(hi) + 1) / 2, double(hi) - double(lo) + 1, "LINEAR");
    }
    for (size_t i = 0; i < pixels; ++i) out->pixels[i] = m(modality(h, src[i]));
    return Status::success();
}

Status dicom_gray(const DicomImage& image, int frame, const DicomVoi& voi, GrayImage* out) {
    DicomRendering r;
    Status s = dicom_render(image, frame, voi, &r);
    if (!s.ok()) return s;
    out->width = r.width;
    out->height = r.height;
    out->max_value = 255;
    out->pixels.resize(size_t(r.width) * size_t(r.height));
    for (size_t i = 0; i < out->pixels.size(); ++i) {
        const uint8_t* p = r.pixels.data() + i * size_t(r.channels);
        out->pixels[i] = r.channels == 3 ? image_luma(p[0], p[1], p[2]) : p[0];
    }
    return Status::success();
}

Status dicom_model_view(const DicomImage& image, GrayImage* out) {
    const std::vector<DicomVoiPreset> presets = dicom_voi_presets(image);
    return dicom_gray(image, 0, presets.empty() ? DicomVoi{} : presets.front().voi, out);
}

std::string dicom_header_json(const DicomHeader& h) {
    json j = {{"transfer_syntax", h.transfer_syntax},
              {"modality", h.modality},
              {"body_part", h.body_part},
              {"view_position", h.view_position},
              {"laterality", h.laterality},
              {"series_description", h.series_description},
              {"photometric_in_file", h.photometric_in_file},
              {"photometric", h.photometric},
              {"rows", h.rows},
              {"columns", h.columns},
              {"frames", h.frames},
              {"samples_per_pixel", h.samples_per_pixel},
              {"planar_configuration", h.planar_configuration},
              {"bits_allocated", h.bits_allocated},
              {"bits_stored", h.bits_stored},
              {"high_bit", h.high_bit},
              {"pixel_representation", h.pixel_representation},
              {"rescale_slope", h.rescale_slope},
              {"rescale_intercept", h.rescale_intercept},
              {"rescale_type", h.rescale_type},
              {"pixel_spacing_mm", {h.pixel_spacing_mm[0], h.pixel_spacing_mm[1]}},
              {"voi_function", h.voi_function},
              {"presentation_lut_shape", h.presentation_lut_shape},
              {"windows", json::array()},
              {"voi_luts", json::array()}};
    for (const DicomWindow& w : h.windows)
        j["windows"].push_back({{"center", w.center}, {"width", w.width}, {"explanation", w.explanation}});
    for (const DicomVoiLut& l : h.voi_luts)
        j["voi_luts"].push_back({{"entries", l.entries},
                                 {"first_mapped", l.first_mapped},
                                 {"bits", l.bits},
                                 {"data", l.data},
                                 {"explanation", l.explanation}});
    return j.dump();
}

Status dicom_header_parse(const std::string& text, DicomHeader* out) {
    const json j = json::parse(text, nullptr, false);
    if (!j.is_object()) return Status::failure("DICOM header is not a JSON object");
    DicomHeader h;
    bool ok = true;
    auto str = [&](const char* key, std::string* v) {
        if (!j.contains(key)) return;
        if (j[key].is_string()) *v = j[key].get<std::string>(); else ok = false;
    };
    auto num = [&](const json& o, const char* key, auto* v) {
        if (!o.contains(key)) return;
        if (o[key].is_number()) *v = o[key].get<std::remove_pointer_t<decltype(v)>>(); else ok = false;
    };
    str("transfer_syntax", &h.transfer_syntax);
    str("modality", &h.modality);
    str("body_part", &h.body_part);
    str("view_position", &h.view_position);
    str("laterality", &h.laterality);
    str("series_description", &h.series_description);
    str("photometric_in_file", &h.photometric_in_file);
    str("photometric", &h.photometric);
    str("rescale_type", &h.rescale_type);
    str("voi_function", &h.voi_function);
    str("presentation_lut_shape", &h.presentation_lut_shape);
    num(j, "rows", &h.rows);
    num(j, "columns", &h.columns);
    num(j, "frames", &h.frames);
    num(j, "samples_per_pixel", &h.samples_per_pixel);
    num(j, "planar_configuration", &h.planar_configuration);
    num(j, "bits_allocated", &h.bits_allocated);
    num(j, "bits_stored", &h.bits_stored);
    num(j, "high_bit", &h.high_bit);
    num(j, "pixel_representation", &h.pixel_representation);
    num(j, "rescale_slope", &h.rescale_slope);
    num(j, "rescale_intercept", &h.rescale_intercept);
    if (j.contains("pixel_spacing_mm") && j["pixel_spacing_mm"].is_array() && j["pixel_spacing_mm"].size() == 2 &&
        j["pixel_spacing_mm"][0].is_number() && j["pixel_spacing_mm"][1].is_number()) {
        h.pixel_spacing_mm[0] = j["pixel_spacing_mm"][0].get<double>();
        h.pixel_spacing_mm[1] = j["pixel_spacing_mm"][1].get<double>();
    }
    if (j.contains("windows") && j["windows"].is_array())
        for (const json& w : j["windows"]) {
            if (!w.is_object()) { ok = false; break; }
            DicomWindow dw;
            num(w, "center", &dw.center);
            num(w, "width", &dw.width);
            if (w.contains("explanation") && w["explanation"].is_string()) dw.explanation = w["explanation"].get<std::string>();
            h.windows.push_back(dw);
        }
    if (j.contains("voi_luts") && j["voi_luts"].is_array())
        for (const json& l : j["voi_luts"]) {
            if (!l.is_object() || !l.contains("data") || !l["data"].is_array()) { ok = false; break; }
            DicomVoiLut lut;
            num(l, "entries", &lut.entries);
            num(l, "first_mapped", &lut.first_mapped);
            num(l, "bits", &lut.bits);
            for (const json& v : l["data"]) {
                if (!v.is_number_unsigned() || v.get<uint64_t>() > 0xffff) { ok = false; break; }
                lut.data.push_back(v.get<uint16_t>());
            }
            if (l.contains("explanation") && l["explanation"].is_string()) lut.explanation = l["explanation"].get<std::string>();
            h.voi_luts.push_back(std::move(lut));
        }
    if (!ok) return Status::failure("DICOM header JSON has a field of the wrong type");
    *out = std::move(h);
    return Status::success();
}

}  // namespace rl
