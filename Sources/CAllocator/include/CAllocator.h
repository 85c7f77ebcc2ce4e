#ifndef C_ALLOCATOR_H
#define C_ALLOCATOR_H

#include <stddef.h>

/// glibc's `mallopt` for the two parameters Decisioning sets (the Glibc module exports neither malloc.h nor its macros).
/// Each returns 1 on success and 0 when the allocator refused the value or is not glibc's.
int allocator_set_mmap_threshold(int bytes);
int allocator_set_top_pad(int bytes);

/// glibc's `malloc_trim(pad)`: returns free heap memory to the system; 1 when some was, 0 otherwise or off glibc.
int allocator_trim(size_t pad);

/// Allocates `bytes`, reads whether glibc mapped the block on its own (the flag in the size word
/// before it) and frees it: 1 mapped, 0 from a heap, -1 unknown (not glibc, or no memory). It reads
/// glibc's block layout: with another allocator preloaded its answer means nothing.
int allocator_probe_mapped(size_t bytes);

#endif
