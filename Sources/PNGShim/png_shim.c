#include "png_shim.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *data;
    size_t length;
    size_t offset;
    char *error;
    size_t error_capacity;
} reader_state;

static void on_error(png_structp png, png_const_charp message) {
    reader_state *state = (reader_state *)png_get_error_ptr(png);
    if (state && state->error && state->error_capacity > 0) {
        snprintf(state->error, state->error_capacity, "%s", message);
    }
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static void on_read(png_structp png, png_bytep out, png_size_t count) {
    reader_state *state = (reader_state *)png_get_io_ptr(png);
    if (state->length - state->offset < count) {
        png_error(png, "image data ends early (truncated PNG)");
    }
    memcpy(out, state->data + state->offset, count);
    state->offset += count;
}

int ig_png_validate(const uint8_t *data, size_t length, ig_png_info *info,
                    char *error, size_t error_capacity) {
    reader_state state = {data, length, 0, error, error_capacity};
    if (error && error_capacity > 0) error[0] = '\0';
    if (length < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        snprintf(error, error_capacity, "not a PNG signature");
        return -1;
    }

    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
    if (!png) {
        snprintf(error, error_capacity, "libpng could not start");
        return -1;
    }
    png_infop start = png_create_info_struct(png);
    png_infop end = png_create_info_struct(png);
    png_bytep row = NULL;
    if (!start || !end) {
        png_destroy_read_struct(&png, start ? &start : NULL, end ? &end : NULL);
        snprintf(error, error_capacity, "libpng could not start");
        return -1;
    }
    // Generated images can be large; lift libpng's default user limits so a
    // valid 8k image is not refused, while keeping its chunk-size checks.
    png_set_user_limits(png, 0x7fffffff, 0x7fffffff);

    if (setjmp(png_jmpbuf(png))) {
        free(row);
        png_destroy_read_struct(&png, &start, &end);
        return -1;
    }

    png_set_read_fn(png, &state, on_read);
    png_read_info(png, start);

    info->width = png_get_image_width(png, start);
    info->height = png_get_image_height(png, start);
    info->bit_depth = png_get_bit_depth(png, start);
    info->color_type = png_get_color_type(png, start);
    info->interlaced = png_get_interlace_type(png, start) != PNG_INTERLACE_NONE;

    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, start);
    size_t rowbytes = png_get_rowbytes(png, start);
    row = (png_bytep)malloc(rowbytes ? rowbytes : 1);
    if (!row) png_error(png, "out of memory");
    for (int pass = 0; pass < passes; pass++) {
        for (uint32_t y = 0; y < info->height; y++) {
            png_read_row(png, row, NULL);
        }
    }
    png_read_end(png, end);

    free(row);
    png_destroy_read_struct(&png, &start, &end);
    return 0;
}
