import Foundation

extension HNSWIndex {
    /// The file's first eight bytes: `DCVHNSW` and a newline.
    static let fileMagic: [UInt8] = Array("DCVHNSW\n".utf8)
    /// The format version written; `load` reads only this one.
    public static let fileVersion: UInt32 = 1

    /// Writes the index (rows, levels, neighbour lists, parameters) to `path`.
    ///
    /// The format, little-endian throughout: the magic `DCVHNSW\n`; u32 version (1), metric (0 cosine,
    /// 1 l2, 2 dot), M, efConstruction, ef, top level; u64 seed, rows, dimensions; i64 entry point;
    /// u64 length of the upper-level lists; then f32 rows × dimensions, u8 levels, i32 level-0 lists
    /// (rows × (2M + 1)), i32 upper-level offsets (rows), i32 upper-level lists; last a u64
    /// FNV-1a checksum of everything before it.
    /// - Throws: `VectorFileError` if the file cannot be written.
    public func save(to path: String) throws(VectorFileError) {
        var writer = try IndexFileWriter(path: path)
        do throws(VectorFileError) {
            try writer.append(Self.fileMagic)
            for value in [Self.fileVersion, metric.code, UInt32(parameters.m), UInt32(parameters.efConstruction), UInt32(parameters.ef)] {
                try writer.u32(value)
            }
            try writer.u32(UInt32(maxLevel))
            try writer.u64(parameters.seed)
            try writer.u64(UInt64(count))
            try writer.u64(UInt64(dimensions))
            try writer.u64(UInt64(bitPattern: Int64(entryPoint)))
            try writer.u64(UInt64(upperLinks.count))
            try writer.floats(vectors.values)
            try writer.append(levels)
            try writer.int32s(links0)
            try writer.int32s(upperOffsets)
            try writer.int32s(upperLinks)
            try writer.finish()
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Reads an index written by ``save(to:)``, checking its magic, version, sizes, checksum and
    /// every link.
    /// - Throws: `VectorFileError` naming the file and what is wrong (never traps on a bad file).
    public static func load(from path: String) throws(VectorFileError) -> HNSWIndex {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw VectorFileError(file: path, kind: .io, "cannot read the index (\(error.localizedDescription)); check the path")
        }
        let result: Result<HNSWIndex, VectorFileError> = data.withUnsafeBytes { raw in
            do throws(VectorFileError) {
                return .success(try decode(raw, file: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decode(_ raw: UnsafeRawBufferPointer, file: String) throws(VectorFileError) -> HNSWIndex {
        func corrupt(_ detail: String) -> VectorFileError {
            VectorFileError(file: file, kind: .corrupt, "\(detail); the index is damaged, build it again")
        }
        var reader = IndexFileReader(raw: raw, file: file)
        guard raw.count >= 8, Array(raw[0..<8]) == fileMagic else {
            throw VectorFileError(
                file: file, kind: .badMagic, "not a Decisioning HNSW index (no DCVHNSW header); build one with `decisioning vectors build`")
        }
        reader.offset = 8
        let version = try reader.u32("the header")
        guard version == fileVersion else {
            throw VectorFileError(
                file: file, kind: .unsupportedVersion,
                "index format version \(version); this build reads version \(fileVersion), build it again")
        }
        guard let metric = VectorMetric(code: try reader.u32("the header")) else { throw corrupt("an unknown metric code") }
        let m = Int(try reader.u32("the header"))
        let efConstruction = Int(try reader.u32("the header"))
        let ef = Int(try reader.u32("the header"))
        let maxLevel = Int(try reader.u32("the header"))
        let parameters = HNSWParameters(m: m, efConstruction: efConstruction, ef: ef, seed: try reader.u64("the header"))
        if let problem = parameters.problem { throw corrupt(problem) }
        let rows64 = try reader.u64("the header")
        let dims64 = try reader.u64("the header")
        let entry64 = Int64(bitPattern: try reader.u64("the header"))
        let upper64 = try reader.u64("the header")
        guard rows64 < UInt64(Int32.max), dims64 >= 1, dims64 < 1 << 20, upper64 < UInt64(Int32.max), maxLevel <= maxLevelCap else {
            throw corrupt("impossible sizes (rows \(rows64), dimensions \(dims64), upper lists \(upper64), top level \(maxLevel))")
        }
        let rows = Int(rows64)
        let dims = Int(dims64)
        let upperCount = Int(upper64)
        let stride0 = 2 * m + 1
        let (valueCount, o1) = rows.multipliedReportingOverflow(by: dims)
        let (linkCount, o2) = rows.multipliedReportingOverflow(by: stride0)
        guard !o1, !o2 else { throw corrupt("sizes overflow") }
        let expected = 72 + valueCount * 4 + rows + linkCount * 4 + rows * 4 + upperCount * 4 + 8
        guard raw.count == expected else {
            throw VectorFileError(
                file: file, kind: .sizeMismatch,
                "the header describes \(expected) bytes but the file has \(raw.count); it is truncated or damaged, save the index again")
        }
        let stored = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: expected - 8, as: UInt64.self))
        guard IndexFileReader.checksum(raw, end: expected - 8) == stored else { throw corrupt("the checksum does not match") }
        let values = try reader.floats(valueCount, "the vectors")
        let levels = try reader.bytes(rows, "the levels")
        let links0 = try reader.int32s(linkCount, "the level-0 lists")
        let offsets = try reader.int32s(rows, "the upper-level offsets")
        let upperLinks = try reader.int32s(upperCount, "the upper-level lists")
        guard values.allSatisfy(\.isFinite) else { throw corrupt("a vector holds NaN or infinity") }
        guard rows == 0 ? entry64 == -1 : (0..<Int64(rows)).contains(entry64) else { throw corrupt("entry point \(entry64) out of range") }
        if rows > 0, Int(levels[Int(entry64)]) != maxLevel { throw corrupt("the entry point is not on the top level") }
        var nextOffset = 0
        for node in 0..<rows {
            let level = Int(levels[node])
            guard level <= maxLevel else { throw corrupt("node \(node) is above the top level") }
            try checkList(links0, start: node * stride0, capacity: 2 * m, rows: rows, node: node, corrupt: corrupt)
            if level == 0 {
                guard offsets[node] == -1 else { throw corrupt("node \(node) has upper lists but level 0") }
                continue
            }
            guard Int(offsets[node]) == nextOffset, nextOffset + level * (m + 1) <= upperCount else {
                throw corrupt("node \(node)'s upper-level offset is wrong")
            }
            for l in 0..<level {
                try checkList(upperLinks, start: nextOffset + l * (m + 1), capacity: m, rows: rows, node: node, corrupt: corrupt)
            }
            nextOffset += level * (m + 1)
        }
        return HNSWIndex(
            metric: metric, parameters: parameters, vectors: VectorMatrix(unchecked: rows, dims, values), levels: levels, links0: links0,
            upperOffsets: offsets, upperLinks: upperLinks, entryPoint: Int32(entry64), maxLevel: maxLevel)
    }

    private static func checkList(
        _ links: [Int32], start: Int, capacity: Int, rows: Int, node: Int, corrupt: (String) -> VectorFileError
    ) throws(VectorFileError) {
        let n = Int(links[start])
        guard (0...capacity).contains(n) else { throw corrupt("node \(node) has \(n) neighbours; at most \(capacity) are allowed") }
        for i in 0..<n where !(0..<rows).contains(Int(links[start + 1 + i])) {
            throw corrupt("node \(node) links to row \(links[start + 1 + i]), outside 0..<\(rows)")
        }
    }
}
