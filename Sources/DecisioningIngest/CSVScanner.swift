/// Splits RFC 4180 CSV into records and fields, in place, over a byte buffer.
///
/// Fields are recorded as offsets into the buffer; nothing is copied. Quoted fields may hold commas,
/// doubled quotes and line breaks; records end with LF or CRLF. The scanner counts the line breaks
/// a record spans so that the caller can keep physical line numbers.
struct CSVScanner {
    static let comma = UInt8(ascii: ","), quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Flags per field.
    static let quoted: UInt8 = 1
    /// The quoted field contains doubled quotes that must be collapsed.
    static let doubledQuotes: UInt8 = 2
    /// Text follows the closing quote (`"abc"def`), which RFC 4180 does not allow.
    static let textAfterQuote: UInt8 = 4

    enum Outcome {
        /// A whole record; the next one starts at `next`.
        case record(next: Int)
        /// The record runs past the end of the buffer and the file has more bytes.
        case needMore
        /// End of file inside a quoted field that opened `linesBeforeQuote` line breaks after the record's start.
        case unterminatedQuote(linesBeforeQuote: Int)
    }

    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private(set) var flags: [UInt8] = []
    /// Line breaks consumed by the last record, its terminator included.
    private(set) var lineBreaks = 0
    /// Whether the last record has a byte ≥ 0x80 (so needs a UTF-8 check).
    private(set) var hasNonASCII = false

    init() {
        starts.reserveCapacity(64)
        ends.reserveCapacity(64)
        flags.reserveCapacity(64)
    }

    var fieldCount: Int { starts.count }

    /// True when the last record was an empty line.
    var isBlankLine: Bool { starts.count == 1 && flags[0] == 0 && starts[0] == ends[0] }

    /// Scans one record starting at `from`.
    mutating func scan(_ p: UnsafePointer<UInt8>, from: Int, to end: Int, atEOF: Bool) -> Outcome {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        flags.removeAll(keepingCapacity: true)
        lineBreaks = 0
        var seen: UInt8 = 0
        defer { hasNonASCII = seen & 0x80 != 0 }
        var i = from
        while true {
            if i < end && p[i] == CSVScanner.quote {
                var flag = CSVScanner.quoted
                let linesBeforeQuote = lineBreaks
                let fieldStart = i + 1
                i += 1
                while true {
                    guard i < end else {
                        return atEOF ? .unterminatedQuote(linesBeforeQuote: linesBeforeQuote) : .needMore
                    }
                    let c = p[i]
                    seen |= c
                    if c == CSVScanner.quote {
                        if i + 1 < end {
                            if p[i + 1] == CSVScanner.quote {
                                flag |= CSVScanner.doubledQuotes
                                i += 2
                                continue
                            }
                        } else if !atEOF {
                            return .needMore
                        }
                        break
                    }
                    if c == CSVScanner.lf { lineBreaks += 1 }
                    i += 1
                }
                let fieldEnd = i
                i += 1  // past the closing quote
                if i < end {
                    let c = p[i]
                    if c == CSVScanner.cr {
                        if i + 1 < end {
                            if p[i + 1] == CSVScanner.lf { i += 1 }
                        } else if !atEOF {
                            return .needMore
                        }
                    }
                    if p[i] != CSVScanner.comma && p[i] != CSVScanner.lf && !(p[i] == CSVScanner.cr && i + 1 == end) {
                        flag |= CSVScanner.textAfterQuote
                        while i < end && p[i] != CSVScanner.comma && p[i] != CSVScanner.lf {
                            seen |= p[i]
                            i += 1
                        }
                        if i == end && !atEOF { return .needMore }
                    }
                }
                starts.append(fieldStart)
                ends.append(fieldEnd)
                flags.append(flag)
            } else {
                let fieldStart = i
                while i < end {
                    let c = p[i]
                    if c == CSVScanner.comma || c == CSVScanner.lf { break }
                    seen |= c
                    i += 1
                }
                if i == end && !atEOF { return .needMore }
                var fieldEnd = i
                if fieldEnd > fieldStart && p[fieldEnd - 1] == CSVScanner.cr && (i == end || p[i] == CSVScanner.lf) { fieldEnd -= 1 }
                starts.append(fieldStart)
                ends.append(fieldEnd)
                flags.append(0)
            }
            if i >= end { return .record(next: end) }
            if p[i] == CSVScanner.comma {
                i += 1
                continue
            }
            if p[i] == CSVScanner.cr { i += 1 }  // a lone CR right before the end of the file
            if i < end && p[i] == CSVScanner.lf {
                lineBreaks += 1
                i += 1
            }
            return .record(next: i)
        }
    }

    /// Collapses doubled quotes of field `index` in place; returns the field's new end.
    static func collapseQuotes(_ p: UnsafeMutablePointer<UInt8>, from: Int, to: Int) -> Int {
        var read = from
        var write = from
        while read < to {
            let c = p[read]
            p[write] = c
            write += 1
            read += c == quote ? 2 : 1
        }
        return write
    }
}
