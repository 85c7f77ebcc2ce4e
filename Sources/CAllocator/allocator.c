// glibc's allocator parameters behind functions: Swift imports neither malloc.h nor its macros.
#include "CAllocator.h"
#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>

int allocator_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
int allocator_set_top_pad(int bytes) { return mallopt(M_TOP_PAD, bytes); }
int allocator_trim(size_t pad) { return malloc_trim(pad); }
// The size word before a block carries IS_MMAPPED (0x2) in glibc's chunk layout.
int allocator_probe_mapped(size_t bytes) {
    // Through a volatile, so that the compiler neither drops the allocation nor reasons about the read before it.
    void *volatile block = malloc(bytes);
    if (block == NULL) return -1;
    int mapped = (((const size_t *)block)[-1] & 0x2) != 0;
    free(block);
    return mapped;
}
#else
int allocator_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
int allocator_set_top_pad(int bytes) { (void)bytes; return 0; }
int allocator_trim(size_t pad) { (void)pad; return 0; }
int allocator_probe_mapped(size_t bytes) { (void)bytes; return -1; }
#endif
