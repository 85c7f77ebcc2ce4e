#ifndef C_VECTOR_PREFETCH_H
#define C_VECTOR_PREFETCH_H

/// Asks the CPU to bring the cache line holding `address` into every cache level: a hint, never a fault.
static inline __attribute__((always_inline)) void vector_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
