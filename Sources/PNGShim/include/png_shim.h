// libpng reports errors with longjmp, which must never cross Swift frames, so
// every libpng call happens inside these C functions behind a setjmp.
#ifndef IMAGEGEN_PNG_SHIM_H
#define IMAGEGEN_PNG_SHIM_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t width;
    uint32_t height;
    int bit_depth;
    int color_type;
    int interlaced;
} ig_png_info;

// The check imagegen runs before writing a PNG, without libpng (png_check.c):
// the signature; every chunk's length and CRC; IHDR first with valid fields;
// PLTE where a palette image needs it; IDATs consecutive; IEND last with
// nothing after it; the image data one complete zlib stream inflating to
// exactly the image's filtered rows, each with a filter type of 0 to 4.
// Inflates through a 64 KiB scratch buffer, keeping nothing. Refuses a side
// above 65535, a chunk other than IDAT above 8 MiB and images above
// `max_pixels` before inflating. Returns 0 and the header in `info`, or -1
// with the reason in `error`.
int ig_png_check(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_info *info, char *error,
                 size_t error_capacity);

// Decodes the whole image from memory with libpng (every row, every CRC, the
// end chunk) without keeping the pixels: the reference ig_png_check is held to. Images above `max_pixels` are refused before a
// row is decoded. Returns 0 when the PNG is sound; otherwise -1 with a
// message from libpng (or about imagegen's limits) in `error`.
int ig_png_validate(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_info *info,
                    char *error, size_t error_capacity);

// One text chunk: a Latin-1 keyword (1-79 printable characters) and UTF-8 text
// without NUL bytes.
typedef struct {
    const char *key;
    const char *text;
} ig_png_text_entry;

// Writes `entries` as PNG text chunks with libpng's chunk writer: tEXt when
// the text is ASCII, otherwise uncompressed iTXt (UTF-8). The caller splices
// them in after IHDR, so the image itself is never copied or re-encoded.
// Returns 0 and the malloc'd chunk bytes in *out (release with ig_png_free),
// or -1 with a message in `error`.
int ig_png_text_chunks(const ig_png_text_entry *entries, size_t count, uint8_t **out,
                       size_t *out_length, char *error, size_t error_capacity);

// A text chunk as libpng read it; key and text are malloc'd, NUL-terminated UTF-8.
typedef struct {
    char *key;
    char *text;
} ig_png_text_pair;

// Decodes the whole PNG with libpng (refusing it above `max_pixels`, like
// ig_png_validate) and returns every tEXt, zTXt and iTXt chunk libpng kept,
// before and after the image data, in file order. Release with
// ig_png_free_text. Returns 0, or -1 with a message in `error`.
int ig_png_read_text(const uint8_t *data, size_t length, uint64_t max_pixels, ig_png_text_pair **pairs,
                     size_t *count, char *error, size_t error_capacity);
void ig_png_free_text(ig_png_text_pair *pairs, size_t count);

void ig_png_free(void *pointer);

#endif
