#include "png_shim.h"
#include "png_limits.h"
#include "png_reader.h"

#include <png.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ig_png_set_error(char *error, size_t capacity, const char *message) {
    if (error && capacity > 0) snprintf(error, capacity, "%s", message);
}

static void set_error(char *error, size_t capacity, const char *message) {
    ig_png_set_error(error, capacity, message);
}

// ---- Limits on every read --------------------------------------------------
//
// libpng's compiled-in defaults (1,000,000 pixels a side, 1000 kept chunks,
// 8,000,000 bytes a chunk) are not enough on their own: libpng 1.6 reports a
// chunk longer than its limit as a *benign* error, which a reader turns into a
// warning, and then allocates (and clears) the declared length anyway, so a
// file of a few hundred bytes declaring a 2 GiB tEXt chunk costs 2 GiB. So
// every limit is set explicitly, the chunk length is checked again by on_read
// (fatally), and libpng's whole heap for one read has a ceiling.

// IG_PNG_CHUNK_MAX and IG_PNG_SIDE_MAX (png_limits.h), which the PNG check
// holds every file to as well. libpng also applies the chunk limit to the
// inflated size of zTXt, iTXt and iCCP chunks, where a bigger one is dropped.

// Ancillary chunks libpng keeps (text, sPLT): imagegen writes 7 text chunks,
// other tools a handful. Later ones are dropped, not refused, and not
// inflated: this bounds the work too, as each zTXt or iTXt read is inflated
// (up to twice) to as much as IG_PNG_CHUNK_MAX.
#define IG_PNG_CHUNK_CACHE_MAX 32

// libpng's own allocations for one read: row buffers (a few MiB at most at
// IG_PNG_SIDE_MAX), zlib's state, and the text it keeps. Room for several
// chunks of IG_PNG_CHUNK_MAX, while a flood of compressed text (8 kB of zTXt
// can inflate to IG_PNG_CHUNK_MAX) ends here instead of in gigabytes. Text
// that no longer fits is dropped; an image that needs more is refused.
#define IG_PNG_HEAP_MAX ((size_t)64 << 20)

// Each block carries its size, so that freeing it gives the budget back.
typedef union {
    size_t size;
    max_align_t align;
} heap_block;

static png_voidp heap_allocate(png_structp png, png_alloc_size_t size) {
    ig_png_reader *reader = (ig_png_reader *)png_get_mem_ptr(png);
    if (size > IG_PNG_HEAP_MAX - reader->heap_used) {
        reader->heap_refused = 1;
        return NULL;
    }
    heap_block *block = (heap_block *)malloc(sizeof(heap_block) + size);
    if (!block) return NULL;
    block->size = size;
    reader->heap_used += size;
    return block + 1;
}

static void heap_free(png_structp png, png_voidp pointer) {
    if (!pointer) return;
    ig_png_reader *reader = (ig_png_reader *)png_get_mem_ptr(png);
    heap_block *block = (heap_block *)pointer - 1;
    reader->heap_used -= block->size;
    free(block);
}

static void on_read_error(png_structp png, png_const_charp message) {
    ig_png_reader *state = (ig_png_reader *)png_get_error_ptr(png);
    if (state && state->error && state->error_capacity > 0) {
        if (state->heap_refused && strstr(message, "emory")) {
            snprintf(state->error, state->error_capacity,
                     "%s (libpng would need more than imagegen's limit of %zu MiB for one file)", message,
                     IG_PNG_HEAP_MAX >> 20);
        } else if (state->warning[0] && strcmp(message, "Invalid IHDR data") == 0) {
            // libpng said what is wrong with the header (a side above
            // IG_PNG_SIDE_MAX, say) in the warning just before.
            snprintf(state->error, state->error_capacity, "%s: %s", message, state->warning);
        } else {
            set_error(state->error, state->error_capacity, message);
        }
    }
    png_longjmp(png, 1);
}

static void on_read_warning(png_structp png, png_const_charp message) {
    ig_png_reader *state = (ig_png_reader *)png_get_error_ptr(png);
    if (state) snprintf(state->warning, sizeof state->warning, "%s", message);
}

#ifndef PNG_IO_STATE_SUPPORTED
#error "on_read needs libpng's I/O state to see chunk headers"
#endif

// Refuses a chunk other than IDAT whose 8-byte header declares more than
// IG_PNG_CHUNK_MAX, before libpng allocates that much. IDAT is read in pieces
// whatever its length.
static void check_chunk_header(png_structp png, const uint8_t *header) {
    png_uint_32 length = (png_uint_32)header[0] << 24 | (png_uint_32)header[1] << 16 |
                         (png_uint_32)header[2] << 8 | header[3];
    if (length <= IG_PNG_CHUNK_MAX || memcmp(header + 4, "IDAT", 4) == 0) return;
    char name[5] = {0};
    for (int i = 0; i < 4; i++) {
        unsigned char c = header[4 + i];
        name[i] = c >= 0x20 && c < 0x7F ? (char)c : '?';
    }
    char message[160];
    snprintf(message, sizeof message, "%s chunk of %u bytes is over imagegen's limit of %u bytes for one chunk", name,
             (unsigned)length, (unsigned)IG_PNG_CHUNK_MAX);
    png_error(png, message);
}

