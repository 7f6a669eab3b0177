#include <malloc.h>

#include "signal_shim.h"

void ig_mmap_allocations_from(size_t bytes) {
    // Setting the threshold also turns off glibc's moving threshold, which
    // would otherwise rise to the size of every large block freed.
    mallopt(M_MMAP_THRESHOLD, (int)bytes);
}
