#include "png_pixels.h"
#include "png_reader.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ig_png_decode_rgba(const uint8_t *data, size_t length, uint64_t max_pixels,
                       uint32_t *width, uint32_t *height, uint8_t **pixels,
                       char *error, size_t error_capacity) {
    ig_png_reader state = {data, length, 0, error, error_capacity};
    *pixels = NULL;
    *width = 0;
    *height = 0;
    png_structp png = ig_png_open_reader(&state);
    if (!png) return -1;
    png_infop info = png_create_info_struct(png);
    // Both change between setjmp and a possible longjmp: volatile, or the
    // cleanup could see stale copies and leak.
    png_bytep volatile buffer = NULL;
    png_bytepp volatile rows = NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        ig_png_set_error(error, error_capacity, "libpng could not start");
        return -1;
    }
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        free(buffer);
        png_destroy_read_struct(&png, &info, NULL);
        return -1;
    }
    png_read_info(png, info);

    uint32_t w = png_get_image_width(png, info);
    uint32_t h = png_get_image_height(png, info);
    if ((uint64_t)w * h > max_pixels) png_error(png, "image too large to decode for a preview");
    int color_type = png_get_color_type(png, info);

    // Palette to RGB, grey below 8 bits to 8, tRNS to an alpha channel.
    png_set_expand(png);
    png_set_strip_16(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    int has_alpha = (color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS);
    if (!has_alpha) png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);

    if (png_get_channels(png, info) != 4 || png_get_bit_depth(png, info) != 8) {
        png_error(png, "libpng did not produce 8-bit RGBA");
    }
    size_t rowbytes = png_get_rowbytes(png, info);
    if (rowbytes != (size_t)w * 4) png_error(png, "unexpected row size after conversion");
    buffer = (png_bytep)malloc(h && rowbytes ? rowbytes * h : 1);
    rows = (png_bytepp)malloc((h ? h : 1) * sizeof(png_bytep));
    if (!buffer || !rows) png_error(png, "out of memory");
    for (uint32_t y = 0; y < h; y++) rows[y] = buffer + (size_t)y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);

    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    *pixels = buffer;
    *width = w;
    *height = h;
    return 0;
}

void ig_png_pixels_free(void *pointer) { free(pointer); }
