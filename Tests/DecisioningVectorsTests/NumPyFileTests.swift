import DecisioningVectors
import Foundation
import Testing

@Suite struct NumPyFileTests {
    static func npy(descr: String = "<f4", fortran: String = "False", shape: String, major: UInt8 = 1, payload: [UInt8]) -> Data {
        var header = "{'descr': '\(descr)', 'fortran_order': \(fortran), 'shape': \(shape), }"
        let prefix = major == 1 ? 10 : 12
        header += String(repeating: " ", count: (64 - (prefix + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, major, 0])
        let n = header.utf8.count
        data.append(contentsOf: major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8), 0, 0])
        data.append(contentsOf: Array(header.utf8))
        data.append(contentsOf: payload)
        return data
    }

    static func floats(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

    @Test func roundTrip() throws {
        let matrix = VectorTestData.uniform(rows: 17, dimensions: 5, seed: 1)
        #expect(try NumPyFile.decode(NumPyFile.encode(matrix), file: "m.npy") == matrix)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("m-\(UUID().uuidString).npy").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NumPyFile.write(matrix, to: path)
        #expect(try NumPyFile.read(path: path) == matrix)
    }

    @Test func versionsOneDimensionAndFloat64() throws {
        for major: UInt8 in [1, 2, 3] {
            let m = try NumPyFile.decode(Self.npy(shape: "(2, 2)", major: major, payload: Self.floats([1, 2, 3, 4])), file: "v.npy")
            #expect(m.rows == 2 && m.values == [1, 2, 3, 4])
        }
        let row = try NumPyFile.decode(Self.npy(shape: "(3,)", payload: Self.floats([1, 2, 3])), file: "r.npy")
        #expect(row.rows == 1 && row.dimensions == 3)
        let doubles = [1.5, -2.0].flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        #expect(try NumPyFile.decode(Self.npy(descr: "<f8", shape: "(1, 2)", payload: doubles), file: "d.npy").values == [1.5, -2])
    }

    @Test func hostileFilesAreTypedErrors() {
        func kind(_ data: Data) -> VectorFileError.Kind? {
            do {
                _ = try NumPyFile.decode(data, file: "bad.npy")
                return nil
            } catch {
                #expect(error.file == "bad.npy")
                return error.kind
            }
        }
        let four = Self.floats([1, 2, 3, 4])
        #expect(kind(Data("PK\u{3}\u{4}not numpy".utf8)) == .badMagic)
        #expect(kind(Self.npy(descr: ">f4", shape: "(2, 2)", payload: four)) == .unsupportedType)
        #expect(kind(Self.npy(descr: "<i4", shape: "(2, 2)", payload: four)) == .unsupportedType)
        #expect(kind(Self.npy(fortran: "True", shape: "(2, 2)", payload: four)) == .fortranOrder)
        #expect(kind(Self.npy(shape: "(2, 3)", payload: four)) == .sizeMismatch)
        #expect(kind(Self.npy(shape: "(4, 0)", payload: [])) == .badShape)
        #expect(kind(Self.npy(shape: "(1, 2, 2)", payload: four)) == .badShape)
        #expect(kind(Self.npy(shape: "(99999999999999999999, 2)", payload: four)) == .badHeader)
        #expect(kind(Self.npy(shape: "(4611686018427387904, 4)", payload: four)) == .badShape)
        #expect(kind(Self.npy(shape: "(2, 2)", major: 4, payload: four)) == .unsupportedVersion)
        var long = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0xFF, 0xFF, 0xFF, 0x7F])
        long.append(contentsOf: [UInt8](repeating: 0x20, count: 100))
        #expect(kind(long) == .badHeader)
        let nan = Self.floats([1, 2, .nan, 4])
        #expect(
            throws: VectorFileError(
                file: "nan.npy", kind: .nonFinite,
                "row 1, column 0 is NaN or infinite (or beyond float32's range); only finite values are allowed")
        ) {
            try NumPyFile.decode(Self.npy(shape: "(2, 2)", payload: nan), file: "nan.npy")
        }
        #expect(throws: VectorFileError.self) { try NumPyFile.read(path: "/nonexistent/x.npy") }
    }

    /// Random byte mutations of a valid file never trap: each parses to the same payload size or is refused.
    @Test func mutationsNeverCrash() {
        let valid = NumPyFile.encode(VectorTestData.uniform(rows: 6, dimensions: 3, seed: 2))
        var random = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var mutated = valid
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let position = Int.random(in: 0..<min(mutated.count, 140), using: &random)
                mutated[position] = UInt8.random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) { mutated = mutated.prefix(Int.random(in: 0...mutated.count, using: &random)) }
            do {
                let m = try NumPyFile.decode(mutated, file: "fuzz.npy")
                // 72 bytes of payload: 18 float32 values, or 9 float64 if the dtype was mutated too.
                #expect([18, 9].contains(m.rows * m.dimensions))
            } catch {
                #expect(error.file == "fuzz.npy")
            }
        }
    }
}
