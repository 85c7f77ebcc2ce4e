import DecisioningCore
import Foundation
import Testing

@testable import DecisioningEmbedding

/// Builds safetensors files in memory.
enum SafetensorsBuilder {
    /// A file with the given header JSON and `dataCount` bytes of data.
    static func file(header: String, dataCount: Int, lengthOverride: UInt64? = nil) -> Data {
        let json = Data(header.utf8)
        let length = lengthOverride ?? UInt64(json.count)
        var data = Data((0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * UInt64($0))) })
        data += json
        data += Data(count: dataCount)
        return data
    }

    /// Two F32 tensors, a 2×3 matrix and a 3-vector, then an F16 and a BF16 pair.
    static var valid: Data {
        let header = """
            {"__metadata__":{"format":"pt"},"m":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},\
            "v":{"dtype":"F32","shape":[3],"data_offsets":[24,36]},"h":{"dtype":"F16","shape":[2],"data_offsets":[36,40]},\
            "b":{"dtype":"BF16","shape":[2],"data_offsets":[40,44]}}
            """
        var data = file(header: header, dataCount: 0)
        for value: Float in [1, 2, 3, 4, 5, 6, -1, 0.5, 1e-3] {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 }
        }
        for bits: UInt16 in [0x3C00, 0xC000, 0x3F80, 0xC040] {  // F16 1, -2; BF16 1, -3
            withUnsafeBytes(of: bits.littleEndian) { data += $0 }
        }
        return data
    }
}

@Suite struct SafetensorsTests {
    @Test func readsTensorsAndConvertsHalfPrecision() throws {
        let file = try Safetensors(data: SafetensorsBuilder.valid, fileName: "t.safetensors")
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.tensor("m").shape == [2, 3])
        #expect(try file.floats("m", shape: [2, 3]) == [1, 2, 3, 4, 5, 6])
        #expect(try file.floats("v") == [-1, 0.5, 1e-3])
        #expect(try file.floats("h") == [1, -2])
        #expect(try file.floats("b") == [1, -3])
    }

    @Test func halfPrecisionEdgeCases() {
        #expect(Safetensors.halfToFloat(0x0001) == 0x1p-24)
        #expect(Safetensors.halfToFloat(0x7BFF) == 65504)
        #expect(Safetensors.halfToFloat(0xFC00) == -.infinity)
        #expect(Safetensors.halfToFloat(0x7E00).isNaN)
        #expect(Safetensors.halfToFloat(0x8000).sign == .minus)
    }

    @Test func wrongShapeOrMissingTensorNamesIt() throws {
        let file = try Safetensors(data: SafetensorsBuilder.valid, fileName: "t.safetensors")
        #expect(throws: EmbeddingError.self) { try file.floats("m", shape: [3, 2]) }
        do {
            _ = try file.floats("missing")
            Issue.record("no error")
        } catch {
            #expect(error.code == .invalidModel)
            #expect(error.description.contains("t.safetensors") && error.description.contains("'missing'"))
        }
    }

    @Test(arguments: [
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, 12, "overlap"),
        (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, 8, "past the data"),
        (#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, 8, "needs 12"),
        (#"{"a":{"dtype":"F31","shape":[2],"data_offsets":[0,8]}}"#, 8, "unknown dtype"),
        (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, 8, "'a'"),
        (#"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#, 8, "overflows"),
        (#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, 8, "not a count"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#, 8, "increasing"),
        (#"{"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}"#, 8, "not a count"),
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, 8, "malformed"),
        (#"[1,2]"#, 0, "not an object"),
        (#"{"a":1}"#, 0, "'a'"),
    ])
    func hostileHeadersAreRefusedNamingTheTensor(header: String, dataCount: Int, expected: String) {
        do {
            _ = try Safetensors(data: SafetensorsBuilder.file(header: header, dataCount: dataCount), fileName: "bad.safetensors")
            Issue.record("accepted \(header)")
        } catch {
            #expect(error.code == .invalidModel)
            #expect(error.description.contains("bad.safetensors"), "\(error)")
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.contains("scripts/fetch-model.sh"), "\(error)")
        }
    }

    @Test func headerLengthBeyondTheFileIsRefused() {
        for length: UInt64 in [1 << 40, .max, 200_000_000, 9] {
            let data = SafetensorsBuilder.file(header: "{}", dataCount: 0, lengthOverride: length)
            #expect(throws: EmbeddingError.self) { try Safetensors(data: data, fileName: "x") }
        }
        #expect(throws: EmbeddingError.self) { try Safetensors(data: Data([1, 2, 3]), fileName: "x") }
    }

    /// Random mutations of a valid file (byte flips, truncations, insertions, length changes) must be either
    /// read or refused with an EmbeddingError, never crash; when read, every float tensor must be readable.
    @Test func mutatedFilesNeverCrash() {
        let valid = [UInt8](SafetensorsBuilder.valid)
        var random = SeededRandom(seed: 20_261_202)
        var accepted = 0
        for _ in 0..<20_000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                switch Int.random(in: 0..<5, using: &random) {
                case 0:
                    let i = Int.random(in: 0..<bytes.count, using: &random)
                    bytes[i] = UInt8.random(in: 0...255, using: &random)
                case 1:
                    bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &random)))
                case 2:
                    let i = Int.random(in: 0...bytes.count, using: &random)
                    bytes.insert(contentsOf: Array(valid[..<min(valid.count, 8)]).shuffled(using: &random), at: i)
                case 3:
                    if bytes.count >= 8 { bytes[Int.random(in: 0..<8, using: &random)] = UInt8.random(in: 0...255, using: &random) }
                default:
                    let digits = Array("0123456789-.e[]{}\",:".utf8)
                    let i = Int.random(in: 0..<bytes.count, using: &random)
                    if bytes.isEmpty { break }
                    bytes[i] = digits[Int.random(in: 0..<digits.count, using: &random)]
                }
                if bytes.isEmpty { break }
            }
            do {
                let file = try Safetensors(data: Data(bytes), fileName: "fuzz")
                accepted += 1
                for name in file.tensors.keys { _ = try? file.floats(name) }
            } catch {
                #expect(error.code == .invalidModel)
            }
        }
        #expect(accepted > 0)
    }
}