static void on_read(png_structp png, png_bytep out, png_size_t count) {
    ig_png_reader *state = (ig_png_reader *)png_get_io_ptr(png);
    if (state->length - state->offset < count) {
        png_error(png, "image data ends early (truncated PNG)");
    }
    // libpng reads a chunk's length and name in one call.
    if ((png_get_io_state(png) & PNG_IO_CHUNK_HDR) && count == 8) check_chunk_header(png, state->data + state->offset);
    memcpy(out, state->data + state->offset, count);
    state->offset += count;
}

png_structp ig_png_open_reader(ig_png_reader *reader) {
    set_error(reader->error, reader->error_capacity, "");
    if (!reader->data || reader->length < 8 || png_sig_cmp((png_const_bytep)reader->data, 0, 8) != 0) {
        set_error(reader->error, reader->error_capacity, "not a PNG signature");
        return NULL;
    }
    png_structp png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, reader, on_read_error, on_read_warning, reader,
                                               heap_allocate, heap_free);
    if (!png) {
        set_error(reader->error, reader->error_capacity, "libpng could not start");
        return NULL;
    }
    png_set_user_limits(png, IG_PNG_SIDE_MAX, IG_PNG_SIDE_MAX);
    png_set_chunk_cache_max(png, IG_PNG_CHUNK_CACHE_MAX);
    png_set_chunk_malloc_max(png, IG_PNG_CHUNK_MAX);
    png_set_read_fn(png, reader, on_read);
    return png;
}

static int read_png(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_info *info,
                    ig_png_text_pair **pairs, size_t *pair_count, char *error, size_t error_capacity);

int ig_png_validate(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_info *info,
                    char *error, size_t error_capacity) {
    return read_png(data, length, max_pixels, info, NULL, NULL, error, error_capacity);
}

void ig_png_free(void *pointer) { free(pointer); }

// ---- Writing text chunks ---------------------------------------------------

typedef struct {
    uint8_t *bytes;
    size_t length;
    size_t capacity;
    char *error;
    size_t error_capacity;
} writer_state;

static void on_write_error(png_structp png, png_const_charp message) {
    writer_state *state = (writer_state *)png_get_error_ptr(png);
    if (state) set_error(state->error, state->error_capacity, message);
    png_longjmp(png, 1);
}

static void on_write_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void on_write(png_structp png, png_bytep data, png_size_t count) {
    writer_state *state = (writer_state *)png_get_io_ptr(png);
    if (state->capacity - state->length < count) {
        size_t capacity = state->capacity ? state->capacity : 4096;
        while (capacity - state->length < count) {
            if (capacity > SIZE_MAX / 2) png_error(png, "out of memory");
            capacity *= 2;
        }
        uint8_t *grown = (uint8_t *)realloc(state->bytes, capacity);
        if (!grown) png_error(png, "out of memory");
        state->bytes = grown;
        state->capacity = capacity;
    }
    memcpy(state->bytes + state->length, data, count);
    state->length += count;
}

static void on_flush(png_structp png) { (void)png; }

static int is_ascii(const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p >= 0x80) return 0;
    }
    return 1;
}

static void write_text_chunk(png_structp png, const ig_png_text_entry *entry) {
    static const png_byte zeros[5] = {0};
    size_t key_length = strlen(entry->key);
    size_t text_length = strlen(entry->text);
    if (key_length == 0 || key_length > 79) png_error(png, "text keyword must be 1 to 79 characters");
    int international = !is_ascii(entry->text);
    // tEXt: keyword NUL text (Latin-1, so only ASCII is sent that way).
    // iTXt: keyword NUL, compression flag 0, method 0, empty language tag NUL,
    // empty translated keyword NUL, then the UTF-8 text.
    size_t separator = international ? 5 : 1;
    if (text_length > PNG_UINT_31_MAX - key_length - separator) png_error(png, "text too long for a PNG chunk");
    // Written in pieces, so nothing is allocated that a longjmp could leak.
    png_write_chunk_start(png, (png_const_bytep)(international ? "iTXt" : "tEXt"),
                          (png_uint_32)(key_length + separator + text_length));
    png_write_chunk_data(png, (png_const_bytep)entry->key, key_length);
    png_write_chunk_data(png, zeros, separator);
    png_write_chunk_data(png, (png_const_bytep)entry->text, text_length);
    png_write_chunk_end(png);
}

