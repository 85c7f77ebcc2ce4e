import CAllocator

/// The process's heap between long pieces of work. glibc keeps memory freed by a thread in that thread's arena
/// (up to eight per core), so a server whose runs and requests touch many threads holds gigabytes it no longer
/// uses, and its resident size grows with the number of arenas a run's tables passed through. Trimming after
/// each run gives it back (`malloc_trim` also releases free pages inside every arena, not only at their tops).
public enum ProcessMemory {
    /// Returns free heap memory to the system; a few milliseconds per gigabyte. Blocking: call it on the pool.
    /// Does nothing where the C library has no `malloc_trim` (it is glibc's; `CAllocator` wraps it).
    public static func trim() {
        _ = allocator_trim(0)
    }
}
