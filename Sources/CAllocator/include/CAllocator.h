#ifndef C_ALLOCATOR_H
#define C_ALLOCATOR_H

#include <stddef.h>

/// glibc's `mallopt` for the two parameters Decisioning sets (malloc.h's macros have no Swift spelling).
/// Each returns 1 on success and 0 when the allocator refused the value or is not glibc's.
int allocator_set_mmap_threshold(int bytes);
int allocator_set_top_pad(int bytes);

/// Whether `block`, returned by malloc, was mapped on its own (glibc's chunk flag); 0 off glibc.
int allocator_block_is_mapped(const void *block);

#endif
