/// A UTC instant with one-second resolution, as MySQL's `TIMESTAMP` stores it.
public struct Timestamp: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Seconds since 1970-01-01 00:00:00 UTC.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public init(day: Day, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        seconds = Int64(day.number) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` (a `T` separator is accepted too) or a bare `YYYY-MM-DD` (midnight).
    public init?(iso text: some StringProtocol) {
        var parsed: Timestamp?
        var copy = String(text)
        copy.withUTF8 { parsed = Timestamp(isoBytes: $0) }
        guard let parsed else { return nil }
        self = parsed
    }

    public init?(isoBytes b: UnsafeBufferPointer<UInt8>) {
        if b.count == 10 {
            guard let day = Day(isoBytes: b) else { return nil }
            self.init(day: day)
            return
        }
        guard b.count == 19, b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "T"),
            b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
            let day = Day(isoBytes: UnsafeBufferPointer(rebasing: b[0..<10]))
        else { return nil }
        func two(_ i: Int) -> Int? {
            let h = Int(b[i]) - 48
            let l = Int(b[i + 1]) - 48
            guard (0...9).contains(h), (0...9).contains(l) else { return nil }
            return h * 10 + l
        }
        guard let hh = two(11), let mm = two(14), let ss = two(17), hh < 24, mm < 60, ss < 60 else { return nil }
        self.init(day: day, hour: hh, minute: mm, second: ss)
    }

    public var day: Day {
        Day(number: Int32(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }

    public var iso: String {
        let d = day
        let rest = Int(seconds - Int64(d.number) * 86_400)
        return d.iso + " " + Day.pad(rest / 3600, 2) + ":" + Day.pad(rest / 60 % 60, 2) + ":" + Day.pad(rest % 60, 2)
    }

    public var description: String { iso }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.seconds < b.seconds }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Timestamp(iso: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected a timestamp as YYYY-MM-DD HH:MM:SS, found '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(iso)
    }
}
