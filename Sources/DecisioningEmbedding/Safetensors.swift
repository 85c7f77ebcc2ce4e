import DecisioningCore
public import Foundation

/// A safetensors file (an 8-byte little-endian header length, a JSON header naming every tensor's dtype,
/// shape and byte range, then the raw little-endian data), read with the file memory-mapped.
///
/// Every tensor is validated when the file is opened: a known dtype, a shape whose element count and byte
/// size fit in `Int`, a byte range inside the data that matches that size, and no two tensors overlapping.
/// Any problem throws an ``EmbeddingError`` naming the file and the tensor.
public struct Safetensors: Sendable {
    /// One tensor's header entry.
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        /// The byte range within the data section (after the header).
        public let byteRange: Range<Int>

        public var elementCount: Int { shape.reduce(1, *) }
    }

    /// The element types safetensors defines; floats can be read as `Float`.
    public enum DType: String, Sendable, CaseIterable {
        case f64 = "F64"
        case f32 = "F32"
        case f16 = "F16"
        case bf16 = "BF16"
        case i64 = "I64"
        case i32 = "I32"
        case i16 = "I16"
        case i8 = "I8"
        case u64 = "U64"
        case u32 = "U32"
        case u16 = "U16"
        case u8 = "U8"
        case bool = "BOOL"

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .f64, .i64, .u64: 8
            case .f32, .i32, .u32: 4
            case .f16, .bf16, .i16, .u16: 2
            case .i8, .u8, .bool: 1
            }
        }
    }

    /// The largest header the reader accepts (the format's own limit is 100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// The file's name, used in error messages.
    public let fileName: String
    /// The tensors by name.
    public let tensors: [String: Tensor]
    /// The `__metadata__` entries, if any.
    public let metadata: [String: String]
    private let bytes: Data
    private let dataStart: Int

    /// Opens and validates the file at `url`, memory-mapped.
    public init(contentsOf url: URL) throws(EmbeddingError) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw EmbeddingError(
                .modelMissing, "\(url.path): cannot be read (\(error.localizedDescription)); \(EmbeddingError.fetchAdvice)")
        }
        try self.init(data: data, fileName: url.lastPathComponent)
    }

    /// Validates `data` as a safetensors file; `fileName` names it in errors.
    public init(data: Data, fileName: String) throws(EmbeddingError) {
        self.fileName = fileName
        bytes = data
        func fail(_ problem: String) -> EmbeddingError { .invalidModel(fileName, problem) }
        guard data.count >= 8 else { throw fail("\(data.count) bytes, too short for the 8-byte header length") }
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard length <= UInt64(Self.maxHeaderBytes), Int(length) <= data.count - 8 else {
            throw fail("header length \(length) exceeds the file (\(data.count) bytes) or the 100 MB limit")
        }
        dataStart = 8 + Int(length)
        let header: JSONValue
        do {
            header = try StrictJSON.parse(Array(data[data.startIndex + 8..<data.startIndex + dataStart]))
        } catch {
            throw fail("the JSON header is malformed (\(error))")
        }
        guard case .object(let entries) = header else { throw fail("the JSON header is \(header.typeName), not an object") }
        let (tensors, metadata) = try Self.tensors(entries, dataCount: data.count - dataStart, fail: fail)
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`, or an error naming it and the file.
    public func tensor(_ name: String) throws(EmbeddingError) -> Tensor {
        guard let tensor = tensors[name] else { throw .invalidModel(fileName, "no tensor '\(name)'") }
        return tensor
    }

    /// The tensor called `name` as floats in row-major order (F32, or F16/BF16 widened); `shape`, when
    /// given, must match the tensor's.
    public func floats(_ name: String, shape: [Int]? = nil) throws(EmbeddingError) -> [Float] {
        let tensor = try tensor(name)
        if let shape, shape != tensor.shape {
            throw .invalidModel(fileName, "tensor '\(name)' has shape \(tensor.shape), expected \(shape)")
        }
        guard [.f32, .f16, .bf16].contains(tensor.dtype) else {
            throw .invalidModel(fileName, "tensor '\(name)' is \(tensor.dtype.rawValue), not a float type")
        }
        let count = tensor.elementCount
        let start = dataStart + tensor.byteRange.lowerBound
        return bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Float] in
            let base = raw.baseAddress.map { $0 + start }
            return [Float](unsafeUninitializedCapacity: count) { out, initialized in
                guard let base else {
                    initialized = 0
                    return
                }
                switch tensor.dtype {
                case .f32:
                    #if _endian(little)
                        UnsafeMutableRawBufferPointer(out).copyMemory(from: UnsafeRawBufferPointer(start: base, count: 4 * count))
                    #else
                        for i in 0..<count {
                            out[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                        }
                    #endif
                case .f16:
                    for i in 0..<count {
                        out[i] = Self.halfToFloat(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                case .bf16:
                    for i in 0..<count {
                        let bits = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                        out[i] = Float(bitPattern: UInt32(bits) << 16)
                    }
                default:
                    out.initialize(repeating: 0)
                }
                initialized = count
            }
        }
    }

    /// IEEE 754 half precision to single, exactly (subnormals, infinities and NaN included).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = Int((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
    }
}
