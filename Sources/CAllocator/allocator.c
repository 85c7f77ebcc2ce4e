// glibc's allocator parameters behind functions: Swift imports neither malloc.h nor its macros.
#include "CAllocator.h"
#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>

int allocator_set_mmap_threshold(int bytes) { return mallopt(M_MMAP_THRESHOLD, bytes); }
int allocator_set_top_pad(int bytes) { return mallopt(M_TOP_PAD, bytes); }
// The size word before a block carries IS_MMAPPED (0x2) in glibc's chunk layout.
int allocator_block_is_mapped(const void *block) { return (((const size_t *)block)[-1] & 0x2) != 0; }
#else
int allocator_set_mmap_threshold(int bytes) { (void)bytes; return 0; }
int allocator_set_top_pad(int bytes) { (void)bytes; return 0; }
int allocator_block_is_mapped(const void *block) { (void)block; return 0; }
#endif
