// The limits every PNG is held to, by the check before writing (png_check.c)
// and by every libpng read (png_shim.c). Private to the shim: not in include/.
#ifndef IMAGEGEN_PNG_LIMITS_H
#define IMAGEGEN_PNG_LIMITS_H

#include <stdint.h>

// The most bytes a chunk other than IDAT may declare: above the metadata
// imagegen writes (prompts of tens of kB at most) and any real text, XMP or
// ICC chunk.
#define IG_PNG_CHUNK_MAX ((uint32_t)8 << 20)

// Pixels a side. Generated images are a few thousand a side at most; 65535
// is JPEG's own limit and leaves room for any real panorama, while the pixel
// budget (PNGLibrary.pixelBudget) bounds the area.
#define IG_PNG_SIDE_MAX 65535u

#endif
