import DecisioningCore
import Foundation
import Testing

@testable import DecisioningIngest

/// Property: for every column type, a value rendered as text and parsed back is the same value, and
/// rendering it again gives the same text (parse ∘ format is the identity on values).
@Suite struct RoundTripPropertyTests {
    static let now = Timestamp(seconds: 1_780_000_000)

    static func parse(_ text: String, as type: ColumnType) throws -> Value {
        let parser = ColumnParser(ColumnSchema("c", type), now: now)
        var copy = text
        return try copy.withUTF8 { bytes in try parser.parse(bytes) }
    }

    /// A random value of `type`, edge values included.
    static func value(_ type: ColumnType, _ rng: inout SeededRandom) -> Value {
        switch type {
        case .integer:
            let edges: [Int64] = [0, 1, -1, Int64(Int32.max), Int64(Int32.min)]
            return .integer(rng.chance(0.2) ? rng.pick(edges) : Int64(rng.int(Int(Int32.min)...Int(Int32.max))))
        case .decimal(let precision, _):
            let limit = FixedPoint.powersOfTen[precision] - 1
            let edges: [Int64] = [0, limit, -limit, 1, -1]
            return .decimal(rng.chance(0.2) ? rng.pick(edges) : Int64(rng.int(Int(-limit)...Int(limit))))
        case .double:
            let edges: [Double] = [0, -0.0, 1e308, -1e-308, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 1.0 / 3]
            return .double(rng.chance(0.2) ? rng.pick(edges) : rng.normal(sd: 1e6) * pow(10, Double(rng.int(-20...20))))
        case .date:
            return .date(Day(number: Int32(rng.int(-719_162...2_932_896))))  // 0001-01-01 … 9999-12-31
        case .timestamp:
            let day = Day(number: Int32(rng.int(0...2_932_896)))
            return .timestamp(Timestamp(day: day, hour: rng.int(0...23), minute: rng.int(0...59), second: rng.int(0...59)))
        case .boolean:
            return .boolean(rng.chance(0.5))
        case .text(let maxLength):
            let alphabet = Array("abcXYZ 019-_,\"'\t\néß漢😀")
            let n = rng.int(1...min(40, maxLength))
            return .text(String((0..<n).map { _ in rng.pick(alphabet) }))
        default:
            return .null
        }
    }

    @Test(arguments: [
        ColumnType.integer, .decimal(precision: 15, scale: 2), .decimal(precision: 5, scale: 1), .decimal(precision: 3, scale: 2),
        .decimal(precision: 18, scale: 0), .double, .date, .timestamp, .boolean, .text(maxLength: 200),
    ])
    func renderThenParseIsTheIdentity(_ type: ColumnType) throws {
        var rng = SeededRandom(seed: 20_261_202, stream: type.description.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) })
        var checked = 0
        for _ in 0..<2_000 {
            let v = Self.value(type, &rng)
            let text = v.rendered(as: type)
            let back = try Self.parse(text, as: type)
            if case .double(let a) = v, case .double(let b) = back {
                #expect(a.bitPattern == b.bitPattern || (a == 0 && b == 0), "\(type): \(text)")
            } else {
                #expect(back == v, "\(type): \(text.debugDescription) read back as \(back)")
            }
            #expect(back.rendered(as: type) == text)
            checked += 1
        }
        #expect(checked == 2_000)
    }
}
