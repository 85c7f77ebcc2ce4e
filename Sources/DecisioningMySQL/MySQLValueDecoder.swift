import DecisioningCore
import DecisioningStore
import Foundation

/// Turns the server's text form of a value into a typed `Value`, without passing decimals
/// through `Double`: `123.45` in a `DECIMAL(15,2)` becomes 12345 units.
enum MySQLValueDecoder {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, as type: ColumnType, table: String, column: String) throws(StoreError) -> Value
    {
        func mismatch() -> StoreError {
            .typeMismatch(table: table, column: column, expected: type, found: String(decoding: bytes, as: UTF8.self))
        }
        switch type {
        case .text, .longText: return .text(String(decoding: bytes, as: UTF8.self))
        case .json: return .json(String(decoding: bytes, as: UTF8.self))
        case .integer:
            guard let v = integer(bytes) else { throw mismatch() }
            return .integer(v)
        case .boolean:
            guard let v = integer(bytes) else { throw mismatch() }
            return .boolean(v != 0)
        case .decimal(_, let scale):
            guard let units = decimal(bytes, scale: scale) else { throw mismatch() }
            return .decimal(units)
        case .double:
            guard let v = double(bytes) else { throw mismatch() }
            return .double(v)
        case .date:
            guard let day = Day(isoBytes: bytes) else { throw mismatch() }
            return .date(day)
        case .timestamp:
            guard let t = timestamp(bytes) else { throw mismatch() }
            return .timestamp(t)
        case .vector:
            let count = bytes.count / 4
            let raw = UnsafeRawBufferPointer(bytes)
            return .vector(
                (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) })
        }
    }

    @inline(__always)
    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < b.count else { return nil }
        // Accumulated as a negative number, whose range reaches Int64.min.
        var value: Int64 = 0
        while i < b.count {
            let digit = b[i] &- 48
            guard digit < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.subtractingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = a
            i += 1
        }
        if negative { return value }
        return value == .min ? nil : -value
    }

    /// A decimal's text in units of 10^-scale; digits beyond `scale` must be zeros (aggregates such
    /// as SUM keep the column's scale, so nothing is rounded here).
    @inline(__always)
    static func decimal(_ b: UnsafeBufferPointer<UInt8>, scale: Int) -> Int64? {
        if case .success(let units) = FixedPoint.parse(b, precision: 18 + scale, scale: scale) { return units }
        // Wider scale from the server (e.g. a DECIMAL(30,4) expression): accept trailing zeros only.
        guard let dot = b.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        var end = b.count
        while end > dot + 1 + scale, b[end - 1] == UInt8(ascii: "0") { end -= 1 }
        guard end <= dot + 1 + scale else { return nil }
        if case .success(let units) = FixedPoint.parse(UnsafeBufferPointer(rebasing: b[0..<end]), precision: 18 + scale, scale: scale) {
            return units
        }
        return nil
    }

    static func double(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: b, as: UTF8.self))
    }

    /// `YYYY-MM-DD HH:MM:SS`, optionally with a fraction of a second (dropped: timestamps are whole seconds).
    static func timestamp(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let whole = b.count > 19 && b[19] == UInt8(ascii: ".") ? UnsafeBufferPointer(rebasing: b[0..<19]) : b
        return Timestamp(isoBytes: whole)
    }
}
