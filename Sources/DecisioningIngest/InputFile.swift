import DecisioningCore
import Dispatch
import Foundation
import Synchronization

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
    /// How long opening a FIFO may block before the ingest says it is waiting for a writer.
    static let fifoNoticeDelay = 0.25

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

    /// The device and inode of the file, which tell two names of one file apart from two files.
    let identity: FileIdentity

    /// Opens `path`. When it is a FIFO, `waiting` is called first: opening it blocks until a writer opens the other end.
    init(path: String, bufferSize: Int, waiting: (@Sendable (String) -> Void)? = nil) throws(IngestError) {
        self.path = path
        var before = stat()
        // Opening a FIFO blocks until a writer opens it; say so when that takes a moment (a pipe
        // with a writer, such as /dev/stdin in `cat x | decisioning ingest`, opens at once).
        let opening = Opening()
        if let waiting, stat(path, &before) == 0 && (before.st_mode & S_IFMT) == S_IFIFO {
            let message =
                "waiting for a writer on FIFO \(TerminalText.escaped(path, escapeTabs: true)) (opening it blocks until a program opens it for writing)"
            DispatchQueue.global().asyncAfter(deadline: .now() + InputFile.fifoNoticeDelay) {
                if opening.stillOpening() { waiting(message) }
            }
        }
        var fd: Int32
        repeat { fd = open(path, O_RDONLY) } while fd < 0 && errno == EINTR
        opening.finish()
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
        identity = FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : 0
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
                throw IngestError(
                    file: path, line: 0,
                    message: "a record longer than \(InputFile.maxRecordSize >> 20) MiB; is a quoted field missing its closing quote?")
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

/// Whether an `open` has returned, shared with the timer that reports a wait for a FIFO's writer.
private final class Opening: Sendable {
    private let open = Atomic<Bool>(true)
    func stillOpening() -> Bool { open.load(ordering: .acquiring) }
    func finish() { open.store(false, ordering: .releasing) }
}

struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
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
            throw IngestError(
                file: input.path, line: 0,
                message: "the file is UTF-16 (\(order), it starts with a UTF-16 byte order mark); convert it to UTF-8")
        }
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { return 3 }
        return 0
    }
}

extension Encoding {
    /// The format of a file whose name does not tell: JSON Lines when the first character that is not
    /// white space is `{`, else CSV. Reads until it finds that character (or the end); `start` is
    /// where the text begins. Nothing is consumed.
    static func sniff(_ input: InputFile, from start: Int) throws(IngestError) -> InputFormat {
        var i = start
        while true {
            while i < input.end {
                let c = input.buffer[i]
                if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                    i += 1
                    continue
                }
                return c == UInt8(ascii: "{") ? .jsonl : .csv
            }
            if input.atEOF || input.end - start >= InputFile.maxRecordSize { return .csv }
            try input.refill(keepingFrom: 0)
        }
    }
}
