// The memory reader and error handlers every libpng read in this shim uses
// (png_shim.c, png_pixels.c). Private to the shim: not in include/.
#ifndef IMAGEGEN_PNG_READER_H
#define IMAGEGEN_PNG_READER_H

#include <png.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *data;
    size_t length;
    size_t offset;
    char *error;
    size_t error_capacity;
    // libpng's own heap for this read (see IG_PNG_HEAP_MAX in png_shim.c).
    size_t heap_used;
    int heap_refused;
    // The last warning, which says why libpng's next error happened when
    // that error is as vague as "Invalid IHDR data".
    char warning[128];
} ig_png_reader;

void ig_png_set_error(char *error, size_t capacity, const char *message);

// Checks the signature and creates a read struct reading from `reader`, whose
// errors land in reader->error and longjmp, with imagegen's limits on chunk
// sizes, chunk count, dimensions and libpng's memory set. NULL (with the
// error set) on failure.
png_structp ig_png_open_reader(ig_png_reader *reader);

#endif
