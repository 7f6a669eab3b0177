// Full pixel decoding for the terminal preview. Like png_shim.h,
// libpng's longjmp stays inside the C function.
#ifndef IMAGEGEN_PNG_PIXELS_H
#define IMAGEGEN_PNG_PIXELS_H

#include <stddef.h>
#include <stdint.h>

// Decodes any PNG (every colour type and bit depth, palette, tRNS, Adam7) to
// 8-bit RGBA, row after row, width * height * 4 bytes malloc'd in *pixels
// (release with ig_png_pixels_free). 16-bit samples keep their high byte;
// gamma and colour profiles are ignored, as most viewers do for a preview.
// Images above `max_pixels` are refused before anything is allocated.
// Returns 0, or -1 with a message in `error`.
int ig_png_decode_rgba(const uint8_t *data, size_t length, uint64_t max_pixels,
                       uint32_t *width, uint32_t *height, uint8_t **pixels,
                       char *error, size_t error_capacity);
void ig_png_pixels_free(void *pointer);

#endif
