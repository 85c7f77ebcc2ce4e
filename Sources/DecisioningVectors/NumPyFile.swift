public import Foundation

/// Reads and writes NumPy `.npy` files of vectors.
///
/// Reading accepts format versions 1.0, 2.0 and 3.0, C order, a 1-D (one row) or 2-D shape with
/// non-zero sizes, and the element types `<f4` (little-endian float32) and `<f8` (float64, converted
/// to float32; a value outside float32's range is refused as non-finite). NaN and infinite values are
/// refused with their row and column. The header may be at most ``maxHeaderLength`` bytes (NumPy's
/// own default limit). Every problem is a `VectorFileError` naming the file; sizes are computed with
/// overflow checks, so no input traps.
///
/// Writing produces version 1.0 (2.0 if the header would not fit), `<f4`, C order, 2-D.
public enum NumPyFile {
    /// The longest header read, in bytes.
    public static let maxHeaderLength = 10_000
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY

    /// Reads the matrix in the file at `path`.
    /// - Throws: `VectorFileError` naming the file and what is wrong.
    public static func read(path: String) throws(VectorFileError) -> VectorMatrix {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw VectorFileError(file: path, kind: .io, "cannot read the file (\(error.localizedDescription)); check the path")
        }
        return try decode(data, file: path)
    }

    /// Parses `.npy` bytes; `file` names them in errors.
    /// - Throws: `VectorFileError` naming `file` and what is wrong.
    public static func decode(_ data: Data, file: String) throws(VectorFileError) -> VectorMatrix {
        func fail(_ kind: VectorFileError.Kind, _ detail: String) -> VectorFileError { VectorFileError(file: file, kind: kind, detail) }
        let bytes = [UInt8](data.prefix(12))
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail(.badMagic, "not a NumPy .npy file (it must start with \\x93NUMPY); save the array with numpy.save")
        }
        let major = bytes[6]
        let minor = bytes[7]
        guard (1...3).contains(major), minor == 0 else {
            throw fail(.unsupportedVersion, "npy format version \(major).\(minor); versions 1.0, 2.0 and 3.0 are read")
        }
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        } else {
            guard bytes.count >= 12 else { throw fail(.badHeader, "the file ends inside its header length") }
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
            headerStart = 12
        }
        guard headerLength <= maxHeaderLength else {
            throw fail(.badHeader, "the header is \(headerLength) bytes; at most \(maxHeaderLength) are allowed")
        }
        guard data.count >= headerStart + headerLength else {
            throw fail(.badHeader, "the file ends inside its header (\(data.count) bytes, header to byte \(headerStart + headerLength))")
        }
        let headerBytes = data.subdata(in: data.startIndex + headerStart..<data.startIndex + headerStart + headerLength)
        let encoding: String.Encoding = major == 3 ? .utf8 : .isoLatin1
        guard let header = String(data: headerBytes, encoding: encoding) else {
            throw fail(.badHeader, "the header is not \(major == 3 ? "UTF-8" : "Latin-1") text")
        }
        let fields = try NumPyHeader.parse(header, file: file)
        let itemSize: Int
        switch fields.descr {
        case "<f4": itemSize = 4
        case "<f8": itemSize = 8
        default:
            throw fail(.unsupportedType, "dtype '\(fields.descr)'; allowed are '<f4' (float32) and '<f8' (float64, read as float32)")
        }
        guard !fields.fortranOrder else {
            throw fail(.fortranOrder, "the array is in Fortran order; save it in C order (numpy.ascontiguousarray)")
        }
        let rows: Int
        let dimensions: Int
        switch fields.shape.count {
        case 1:
            rows = 1
            dimensions = fields.shape[0]
        case 2:
            rows = fields.shape[0]
            dimensions = fields.shape[1]
        default:
            throw fail(.badShape, "shape with \(fields.shape.count) dimensions; 1-D (one vector) or 2-D (rows × dimensions) is allowed")
        }
        guard rows >= 1, dimensions >= 1 else {
            throw fail(.badShape, "shape (\(rows), \(dimensions)); rows and dimensions must both be at least 1")
        }
        let (count, overflow1) = rows.multipliedReportingOverflow(by: dimensions)
        let (payload, overflow2) = count.multipliedReportingOverflow(by: itemSize)
        let (expected, overflow3) = payload.addingReportingOverflow(headerStart + headerLength)
        guard !overflow1, !overflow2, !overflow3, count < Int(Int32.max) else {
            throw fail(.badShape, "shape (\(rows), \(dimensions)) is too large")
        }
        guard data.count == expected else {
            throw fail(
                .sizeMismatch,
                "the header says \(rows) × \(dimensions) values of \(itemSize) bytes (\(expected) bytes in all) but the file has \(data.count) bytes"
            )
        }
        var values = [Float](repeating: 0, count: count)
        var bad: Int?
        data.withUnsafeBytes { raw in
            let offset = headerStart + headerLength
            values.withUnsafeMutableBufferPointer { out in
                for i in 0..<count {
                    let value: Float
                    if itemSize == 4 {
                        value = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + i * 4, as: UInt32.self)))
                    } else {
                        value = Float(
                            Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + i * 8, as: UInt64.self))))
                    }
                    if !value.isFinite {
                        bad = i
                        return
                    }
                    out[i] = value
                }
            }
        }
        if let bad {
            throw fail(
                .nonFinite,
                "row \(bad / dimensions), column \(bad % dimensions) is NaN or infinite (or beyond float32's range); only finite values are allowed"
            )
        }
        return VectorMatrix(unchecked: rows, dimensions, values)
    }

    /// The `.npy` bytes of `matrix` (`<f4`, C order, 2-D).
    public static func encode(_ matrix: VectorMatrix) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(matrix.rows), \(matrix.dimensions)), }"
        let v1 = 10 + header.utf8.count + 1 <= 65_535 + 10
        let prefix = v1 ? 10 : 12
        let padding = (64 - (prefix + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: padding) + "\n"
        var data = Data(magic)
        data.append(contentsOf: v1 ? [1, 0] : [2, 0])
        let length = header.utf8.count
        data.append(UInt8(length & 0xFF))
        data.append(UInt8(length >> 8 & 0xFF))
        if !v1 {
            data.append(UInt8(length >> 16 & 0xFF))
            data.append(UInt8(length >> 24 & 0xFF))
        }
        data.append(contentsOf: Array(header.utf8))
        var payload = [UInt8](repeating: 0, count: matrix.values.count * 4)
        payload.withUnsafeMutableBytes { raw in
            for (i, value) in matrix.values.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        data.append(contentsOf: payload)
        return data
    }

    /// Writes `matrix` to `path` as `.npy`.
    /// - Throws: `VectorFileError` if the file cannot be written.
    public static func write(_ matrix: VectorMatrix, to path: String) throws(VectorFileError) {
        do {
            try encode(matrix).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw VectorFileError(file: path, kind: .io, "cannot write the file (\(error.localizedDescription)); check the directory")
        }
    }
}
