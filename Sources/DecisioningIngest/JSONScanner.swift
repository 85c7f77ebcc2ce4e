/// A validating JSON scanner over raw UTF-8 bytes: it finds where values end without building them.
///
/// JSONL lines and JSON columns are checked with it, so a document is stored as the exact text the
/// file had, and errors can say at which byte the input stopped being JSON.
struct JSONSyntaxError: Error {
    var message: String
    /// Index of the offending byte.
    var offset: Int
    /// The input ended in the middle of a value (the message is then "unexpected end").
    var atEnd = false

    /// `unexpected end of <input>` or the message, then where: `at byte N` counted from 1 at `base`.
    func described(input: String, base: Int) -> String {
        (atEnd ? "unexpected end of \(input)" : message) + " at byte \(offset - base + 1)"
    }
}

enum JSONScanner {
    static let maxDepth = 512

    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    @inline(__always)
    static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        var i = i
        while i < end {
            let c = p[i]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { break }
            i += 1
        }
        return i
    }

    static func unexpected(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> JSONSyntaxError {
        guard i < end else { return JSONSyntaxError(message: "unexpected end", offset: i, atEnd: true) }
        let c = p[i]
        let shown = c >= 0x20 && c < 0x7F ? "'" + String(UnicodeScalar(c)) + "'" : "byte 0x" + String(c, radix: 16, uppercase: true)
        return JSONSyntaxError(message: "unexpected \(shown)", offset: i)
    }

    /// Validates one value starting at `i` (no leading whitespace); returns the index just past it.
    static func skipValue(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int, depth: Int = 0) throws(JSONSyntaxError) -> Int {
        guard i < end else { throw unexpected(p, i, end) }
        switch p[i] {
        case quote:
            return try scanString(p, i, end).end
        case UInt8(ascii: "{"):
            guard depth < maxDepth else { throw JSONSyntaxError(message: "nested more than \(maxDepth) levels deep", offset: i) }
            var j = skipWhitespace(p, i + 1, end)
            if j < end && p[j] == UInt8(ascii: "}") { return j + 1 }
            while true {
                guard j < end, p[j] == quote else { throw unexpected(p, j, end) }
                j = skipWhitespace(p, try scanString(p, j, end).end, end)
                guard j < end, p[j] == UInt8(ascii: ":") else { throw unexpected(p, j, end) }
                j = skipWhitespace(p, j + 1, end)
                j = skipWhitespace(p, try skipValue(p, j, end, depth: depth + 1), end)
                guard j < end else { throw unexpected(p, j, end) }
                if p[j] == UInt8(ascii: "}") { return j + 1 }
                guard p[j] == UInt8(ascii: ",") else { throw unexpected(p, j, end) }
                j = skipWhitespace(p, j + 1, end)
            }
        case UInt8(ascii: "["):
            guard depth < maxDepth else { throw JSONSyntaxError(message: "nested more than \(maxDepth) levels deep", offset: i) }
            var j = skipWhitespace(p, i + 1, end)
            if j < end && p[j] == UInt8(ascii: "]") { return j + 1 }
            while true {
                j = skipWhitespace(p, try skipValue(p, j, end, depth: depth + 1), end)
                guard j < end else { throw unexpected(p, j, end) }
                if p[j] == UInt8(ascii: "]") { return j + 1 }
                guard p[j] == UInt8(ascii: ",") else { throw unexpected(p, j, end) }
                j = skipWhitespace(p, j + 1, end)
            }
        case UInt8(ascii: "t"): return try literal("true", p, i, end)
        case UInt8(ascii: "f"): return try literal("false", p, i, end)
        case UInt8(ascii: "n"): return try literal("null", p, i, end)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try scanNumber(p, i, end)
        default:
            throw unexpected(p, i, end)
        }
    }

    static func literal(_ word: StaticString, _ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) throws(JSONSyntaxError) -> Int {
        let count = word.utf8CodeUnitCount
        let bytes = word.utf8Start
        for k in 0..<count {
            guard i + k < end, p[i + k] == bytes[k] else { throw unexpected(p, i + k, end) }
        }
        return i + count
    }

    /// Validates a number per RFC 8259; returns the index just past it.
    static func scanNumber(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) throws(JSONSyntaxError) -> Int {
        var j = i
        @inline(__always) func isDigit(_ k: Int) -> Bool { k < end && p[k] >= 48 && p[k] <= 57 }
        if p[j] == UInt8(ascii: "-") { j += 1 }
        guard isDigit(j) else { throw unexpected(p, j, end) }
        if p[j] == 48 {
            j += 1
        } else {
            while isDigit(j) { j += 1 }
        }
        if j < end && p[j] == UInt8(ascii: ".") {
            j += 1
            guard isDigit(j) else { throw unexpected(p, j, end) }
            while isDigit(j) { j += 1 }
        }
        if j < end && (p[j] == UInt8(ascii: "e") || p[j] == UInt8(ascii: "E")) {
            j += 1
            if j < end && (p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-")) { j += 1 }
            guard isDigit(j) else { throw unexpected(p, j, end) }
            while isDigit(j) { j += 1 }
        }
        return j
    }

    /// Validates a string whose opening quote is at `i`; returns the index past the closing quote and
    /// whether the content has escapes (the content is `p[i+1 ..< end-1]`).
    static func scanString(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) throws(JSONSyntaxError) -> (end: Int, escaped: Bool) {
        var j = i + 1
        var escaped = false
        while j < end {
            let c = p[j]
            if c == quote { return (j + 1, escaped) }
            if c == backslash {
                escaped = true
                guard j + 1 < end else { break }
                switch p[j + 1] {
                case quote, backslash, UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    j += 2
                case UInt8(ascii: "u"):
                    guard let unit = hex4(p, j + 2, end) else {
                        throw JSONSyntaxError(message: "invalid \\u escape in a string", offset: j)
                    }
                    if unit >= 0xD800 && unit < 0xDC00 {
                        // A high surrogate must be followed by a low one: together they encode one character.
                        guard j + 7 < end, p[j + 6] == backslash, p[j + 7] == UInt8(ascii: "u"),
                            let low = hex4(p, j + 8, end), low >= 0xDC00 && low < 0xE000
                        else {
                            throw JSONSyntaxError(message: loneSurrogate(p, j), offset: j)
                        }
                        j += 12
                    } else if unit >= 0xDC00 && unit < 0xE000 {
                        throw JSONSyntaxError(message: loneSurrogate(p, j), offset: j)
                    } else {
                        j += 6
                    }
                default:
                    throw JSONSyntaxError(message: "invalid escape in a string", offset: j)
                }
                continue
            }
            if c < 0x20 { throw JSONSyntaxError(message: "unescaped control character in a string", offset: j) }
            j += 1
        }
        throw JSONSyntaxError(message: "unterminated string", offset: i)
    }

    /// The four hex digits at `p[k..<k+4]`, or nil.
    static func hex4(_ p: UnsafePointer<UInt8>, _ k: Int, _ end: Int) -> UInt32? {
        guard k + 4 <= end, let a = hexValue(p[k]), let b = hexValue(p[k + 1]), let c = hexValue(p[k + 2]), let d = hexValue(p[k + 3])
        else { return nil }
        return a << 12 | b << 8 | c << 4 | d
    }

    /// The message for a `\\uXXXX` escape at `j` that is half of a surrogate pair without the other half.
    static func loneSurrogate(_ p: UnsafePointer<UInt8>, _ j: Int) -> String {
        "invalid JSON string escape: lone surrogate \\" + String(decoding: UnsafeBufferPointer(start: p + j + 1, count: 5), as: UTF8.self)
            + " (a \\uD800–\\uDBFF escape must be followed by a \\uDC00–\\uDFFF one)"
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 65...70: return UInt32(c - 55)
        case 97...102: return UInt32(c - 87)
        default: return nil
        }
    }

    /// Decodes the (already validated) content of an escaped string in place, at `from`; returns its new end.
    /// The decoded bytes are never longer than the escaped ones.
    static func unescape(_ p: UnsafeMutablePointer<UInt8>, from: Int, to: Int) -> Int {
        var j = from
        var out = from
        func hex4(_ k: Int) -> UInt32 {
            (hexValue(p[k])! << 12) | (hexValue(p[k + 1])! << 8) | (hexValue(p[k + 2])! << 4) | hexValue(p[k + 3])!
        }
        func emit(_ c: UInt8) {
            p[out] = c
            out += 1
        }
        while j < to {
            let c = p[j]
            guard c == backslash else {
                emit(c)
                j += 1
                continue
            }
            let e = p[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "b"): emit(0x08)
            case UInt8(ascii: "f"): emit(0x0C)
            case UInt8(ascii: "n"): emit(0x0A)
            case UInt8(ascii: "r"): emit(0x0D)
            case UInt8(ascii: "t"): emit(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(j)
                j += 4
                if scalar >= 0xD800 && scalar < 0xDC00, j + 6 <= to, p[j] == backslash, p[j + 1] == UInt8(ascii: "u") {
                    let low = hex4(j + 2)
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        j += 6
                    }
                }
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"  // unreachable: scanString refuses lone surrogates
                UTF8.encode(unicode) { emit($0) }
            default: emit(e)  // \" \\ \/
            }
        }
        return out
    }
}
