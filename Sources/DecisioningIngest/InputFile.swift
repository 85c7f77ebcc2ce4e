#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read sequentially through one large buffer that the parsers scan in place.
///
/// `window` is the unconsumed data; a parser that needs more bytes than the buffer holds to finish
/// a record calls `refill(keepingFrom:)`, which moves the unfinished record to the front and reads
/// on, growing the buffer only when a single record is larger than it.
final class InputFile {
    /// No single record may be larger than this (a missing closing quote would otherwise read the whole file into memory).
    static let maxRecordSize = 64 << 20

    let path: String
    let size: Int64
    private let fd: Int32
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private let initialCapacity: Int
    /// Valid bytes are `buffer[0..<end]`.
    private(set) var end = 0
    private(set) var atEOF = false
    /// File offset of `buffer[0]`.
    private(set) var bufferOffset: Int64 = 0

    init(path: String, bufferSize: Int) throws(IngestError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            let reason = code == ENOENT ? "no such file" : String(cString: strerror(code))
            throw IngestError(file: path, line: 0, message: "cannot open the file: \(reason)")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw IngestError(file: path, line: 0, message: "cannot read the file: \(reason)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw IngestError(file: path, line: 0, message: "is a directory, not a file")
        }
        self.fd = fd
        size = Int64(info.st_size)
        capacity = max(1, bufferSize)
        initialCapacity = capacity
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        close(fd)
    }

    /// Drops `buffer[0..<keep]`, then reads more bytes after the rest (growing the buffer if it is full).
    /// Afterwards the byte formerly at `keep` is at index 0.
    func refill(keepingFrom keep: Int) throws(IngestError) {
        precondition(!atEOF)
        let remaining = end - keep
        if keep > 0 {
            if remaining > 0 { buffer.update(from: buffer + keep, count: remaining) }
            bufferOffset += Int64(keep)
            end = remaining
        }
        if end == capacity {
            guard capacity < max(InputFile.maxRecordSize, initialCapacity) else {
                throw IngestError(file: path, line: 0, message: "a record longer than \(InputFile.maxRecordSize >> 20) MiB; is a quoted field missing its closing quote?")
            }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        while true {
            let n = read(fd, buffer + end, capacity - end)
            if n < 0 {
                if errno == EINTR { continue }
                throw IngestError(file: path, line: 0, message: "cannot read the file: \(String(cString: strerror(errno)))")
            }
            if n == 0 { atEOF = true }
            end += n
            return
        }
    }

    /// Bytes of the file before `buffer[index]`.
    func fileOffset(_ index: Int) -> Int64 { bufferOffset + Int64(index) }
}

/// What the first bytes of a file say about its encoding.
enum Encoding {
    /// Reads the first chunk and returns where the text starts: after a UTF-8 byte order mark, if any.
    /// A UTF-16 (or UTF-32) byte order mark is an error for the whole file.
    static func start(of input: InputFile) throws(IngestError) -> Int {
        repeat { try input.refill(keepingFrom: 0) } while input.end < 3 && !input.atEOF
        let p = input.buffer
        let n = input.end
        if n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)) {
            let order = p[0] == 0xFF ? "little-endian" : "big-endian"
            throw IngestError(file: input.path, line: 0, message: "the file is UTF-16 (\(order), it starts with a UTF-16 byte order mark); convert it to UTF-8")
        }
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { return 3 }
        return 0
    }
}
