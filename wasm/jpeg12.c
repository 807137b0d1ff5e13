/* The page's 12-bit lossy JPEG decoder (DICOM JPEG Extended, process 4):
   DCMTK's IJG 12-bit library, the one the native reader decodes these files
   with, built by emcc from Debian's dcmtk source package. web/dicom.js
   calls it for frames whose JPEG precision is 12. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jpeglib12.h"
#include "jerror12.h"

struct error_manager {
    struct jpeg_error_mgr pub;
    jmp_buf escape;
};

static void error_exit(j_common_ptr cinfo) { longjmp(((struct error_manager*)cinfo->err)->escape, 1); }
/* Corrupt-data warnings are tolerated, as DCMTK tolerates them; running out
   of data is not (see ran_out). */
static void emit_message(j_common_ptr cinfo, int level) { (void)cinfo, (void)level; }

/* The whole frame is in memory and is handed over at once. Past its end the
   library gets an EOI marker: harmless after the last scanline (streams
   without a final EOI exist), an error before it (see ran_out). */
struct source_manager {
    struct jpeg_source_mgr pub;
    int ran_out;
};

static void init_source(j_decompress_ptr cinfo) { (void)cinfo; }
static void term_source(j_decompress_ptr cinfo) { (void)cinfo; }
static boolean fill_input_buffer(j_decompress_ptr cinfo) {
    static const JOCTET kEoi[2] = {0xFF, JPEG_EOI};
    ((struct source_manager*)cinfo->src)->ran_out = 1;
    cinfo->src->next_input_byte = kEoi;
    cinfo->src->bytes_in_buffer = 2;
    return TRUE;
}
static void skip_input_data(j_decompress_ptr cinfo, long count) {
    struct jpeg_source_mgr* src = cinfo->src;
    if (count <= 0) return;
    if ((size_t)count > src->bytes_in_buffer) {
        fill_input_buffer(cinfo);
        return;
    }
    src->next_input_byte += count;
    src->bytes_in_buffer -= (size_t)count;
}

/* Decodes one JPEG stream of 12-bit precision. Returns malloc'd interleaved
   samples (width * height * components, little-endian 16-bit) and sets the
   three sizes, or returns NULL with the library's message in error
   (JMSG_LENGTH_MAX bytes). The caller frees the samples. */
uint16_t* jpeg12_decode(const uint8_t* data, size_t size, int* width, int* height, int* components, char* error) {
    struct jpeg_decompress_struct cinfo;
    struct error_manager jerr;
    struct source_manager src;
    uint16_t* volatile samples = NULL;

    cinfo.err = jpeg_std_error(&jerr.pub);
    jerr.pub.error_exit = error_exit;
    jerr.pub.emit_message = emit_message;
    if (setjmp(jerr.escape)) {
        (*cinfo.err->format_message)((j_common_ptr)&cinfo, error);
        jpeg_destroy_decompress(&cinfo);
        free(samples);
        return NULL;
    }
    jpeg_create_decompress(&cinfo);
    src.pub.init_source = init_source;
    src.pub.fill_input_buffer = fill_input_buffer;
    src.pub.skip_input_data = skip_input_data;
    src.pub.resync_to_restart = jpeg_resync_to_restart;
    src.pub.term_source = term_source;
    src.pub.next_input_byte = data;
    src.pub.bytes_in_buffer = size;
    src.ran_out = 0;
    cinfo.src = &src.pub;

    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.data_precision != 12) {
        snprintf(error, JMSG_LENGTH_MAX, "JPEG precision is %d bits, not 12", cinfo.data_precision);
        jpeg_destroy_decompress(&cinfo);
        return NULL;
    }
    jpeg_start_decompress(&cinfo);
    const size_t row = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
    samples = malloc(row * cinfo.output_height * sizeof(uint16_t));
    if (!samples) ERREXIT1(&cinfo, JERR_OUT_OF_MEMORY, 0);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW line = (JSAMPROW)(samples + row * cinfo.output_scanline);
        jpeg_read_scanlines(&cinfo, &line, 1);
    }
    if (src.ran_out) ERREXIT(&cinfo, JERR_INPUT_EOF);
    jpeg_finish_decompress(&cinfo);
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    *components = cinfo.output_components;
    jpeg_destroy_decompress(&cinfo);
    return samples;
}
