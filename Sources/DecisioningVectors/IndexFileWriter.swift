import Foundation

/// Writes the index file in little-endian order through a buffer of ``chunkSize`` bytes: each full buffer
/// is folded into the checksum and written, so saving needs one buffer, never a second copy of the index.
/// The bytes go to a temporary file beside the target, renamed into place once complete.
struct IndexFileWriter {
    /// Bytes written at a time (a multiple of 8, so the checksum's 64-bit words never straddle two).
    static let chunkSize = 1 << 20

    let path: String
    private let temporary: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var hash = IndexFileReader.checksumSeed

    /// Opens a temporary file beside `path`.
    /// - Throws: `VectorFileError` (`.io`) if it cannot be created.
    init(path: String) throws(VectorFileError) {
        self.path = path
        temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw VectorFileError(file: path, kind: .io, "cannot create the index file; check the directory and its permissions")
        }
        self.handle = handle
        buffer.reserveCapacity(Self.chunkSize)
    }

    mutating func append(_ bytes: [UInt8]) throws(VectorFileError) {
        try bulk(bytes)
    }

    mutating func u32(_ value: UInt32) throws(VectorFileError) {
        try withUnsafeBytes(of: value.littleEndian) { raw throws(VectorFileError) in try bulk(raw) }
    }

    mutating func u64(_ value: UInt64) throws(VectorFileError) {
        try withUnsafeBytes(of: value.littleEndian) { raw throws(VectorFileError) in try bulk(raw) }
    }

    mutating func floats(_ values: [Float]) throws(VectorFileError) {
        #if _endian(little)
            try bulk(values)
        #else
            for value in values { try u32(value.bitPattern) }
        #endif
    }

    mutating func int32s(_ values: [Int32]) throws(VectorFileError) {
        #if _endian(little)
            try bulk(values)
        #else
            for value in values { try u32(UInt32(bitPattern: value)) }
        #endif
    }

    /// Appends the bytes of `values` as they sit in memory (file order on a little-endian machine).
    private mutating func bulk<T>(_ values: [T]) throws(VectorFileError) {
        let outcome: Result<Void, VectorFileError> = values.withUnsafeBytes { raw in
            do throws(VectorFileError) {
                try bulk(raw)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }

    /// Appends bytes already in file order.
    private mutating func bulk(_ raw: UnsafeRawBufferPointer) throws(VectorFileError) {
        var offset = 0
        while offset < raw.count {
            let take = min(raw.count - offset, Self.chunkSize - buffer.count)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + take]))
            offset += take
            if buffer.count == Self.chunkSize { try flush() }
        }
    }

    /// Folds what is left into the checksum, appends it, and renames the file into place.
    mutating func finish() throws(VectorFileError) {
        let sum = buffer.withUnsafeBytes { IndexFileReader.checksum($0, end: $0.count, from: hash) }
        buffer.append(contentsOf: withUnsafeBytes(of: sum.littleEndian) { Array($0) })
        try write(buffer)
        buffer.removeAll()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw failure(error)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw VectorFileError(file: path, kind: .io, "cannot move the index into place (\(reason)); check the directory")
        }
    }

    /// Closes and removes the temporary file (after a failure).
    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporary)
    }

    /// Folds the full buffer into the checksum, writes it and empties it.
    private mutating func flush() throws(VectorFileError) {
        hash = buffer.withUnsafeBytes { IndexFileReader.checksum($0, end: $0.count, from: hash) }
        try write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func write(_ bytes: [UInt8]) throws(VectorFileError) {
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw failure(error)
        }
    }

    private func failure(_ error: any Error) -> VectorFileError {
        VectorFileError(file: path, kind: .io, "cannot write the index (\(error.localizedDescription)); check the directory and free space")
    }
}
