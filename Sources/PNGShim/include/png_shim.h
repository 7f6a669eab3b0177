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

// Decodes the whole image from memory (every row, every CRC, the end chunk)
// without keeping the pixels. Returns 0 when the PNG is sound; otherwise -1
// with a message from libpng in `error`.
int ig_png_validate(const uint8_t *data, size_t length, ig_png_info *info,
                    char *error, size_t error_capacity);

#endif
