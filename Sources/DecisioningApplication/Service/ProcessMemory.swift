#if canImport(Glibc)
    import Glibc
#endif

/// The process's heap between long pieces of work. glibc keeps memory freed by a thread in that thread's arena
/// (up to eight per core), so a server whose runs and requests touch many threads holds gigabytes it no longer
/// uses, and its resident size grows with the number of arenas a run's tables passed through. Trimming after
/// each run gives it back (`malloc_trim` also releases free pages inside every arena, not only at their tops).
public enum ProcessMemory {
    /// Returns free heap memory to the system; a few milliseconds per gigabyte. Blocking: call it on the pool.
    /// Does nothing where the C library has no `malloc_trim` (it is glibc's).
    public static func trim() {
        #if canImport(Glibc)
            _ = mallocTrim?(0)
        #endif
    }

    #if canImport(Glibc)
        /// glibc's `malloc_trim(size_t pad)`, looked up once: the Glibc module does not export `<malloc.h>`.
        private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
            guard let symbol = dlsym(nil, "malloc_trim") else { return nil }
            return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        }()
    #endif
}
