// The structural check of a PNG that imagegen runs on every image it writes:
// one walk over the chunks and one inflate of the image data into a small
// scratch buffer, without libpng and without unfiltering a row. Decoding every
// row with libpng cost most of a batch's CPU; what it proved beyond this walk
// is that the filtered rows can be unfiltered, which any row can.
#include "png_limits.h"
#include "png_shim.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

// PNG's own ceiling for lengths and sides.
#define CHECK_UINT31_MAX 0x7FFFFFFFu

// Inflated bytes are looked at (one filter byte a row) and dropped: the
// scratch buffer bounds the memory whatever the image's size.
#define CHECK_SCRATCH 65536

typedef struct {
    char *error;
    size_t capacity;
} report;

__attribute__((format(printf, 2, 3))) static int fail(report *r, const char *format, ...) {
    if (r->error && r->capacity > 0) {
        va_list arguments;
        va_start(arguments, format);
        vsnprintf(r->error, r->capacity, format, arguments);
        va_end(arguments);
    }
    return -1;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int is_name(const uint8_t *p, const char *name) { return memcmp(p, name, 4) == 0; }

// A chunk name for a message: printable, whatever the file holds.
static void printable_name(const uint8_t *p, char out[5]) {
    for (int i = 0; i < 4; i++) out[i] = p[i] >= 0x20 && p[i] < 0x7F ? (char)p[i] : '?';
    out[4] = 0;
}

// ---- The filtered rows the image data must inflate to -----------------------

// Adam7: the first column and row of each pass, and the steps between them.
static const uint8_t adam7[7][4] = {
    {0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2},
};

typedef struct {
    // Rows of each pass (one pass unless interlaced) and the bytes of each
    // of its rows, filter byte included. An empty pass has no rows at all.
    uint32_t rows[7];
    uint64_t row_bytes[7];
    int passes;
    // Where the walk is: the pass, the rows left in it, and the bytes left
    // in the current row (0: the next byte is a filter byte).
    int pass;
    uint32_t rows_left;
    uint64_t bytes_left;
    uint64_t expected;
    uint64_t seen;
} row_walk;

static uint64_t row_bytes(uint64_t width, int channels, int depth) {
    return width == 0 ? 0 : 1 + (width * (uint64_t)channels * (uint64_t)depth + 7) / 8;
}

static void row_walk_start(row_walk *w, uint32_t width, uint32_t height, int channels, int depth, int interlaced) {
    memset(w, 0, sizeof *w);
    w->passes = interlaced ? 7 : 1;
    for (int p = 0; p < w->passes; p++) {
        uint64_t columns = width, lines = height;
        if (interlaced) {
            columns = width > adam7[p][0] ? (width - adam7[p][0] + adam7[p][2] - 1) / adam7[p][2] : 0;
            lines = height > adam7[p][1] ? (height - adam7[p][1] + adam7[p][3] - 1) / adam7[p][3] : 0;
        }
        w->row_bytes[p] = row_bytes(columns, channels, depth);
        w->rows[p] = columns == 0 ? 0 : (uint32_t)lines;
        w->expected += (uint64_t)w->rows[p] * w->row_bytes[p];
    }
    w->pass = 0;
    w->rows_left = w->rows[0];
}

// Looks at `count` more inflated bytes: every filter byte must be 0 to 4, and
// no byte may come after the last row. Returns 0, or -1 with the message.
static int row_walk_take(row_walk *w, const uint8_t *bytes, uint64_t count, report *r) {
    if (count > w->expected - w->seen) {
        return fail(r, "IDAT: the image data inflates to more than the %llu bytes of the image's rows",
                    (unsigned long long)w->expected);
    }
    uint64_t at = 0;
    while (at < count) {
        if (w->bytes_left == 0) {
            while (w->rows_left == 0) {
                w->pass++;
                w->rows_left = w->rows[w->pass];  // seen < expected: a pass with rows is ahead
            }
            uint8_t filter = bytes[at];
            if (filter > 4) {
                return fail(r, "IDAT: row filter type %u is not one of PNG's five (0 to 4), at inflated byte %llu",
                            (unsigned)filter, (unsigned long long)(w->seen + at));
            }
            w->bytes_left = w->row_bytes[w->pass];
            w->rows_left--;
        }
        uint64_t step = count - at < w->bytes_left ? count - at : w->bytes_left;
        at += step;
        w->bytes_left -= step;
    }
    w->seen += count;
    return 0;
}

// ---- The image data ------------------------------------------------------------

typedef struct {
    z_stream stream;
    int started;
    int ended;
    row_walk rows;
    uint8_t scratch[CHECK_SCRATCH];
} inflater;

static int inflate_idat(inflater *z, const uint8_t *data, uint32_t length, report *r) {
    if (z->ended) {
        return length == 0 ? 0 : fail(r, "IDAT: data after the end of the compressed image data");
    }
    z->stream.next_in = (Bytef *)data;
    z->stream.avail_in = length;
    // Until the input is used up and zlib has no more output for a full scratch buffer.
    while (z->stream.avail_in > 0 || z->stream.avail_out == 0) {
        z->stream.next_out = z->scratch;
        z->stream.avail_out = CHECK_SCRATCH;
        int status = inflate(&z->stream, Z_NO_FLUSH);
        uint64_t produced = CHECK_SCRATCH - z->stream.avail_out;
        if (status == Z_NEED_DICT) return fail(r, "IDAT: the compressed data asks for a preset dictionary");
        if (status == Z_MEM_ERROR) return fail(r, "out of memory");
        if (status != Z_OK && status != Z_STREAM_END && status != Z_BUF_ERROR) {
            return fail(r, "IDAT: %s", z->stream.msg ? z->stream.msg : "invalid compressed data");
        }
        if (row_walk_take(&z->rows, z->scratch, produced, r) != 0) return -1;
        if (status == Z_STREAM_END) {
            z->ended = 1;
            if (z->stream.avail_in > 0) return fail(r, "IDAT: data after the end of the compressed image data");
            break;
        }
        if (status == Z_BUF_ERROR && produced == 0) break;  // needs input it has not got
    }
    return 0;
}

// After the last IDAT: the stream must be complete and every row there.
static int finish_idat(inflater *z, report *r) {
    if (!z->ended) {
        // Output zlib holds back (none with Z_NO_FLUSH's full scratch, but
        // cheap to make sure) is drained before calling the stream short.
        for (;;) {
            z->stream.next_in = NULL;
            z->stream.avail_in = 0;
            z->stream.next_out = z->scratch;
            z->stream.avail_out = CHECK_SCRATCH;
            int status = inflate(&z->stream, Z_SYNC_FLUSH);
            uint64_t produced = CHECK_SCRATCH - z->stream.avail_out;
            if (row_walk_take(&z->rows, z->scratch, produced, r) != 0) return -1;
            if (status == Z_STREAM_END) {
                z->ended = 1;
                break;
            }
            if (status != Z_OK || produced == 0) break;
        }
    }
    if (!z->ended) {
        return fail(r, "IDAT: the compressed image data ends early (%llu of %llu bytes of rows)",
                    (unsigned long long)z->rows.seen, (unsigned long long)z->rows.expected);
    }
    if (z->rows.seen != z->rows.expected) {
        return fail(r, "IDAT: the image data inflates to %llu bytes, not the %llu bytes of the image's rows",
                    (unsigned long long)z->rows.seen, (unsigned long long)z->rows.expected);
    }
    return 0;
}

// ---- The header ----------------------------------------------------------------

// Samples per pixel for a colour type, with the bit depths it allows; 0 for
// an unknown colour type.
static int channels_of(int colour) {
    switch (colour) {
    case 0: return 1;
    case 2: return 3;
    case 3: return 1;
    case 4: return 2;
    case 6: return 4;
    default: return 0;
    }
}

static int depth_allowed(int colour, int depth) {
    switch (colour) {
    case 0: return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
    case 3: return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    default: return depth == 8 || depth == 16;
    }
}

// IHDR's fields in libpng's words (png_check_IHDR), which the tests and users
// already know; then imagegen's pixel budget.
static int check_header(const uint8_t *p, uint32_t length, uint64_t max_pixels, ig_png_info *info, report *r) {
    if (length != 13) return fail(r, "IHDR: invalid length %u (13 expected)", (unsigned)length);
    uint32_t width = be32(p), height = be32(p + 4);
    int depth = p[8], colour = p[9], compression = p[10], filter = p[11], interlace = p[12];
    if (width == 0) return fail(r, "Invalid IHDR data: Image width is zero in IHDR");
    if (height == 0) return fail(r, "Invalid IHDR data: Image height is zero in IHDR");
    if (width > CHECK_UINT31_MAX) return fail(r, "Invalid IHDR data: Invalid image width in IHDR");
    if (height > CHECK_UINT31_MAX) return fail(r, "Invalid IHDR data: Invalid image height in IHDR");
    if (width > IG_PNG_SIDE_MAX) return fail(r, "Invalid IHDR data: Image width exceeds user limit in IHDR");
    if (height > IG_PNG_SIDE_MAX) return fail(r, "Invalid IHDR data: Image height exceeds user limit in IHDR");
    if (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16) {
        return fail(r, "Invalid IHDR data: Invalid bit depth in IHDR (%d)", depth);
    }
    if (channels_of(colour) == 0) return fail(r, "Invalid IHDR data: Invalid color type in IHDR (%d)", colour);
    if (!depth_allowed(colour, depth)) {
        return fail(r, "Invalid IHDR data: Invalid color type/bit depth combination in IHDR (%d/%d)", colour, depth);
    }
    if (interlace > 1) return fail(r, "Invalid IHDR data: Unknown interlace method in IHDR (%d)", interlace);
    if (compression != 0) return fail(r, "Invalid IHDR data: Unknown compression method in IHDR (%d)", compression);
    if (filter != 0) return fail(r, "Invalid IHDR data: Unknown filter method in IHDR (%d)", filter);
    uint64_t pixels = (uint64_t)width * height;
    // Before anything is inflated: a few kB of zlib data can declare
    // gigabytes of rows.
    if (pixels > max_pixels) {
        return fail(r, "%ux%u is %llu pixels, over imagegen's limit of %llu pixels", (unsigned)width,
                    (unsigned)height, (unsigned long long)pixels, (unsigned long long)max_pixels);
    }
    info->width = width;
    info->height = height;
    info->bit_depth = depth;
    info->color_type = colour;
    info->interlaced = interlace;
    return 0;
}

// ---- The walk ------------------------------------------------------------------

// Whether an IDAT chunk starts at or after `offset` (chunk headers only, no CRC).
static int idat_follows(const uint8_t *data, size_t length, size_t offset) {
    while (length - offset >= 12) {
        if (is_name(data + offset + 4, "IDAT")) return 1;
        uint64_t next = (uint64_t)offset + 12 + be32(data + offset);
        if (next > length) return 0;
        offset = (size_t)next;
    }
    return 0;
}

static int walk(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_info *info, inflater *z,
                report *r) {
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (!data || length < 8 || memcmp(data, signature, 8) != 0) return fail(r, "not a PNG signature");
    size_t offset = 8;
    int have_header = 0, have_palette = 0, idat_state = 0;  // 0 none yet, 1 in the run, 2 after it
    for (;;) {
        if (length - offset < 8) return fail(r, "image data ends early (truncated PNG)");
        const uint8_t *head = data + offset;
        uint32_t chunk_length = be32(head);
        const uint8_t *name = head + 4;
        char shown[5];
        printable_name(name, shown);
        int is_idat = is_name(name, "IDAT");
        if (chunk_length > IG_PNG_CHUNK_MAX && !is_idat) {
            return fail(r, "%s chunk of %u bytes is over imagegen's limit of %u bytes for one chunk", shown,
                        (unsigned)chunk_length, (unsigned)IG_PNG_CHUNK_MAX);
        }
        if (chunk_length > CHECK_UINT31_MAX) return fail(r, "PNG unsigned integer out of range");
        for (int i = 0; i < 4; i++) {
            uint8_t c = name[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return fail(r, "%s: invalid chunk type", shown);
        }
        if (length - offset - 8 < (uint64_t)chunk_length + 4) return fail(r, "image data ends early (truncated PNG)");
        const uint8_t *body = head + 8;
        uint32_t stored = be32(body + chunk_length);
        // Every chunk's CRC, ancillary ones too (libpng only warns about those).
        if ((uint32_t)crc32(crc32(0, NULL, 0), name, chunk_length + 4) != stored) return fail(r, "%s: CRC error", shown);
        offset += 12 + (size_t)chunk_length;

        if (!have_header) {
            if (!is_name(name, "IHDR")) return fail(r, "Missing IHDR before %s", shown);
            if (check_header(body, chunk_length, max_pixels, info, r) != 0) return -1;
            row_walk_start(&z->rows, info->width, info->height, channels_of(info->color_type), info->bit_depth,
                           info->interlaced);
            have_header = 1;
            continue;
        }
        if (idat_state == 1 && !is_idat) {
            // Image data cut short by another chunk is better named so.
            if (idat_follows(data, length, offset)) {
                return fail(r, "IDAT: not consecutive (a %s chunk comes between two IDAT chunks)", shown);
            }
            if (finish_idat(z, r) != 0) return -1;
            idat_state = 2;
        }
        if (is_idat) {
            if (idat_state == 2) return fail(r, "IDAT: not consecutive (another chunk comes between two IDAT chunks)");
            if (idat_state == 0) {
                if (info->color_type == 3 && !have_palette) return fail(r, "Missing PLTE before IDAT");
                if (inflateInit(&z->stream) != Z_OK) return fail(r, "out of memory");
                z->started = 1;
                idat_state = 1;
            }
            if (inflate_idat(z, body, chunk_length, r) != 0) return -1;
        } else if (is_name(name, "IEND")) {
            if (idat_state == 0) return fail(r, "IEND: out of place (no IDAT chunk before it)");
            if (chunk_length != 0) return fail(r, "IEND: invalid (it holds %u bytes)", (unsigned)chunk_length);
            if (offset != length) {
                return fail(r, "%llu bytes after the IEND chunk", (unsigned long long)(length - offset));
            }
            return 0;
        } else if (is_name(name, "IHDR")) {
            return fail(r, "IHDR: out of place (a second one)");
        } else if (is_name(name, "PLTE")) {
            if (idat_state != 0) return fail(r, "PLTE: out of place (after IDAT)");
            if (have_palette) return fail(r, "PLTE: duplicate");
            // As libpng reads them, a palette of more entries than the bit
            // depth reaches is used up to that many, and a greyscale image's
            // is ignored: real encoders write both.
            if (chunk_length == 0 || chunk_length % 3 != 0 || chunk_length > 3 * 256) {
                return fail(r, "PLTE: invalid length %u (1 to 256 entries of 3 bytes)", (unsigned)chunk_length);
            }
            have_palette = 1;
        } else if (!(name[0] & 0x20)) {
            return fail(r, "%s: unknown critical chunk", shown);
        }
    }
}

int ig_png_check(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_info *info, char *error,
                 size_t error_capacity) {
    report r = {error, error_capacity};
    if (error && error_capacity > 0) error[0] = 0;
    ig_png_info found = {0};
    // The scratch buffer is on the heap with zlib's own state (about 7 kB plus
    // its 32 kB window): a worker thread's stack need not hold it.
    inflater *z = (inflater *)calloc(1, sizeof *z);
    if (!z) return fail(&r, "out of memory");
    int status = walk(data, length, max_pixels, &found, z, &r);
    if (z->started) inflateEnd(&z->stream);
    free(z);
    if (status == 0 && info) *info = found;
    return status;
}