int ig_png_text_chunks(const ig_png_text_entry *entries, size_t count, uint8_t **out,
                       size_t *out_length, char *error, size_t error_capacity) {
    set_error(error, error_capacity, "");
    *out = NULL;
    *out_length = 0;
    writer_state state = {NULL, 0, 0, error, error_capacity};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, on_write_error, on_write_warning);
    if (!png) {
        set_error(error, error_capacity, "libpng could not start");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(state.bytes);
        png_destroy_write_struct(&png, NULL);
        return -1;
    }
    png_set_write_fn(png, &state, on_write, on_flush);
    for (size_t i = 0; i < count; i++) write_text_chunk(png, &entries[i]);
    png_destroy_write_struct(&png, NULL);
    *out = state.bytes;
    *out_length = state.length;
    return 0;
}

// ---- Reading text chunks back -------------------------------------

static char *copy_text(const char *text, size_t length) {
    char *copy = (char *)malloc(length + 1);
    if (copy) {
        memcpy(copy, text, length);
        copy[length] = 0;
    }
    return copy;
}

// Appends the text chunks of `info` to *pairs; returns -1 when out of memory.
static int collect_text(png_structp png, png_infop info, ig_png_text_pair **pairs, size_t *count) {
    png_textp texts = NULL;
    int found = png_get_text(png, info, &texts, NULL);
    if (found <= 0) return 0;
    ig_png_text_pair *grown = (ig_png_text_pair *)realloc(*pairs, (*count + (size_t)found) * sizeof **pairs);
    if (!grown) return -1;
    *pairs = grown;
    for (int i = 0; i < found; i++) {
        size_t text_length = texts[i].compression > 0 ? texts[i].itxt_length : texts[i].text_length;
        ig_png_text_pair pair = {copy_text(texts[i].key, strlen(texts[i].key)),
                                 copy_text(texts[i].text ? texts[i].text : "", texts[i].text ? text_length : 0)};
        if (!pair.key || !pair.text) {
            free(pair.key);
            free(pair.text);
            return -1;
        }
        (*pairs)[(*count)++] = pair;
    }
    return 0;
}

void ig_png_free_text(ig_png_text_pair *pairs, size_t count) {
    for (size_t i = 0; i < count; i++) {
        free(pairs[i].key);
        free(pairs[i].text);
    }
    free(pairs);
}

// Decodes the whole image from memory (every row, every CRC, the end chunk).
// One row buffer is reused, so no image is kept. With `info`, the header
// goes there. With `pairs`, the text chunks are collected.
static int read_png(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_info *info,
                    ig_png_text_pair **pairs, size_t *pair_count, char *error, size_t error_capacity) {
    ig_png_reader state = {data, length, 0, error, error_capacity};
    png_structp png = ig_png_open_reader(&state);
    if (!png) return -1;
    png_infop start = png_create_info_struct(png);
    png_infop end = png_create_info_struct(png);
    // `buffer` changes between setjmp and a possible longjmp, so it must be
    // volatile or the cleanup below could free a stale (NULL) copy and leak.
    png_bytep volatile buffer = NULL;
    if (!start || !end) {
        png_destroy_read_struct(&png, start ? &start : NULL, end ? &end : NULL);
        set_error(error, error_capacity, "libpng could not start");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(buffer);
        png_destroy_read_struct(&png, &start, &end);
        return -1;
    }
    png_read_info(png, start);
    uint32_t height = png_get_image_height(png, start);
    uint64_t pixels = (uint64_t)png_get_image_width(png, start) * height;
    // Before a row is decoded: a few kB of zlib data can declare gigabytes of
    // pixels, all of which the loop below would inflate.
    if (pixels > max_pixels) {
        char message[160];
        snprintf(message, sizeof message, "%ux%u is %llu pixels, over imagegen's limit of %llu pixels",
                 (unsigned)png_get_image_width(png, start), (unsigned)height, (unsigned long long)pixels,
                 (unsigned long long)max_pixels);
        png_error(png, message);
    }
    if (info) {
        info->width = png_get_image_width(png, start);
        info->height = height;
        info->bit_depth = png_get_bit_depth(png, start);
        info->color_type = png_get_color_type(png, start);
        info->interlaced = png_get_interlace_type(png, start) != PNG_INTERLACE_NONE;
    }
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, start);
    size_t rowbytes = png_get_rowbytes(png, start);
    buffer = (png_bytep)calloc(rowbytes ? rowbytes : 1, 1);
    if (!buffer) png_error(png, "out of memory");
    for (int pass = 0; pass < passes; pass++) {
        for (uint32_t y = 0; y < height; y++) png_read_row(png, buffer, NULL);
    }
    png_read_end(png, end);
    if (pairs) {
        if (collect_text(png, start, pairs, pair_count) != 0 || collect_text(png, end, pairs, pair_count) != 0) {
            png_error(png, "out of memory");
        }
    }
    free(buffer);
    png_destroy_read_struct(&png, &start, &end);
    return 0;
}

int ig_png_read_text(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_text_pair **pairs,
                     size_t *count, char *error, size_t error_capacity) {
    *pairs = NULL;
    *count = 0;
    int status = read_png(data, length, max_pixels, NULL, pairs, count, error, error_capacity);
    if (status != 0) {
        ig_png_free_text(*pairs, *count);
        *pairs = NULL;
        *count = 0;
    }
    return status;
}
