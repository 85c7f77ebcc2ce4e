import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a column snapshot file atomically: into a temporary file beside it (mode 0600, created
/// exclusively), header last, then renamed over the old one. A reader sees the old file or the new
/// one, never half of one; a write cut short leaves only a temporary file, which no reader opens.
struct ColumnSnapshotWriter {
    /// Why a snapshot could not be written (logged as a warning; the Warehouse goes on without it).
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Distinguishes the temporary files of concurrent writes in this process.
    private static let sequence = Atomic<Int>(0)

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var checksum = SnapshotChecksum()
    private var offset = 0

    private init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }

    /// Writes `table` with `header`'s marks (its sizes and checksum are filled in here) to `path`.
    static func write(_ table: ColumnTable, header: ColumnSnapshotHeader, to path: String) throws(Failure) {
        let n = sequence.wrappingAdd(1, ordering: .relaxed).newValue
        let temporary = "\(path).tmp-\(getpid())-\(n)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(description: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var writer = ColumnSnapshotWriter(fd: fd)
        do {
            guard fchmod(fd, 0o600) == 0 else { throw Failure(description: "cannot set mode 0600: \(String(cString: strerror(errno)))") }
            try writer.body(table, header: header)
        } catch {
            close(fd)
            unlink(temporary)
            throw error as? Failure ?? Failure(description: "\(error)")
        }
        guard close(fd) == 0 else {
            unlink(temporary)
            throw Failure(description: "cannot close \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot rename \(temporary) to \(path): \(reason)")
        }
    }

    private mutating func body(_ table: ColumnTable, header: ColumnSnapshotHeader) throws {
        try raw([UInt8](repeating: 0, count: ColumnSnapshotHeader.size), summed: false)
        for (field, column) in zip(table.fields, table.columns) {
            try self.column(field, column, rows: table.rowCount)
        }
        try flush()
        var header = header
        header.columnCount = table.columns.count
        header.rowCount = table.rowCount
        header.fileLength = offset
        header.payloadChecksum = checksum.finish()
        let bytes = header.encoded()
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { throw Failure(description: "cannot write the header: \(String(cString: strerror(errno)))") }
    }

    private mutating func column(_ field: Field, _ column: Column, rows: Int) throws {
        let (tag, scale) = ColumnSnapshotLayout.tag(field.type)
        let name = Array(field.name.utf8)
        var dictionaryCount = 0
        var offsets: [UInt64] = []
        var blob: [UInt8] = []
        let storage: ColumnSnapshotLayout.Storage
        switch column.storage {
        case .ints: storage = .ints
        case .doubles: storage = .doubles
        case .strings(_, let dictionary):
            storage = .codes
            dictionaryCount = dictionary.count
            offsets.reserveCapacity(dictionaryCount + 1)
            offsets.append(0)
            for value in dictionary.values {
                blob.append(contentsOf: value.utf8)
                offsets.append(UInt64(blob.count))
            }
        }
        var head: [UInt8] = []
        func put<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { head.append(contentsOf: $0) } }
        put(UInt32(name.count))
        put(tag)
        put(scale)
        put(storage.rawValue)
        put(UInt8(column.valid == nil ? 0 : 1))
        put(UInt64(dictionaryCount))
        put(UInt64(blob.count))
        try raw(head)
        try padded(name)
        if let valid = column.valid {
            var bitmap = [UInt8](repeating: 0, count: (rows + 7) / 8)
            for i in 0..<rows where valid[i] { bitmap[i >> 3] |= 1 << UInt8(i & 7) }
            try padded(bitmap)
        }
        switch column.storage {
        case .ints(let values): try values.withUnsafeBytes { bytes in try self.padded(bytes) }
        case .doubles(let values): try values.withUnsafeBytes { bytes in try self.padded(bytes) }
        case .strings(let codes, _):
            try codes.withUnsafeBytes { bytes in try self.padded(bytes) }
            try offsets.map { $0.littleEndian }.withUnsafeBytes { bytes in try self.padded(bytes) }
            try padded(blob)
        }
    }

    private mutating func padded(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in try padded(raw) }
    }

    private mutating func padded(_ bytes: UnsafeRawBufferPointer) throws {
        try raw(bytes)
        let pad = ColumnSnapshotLayout.padded(bytes.count) - bytes.count
        if pad > 0 { try raw([UInt8](repeating: 0, count: pad)) }
    }

    private mutating func raw(_ bytes: [UInt8], summed: Bool = true) throws {
        try bytes.withUnsafeBytes { raw in try self.raw(raw, summed: summed) }
    }

    /// Appends bytes: small pieces through the buffer, large ones straight from the caller's memory.
    private mutating func raw(_ bytes: UnsafeRawBufferPointer, summed: Bool = true) throws {
        if summed { checksum.update(bytes) }
        offset += bytes.count
        if bytes.count >= 1 << 16 {
            try flush()
            try send(bytes)
        } else {
            buffer.append(contentsOf: bytes)
            if buffer.count >= 1 << 20 { try flush() }
        }
    }

    private mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try pending.withUnsafeBytes { bytes in try send(bytes) }
    }

    private func send(_ bytes: UnsafeRawBufferPointer) throws {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = Foundation.write(fd, p, left)
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot write: \(String(cString: strerror(errno)))")
            }
            p += n
            left -= n
        }
    }
}
