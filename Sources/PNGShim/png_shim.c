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

static void set_error(char *error, size_t capacity, const char *message) {
    if (error && capacity > 0) snprintf(error, capacity, "%s", message);
}

static void on_error(png_structp png, png_const_charp message) {
    reader_state *state = (reader_state *)png_get_error_ptr(png);
    if (state) set_error(state->error, state->error_capacity, message);
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
    set_error(error, error_capacity, "");
    if (!data || length < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        set_error(error, error_capacity, "not a PNG signature");
        return -1;
    }

    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, on_error, on_warning);
    if (!png) {
        set_error(error, error_capacity, "libpng could not start");
        return -1;
    }
    png_infop start = png_create_info_struct(png);
    png_infop end = png_create_info_struct(png);
    // `row` changes between setjmp and a possible longjmp, so it must be
    // volatile or the cleanup below could free a stale (NULL) copy and leak.
    png_bytep volatile row = NULL;
    if (!start || !end) {
        png_destroy_read_struct(&png, start ? &start : NULL, end ? &end : NULL);
        set_error(error, error_capacity, "libpng could not start");
        return -1;
    }
    // libpng's default user limits (1,000,000 pixels a side, 8 MB for an
    // ancillary chunk) are kept: far above any generated image, and they
    // refuse absurd headers before anything is allocated.

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
