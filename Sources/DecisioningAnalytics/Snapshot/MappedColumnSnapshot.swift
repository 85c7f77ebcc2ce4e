import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A column snapshot file mapped into memory (read-only). Opening it decodes the header and checks
/// every column's place in the file; `verify()` checks the data's checksum, before any value is read.
/// `table()` reads the values in place: the engine's columns point into the mapping, which stays
/// mapped while any of them lives (a snapshot written anew is renamed over this file, so the
/// mapping keeps the old one's bytes).
final class MappedColumnSnapshot: MappedRegion, @unchecked Sendable {
    // Unchecked: the mapping is read-only and fixed from `init` to `deinit`.
    struct Entry {
        var field: Field
        var storage: ColumnSnapshotLayout.Storage
        var validity: Int?
        var values: Int
        var dictionaryCount: Int
        var offsets: Int
        var blob: Int
        var blobLength: Int
    }

    let header: ColumnSnapshotHeader
    let entries: [Entry]
    private let base: UnsafeMutableRawPointer
    private let length: Int

    init(path: String) throws(ColumnSnapshotRejection) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw .missing }
            throw .unreadable(String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        guard size >= ColumnSnapshotHeader.size else { throw .truncated("the file has \(size) bytes, less than a header") }
        // Not populated here: `verify` reads every page, at the same time as the Store's read (`Warehouse.fromSnapshot`).
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapped != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .unreadable("mmap: \(String(cString: strerror(errno)))")
        }
        base = mapped
        length = size
        let raw = UnsafeRawBufferPointer(start: mapped, count: size)
        do throws(ColumnSnapshotRejection) {
            let header = try ColumnSnapshotHeader.decode(raw)
            guard header.fileLength <= size else { throw .truncated("\(size) of \(header.fileLength) bytes") }
            guard header.fileLength == size else { throw .corrupt("\(size) bytes where the header says \(header.fileLength)") }
            self.header = header
            self.entries = try Self.directory(raw, header)
        } catch {
            munmap(mapped, size)
            throw error
        }
    }

    deinit { munmap(base, length) }

    /// Checks the data's checksum (reading every byte of the file).
    func verify() throws(ColumnSnapshotRejection) {
        #if os(Linux)
            // Maps every page in one call rather than a few per fault (kernels before 5.14 ignore it).
            _ = madvise(base, length, MADV_POPULATE_READ)
        #endif
        let payload = UnsafeRawBufferPointer(start: base + ColumnSnapshotHeader.size, count: length - ColumnSnapshotHeader.size)
        guard SnapshotChecksum.of(payload) == header.payloadChecksum else { throw .corrupt("the data's checksum does not match") }
    }

    /// Walks the column sections, checking that each lies inside the file.
    private static func directory(_ raw: UnsafeRawBufferPointer, _ header: ColumnSnapshotHeader) throws(ColumnSnapshotRejection)
        -> [Entry]
    {
        var offset = ColumnSnapshotHeader.size
        let rows = header.rowCount
        func take(_ n: Int, _ what: String) throws(ColumnSnapshotRejection) -> Int {
            let (end, overflow) = offset.addingReportingOverflow(ColumnSnapshotLayout.padded(n))
            guard n >= 0, !overflow, end <= raw.count else { throw .truncated("the file ends inside \(what)") }
            defer { offset = end }
            return offset
        }
        func get<T: FixedWidthInteger>(_ at: Int, _: T.Type) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: T.self)) }
        var entries: [Entry] = []
        var names = Set<String>()
        for _ in 0..<header.columnCount {
            let at = try take(ColumnSnapshotLayout.columnHeaderSize, "a column header")
            let nameLength = Int(get(at, UInt32.self))
            guard nameLength <= ColumnSnapshotLayout.maxNameLength else { throw .corrupt("a column name of \(nameLength) bytes") }
            guard let type = ColumnSnapshotLayout.type(tag: get(at + 4, UInt8.self), scale: get(at + 5, UInt8.self)),
                let storage = ColumnSnapshotLayout.Storage(rawValue: get(at + 6, UInt8.self)),
                storage == ColumnSnapshotLayout.storage(type)
            else { throw .corrupt("an unknown column type or storage") }
            let flags = get(at + 7, UInt8.self)
            let dictionaryCount = get(at + 8, UInt64.self)
            let blobLength = get(at + 16, UInt64.self)
            guard dictionaryCount < UInt64(Int32.max), blobLength < UInt64(raw.count) else {
                throw .corrupt("implausible dictionary sizes")
            }
            let nameAt = try take(nameLength, "a column name")
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: raw[nameAt..<(nameAt + nameLength)]), as: UTF8.self)
            guard names.insert(name).inserted else { throw .corrupt("column \(name) appears twice") }
            let validity = flags & 1 == 0 ? nil : try take((rows + 7) / 8, "a validity bitmap")
            let width = storage == .codes ? 4 : 8
            let (valueBytes, overflow) = rows.multipliedReportingOverflow(by: width)
            guard !overflow else { throw .corrupt("implausible row count") }
            let values = try take(valueBytes, "column \(name)'s values")
            var offsets = 0
            var blob = 0
            if storage == .codes {
                offsets = try take((Int(dictionaryCount) + 1) * 8, "a dictionary's offsets")
                blob = try take(Int(blobLength), "a dictionary's strings")
                var previous: UInt64 = 0
                for i in 0...Int(dictionaryCount) {
                    let o = get(offsets + i * 8, UInt64.self)
                    guard o >= previous, o <= blobLength, i > 0 || o == 0 else { throw .corrupt("column \(name)'s dictionary offsets") }
                    previous = o
                }
                guard previous == blobLength else { throw .corrupt("column \(name)'s dictionary offsets") }
            } else if dictionaryCount != 0 || blobLength != 0 {
                throw .corrupt("a dictionary on column \(name), which is not text")
            }
            entries.append(
                Entry(
                    field: Field(name, type), storage: storage, validity: validity, values: values, dictionaryCount: Int(dictionaryCount),
                    offsets: offsets, blob: blob, blobLength: Int(blobLength)))
        }
        guard offset == raw.count else { throw .corrupt("\(raw.count - offset) bytes after the last column") }
        return entries
    }

    /// The snapshot as the engine's table, its values read in place (the validity bitmaps and
    /// dictionaries are unpacked).
    func table(named name: String) throws(ColumnSnapshotRejection) -> ColumnTable {
        let rows = header.rowCount
        var columns: [Column] = []
        columns.reserveCapacity(entries.count)
        for entry in entries {
            let valid = entry.validity.map { at in
                (0..<rows).map { i in base.load(fromByteOffset: at + (i >> 3), as: UInt8.self) & (1 << UInt8(i & 7)) != 0 }
            }
            let storage: Column.Storage
            switch entry.storage {
            case .ints: storage = .ints(inPlace(Int64.self, at: entry.values, count: rows))
            case .doubles: storage = .doubles(inPlace(Double.self, at: entry.values, count: rows))
            case .codes:
                let codes = inPlace(Int32.self, at: entry.values, count: rows)
                let limit = Int32(entry.dictionaryCount)
                let inRange = codes.withUnsafeBufferPointer { codes in codes.allSatisfy { $0 >= -1 && $0 < limit } }
                guard inRange else { throw .corrupt("column \(entry.field.name) has codes outside its dictionary") }
                var values: [String] = []
                values.reserveCapacity(entry.dictionaryCount)
                for i in 0..<entry.dictionaryCount {
                    let start = Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: entry.offsets + i * 8, as: UInt64.self)))
                    let end = Int(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: entry.offsets + i * 8 + 8, as: UInt64.self)))
                    values.append(
                        String(decoding: UnsafeRawBufferPointer(start: base + entry.blob + start, count: end - start), as: UTF8.self))
                }
                storage = .strings(codes, StringDictionary(values))
            }
            columns.append(Column(type: entry.field.type, storage: storage, valid: valid))
        }
        return ColumnTable(name: name, fields: entries.map(\.field), columns: columns, rowCount: rows)
    }

    /// `count` values of `T` at `offset`, read in place (the file is little-endian, as is every host
    /// the snapshots are enabled on; every part of it starts at a multiple of 8 bytes, so `T` is aligned).
    private func inPlace<T: BitwiseCopyable & Sendable>(_: T.Type, at offset: Int, count: Int) -> ColumnValues<T> {
        let start = (base + offset).bindMemory(to: T.self, capacity: count)
        return ColumnValues(mapped: UnsafePointer(start), count: count, in: self)
    }
}
