/// UTF-8 checks over raw bytes: a fast "is it all ASCII?" test and a validator that finds the first bad byte.
enum UTF8Check {
    /// True when some byte in `p[from..<to]` has its high bit set.
    static func hasNonASCII(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Bool {
        var i = from
        let raw = UnsafeRawPointer(p)
        while i + 8 <= to {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
            i += 8
        }
        while i < to {
            if p[i] & 0x80 != 0 { return true }
            i += 1
        }
        return false
    }

    /// The index of the first byte in `p[from..<to]` that does not start a well-formed UTF-8 sequence, or nil.
    static func firstInvalid(_ p: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            let b = p[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0:
                length = 3
                lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED:
                length = 3
                upper = 0x9F
            case 0xF0:
                length = 4
                lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4:
                length = 4
                upper = 0x8F
            default: return i
            }
            guard i + length <= to else { return i }
            let second = p[i + 1]
            guard second >= lower && second <= upper else { return i }
            for k in 2..<max(length, 2) where p[i + k] & 0xC0 != 0x80 { return i }
            i += length
        }
        return nil
    }

    /// The error for invalid UTF-8 in a record that starts at `recordStart` on `recordLine`.
    static func error(_ p: UnsafePointer<UInt8>, recordStart: Int, recordLine: Int, bad: Int, file: String) -> IngestError {
        var line = recordLine
        var lineStart = recordStart
        for i in recordStart..<bad where p[i] == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        let hex = String(p[bad], radix: 16, uppercase: true)
        return IngestError(
            file: file, line: line,
            message:
                "not valid UTF-8 (byte 0x\(hex.count < 2 ? "0" + hex : hex) at byte \(bad - lineStart + 1) of the line); convert the file to UTF-8"
        )
    }
}
