/// A strict JSON (RFC 8259) reader for documents people write by hand, such as the configuration.
///
/// Foundation's decoder is lenient where a hand-written file must not be: a duplicate key silently
/// keeps one of the values and a trailing comma passes. This reader refuses both, refuses numbers
/// beyond the range of a double and lone UTF-16 surrogates, limits nesting, and names the line and
/// column of every error.
public enum StrictJSON {
    public static let maxDepth = 128

    /// Where and why a document is not acceptable JSON.
    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var column: Int
        public var message: String

        public var description: String { "line \(line), column \(column): \(message)" }
    }

    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var reader = Reader(bytes: bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { reader.index = 3 }
        reader.skipWhitespace()
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == bytes.count else { throw reader.error("unexpected text after the document") }
        return value
    }
}

private struct Reader {
    let bytes: [UInt8]
    var index = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ message: String, at position: Int? = nil) -> StrictJSON.SyntaxError {
        let end = min(position ?? index, bytes.count)
        var line = 1
        var column = 1
        for b in bytes[..<end] {
            if b == 0x0A {
                line += 1
                column = 1
            } else if b & 0xC0 != 0x80 {
                column += 1
            }
        }
        return StrictJSON.SyntaxError(line: line, column: column, message: message)
    }

    func found() -> String {
        guard index < bytes.count else { return "the end of the document" }
        let b = bytes[index]
        return b >= 0x20 && b < 0x7F ? "'\(Character(UnicodeScalar(b)))'" : "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    mutating func skipWhitespace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    mutating func expect(_ literal: String, _ value: JSONValue) throws(StrictJSON.SyntaxError) -> JSONValue {
        let utf8 = Array(literal.utf8)
        guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
            throw error("expected a value, found \(found())")
        }
        index += utf8.count
        return value
    }

    mutating func value(depth: Int) throws(StrictJSON.SyntaxError) -> JSONValue {
        guard depth < StrictJSON.maxDepth else { throw error("nested more than \(StrictJSON.maxDepth) levels deep") }
        guard index < bytes.count else { throw error("unexpected end of the document") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try expect("true", .bool(true))
        case UInt8(ascii: "f"): return try expect("false", .bool(false))
        case UInt8(ascii: "n"): return try expect("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("expected a value, found \(found())")
        }
    }

    mutating func object(depth: Int) throws(StrictJSON.SyntaxError) -> JSONValue {
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                let trailing = index < bytes.count && bytes[index] == UInt8(ascii: "}")
                throw error(trailing ? "trailing comma before '}'; remove it" : "expected a key in double quotes, found \(found())")
            }
            let keyStart = index
            let key = try string()
            guard members[key] == nil else {
                throw error("duplicate key \"\(TerminalText.escaped(key))\"; each key may appear once in an object", at: keyStart)
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw error("expected ':' after the key, found \(found())")
            }
            index += 1
            skipWhitespace()
            members[key] = try value(depth: depth + 1)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of the document inside an object") }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ',' or '}', found \(found())") }
            index += 1
        }
    }

    mutating func array(depth: Int) throws(StrictJSON.SyntaxError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { throw error("trailing comma before ']'; remove it") }
            items.append(try value(depth: depth + 1))
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of the document inside an array") }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items)
            }
            guard bytes[index] == UInt8(ascii: ",") else { throw error("expected ',' or ']', found \(found())") }
            index += 1
        }
    }

    mutating func number() throws(StrictJSON.SyntaxError) -> Double {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            return index - from
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        guard digits() > 0 else { throw error("expected digits after '-'") }
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            throw error("numbers may not have leading zeros", at: integerStart)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("expected digits after the decimal point") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("expected digits in the exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            throw error("the number \(text) is beyond the range of a 64-bit floating-point number (about ±1.8e308)", at: start)
        }
        return value
    }

    mutating func string() throws(StrictJSON.SyntaxError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush(_ end: Int) throws(StrictJSON.SyntaxError) {
            guard end > runStart else { return }
            guard let text = String(validating: bytes[runStart..<end], as: UTF8.self) else {
                throw error("invalid UTF-8 in a string", at: runStart)
            }
            scalars.append(contentsOf: text.unicodeScalars)
        }
        while true {
            guard index < bytes.count else { throw error("unterminated string") }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                try flush(index)
                index += 1
                return String(scalars)
            }
            if b < 0x20 { throw error("control character 0x\(String(b, radix: 16, uppercase: true)) inside a string; escape it") }
            guard b == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            try flush(index)
            index += 1
            guard index < bytes.count else { throw error("unterminated string") }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""): scalars.append("\"")
            case UInt8(ascii: "\\"): scalars.append("\\")
            case UInt8(ascii: "/"): scalars.append("/")
            case UInt8(ascii: "b"): scalars.append("\u{08}")
            case UInt8(ascii: "f"): scalars.append("\u{0C}")
            case UInt8(ascii: "n"): scalars.append("\n")
            case UInt8(ascii: "r"): scalars.append("\r")
            case UInt8(ascii: "t"): scalars.append("\t")
            case UInt8(ascii: "u"): scalars.append(try unicodeEscape())
            default: throw error("unknown escape '\\\(Character(UnicodeScalar(escape)))'", at: index - 2)
            }
            runStart = index
        }
    }

    mutating func hex4() throws(StrictJSON.SyntaxError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("expected four hexadecimal digits after \\u") }
        var value: UInt32 = 0
        for b in bytes[index..<index + 4] {
            guard let digit = Character(UnicodeScalar(b)).hexDigitValue else { throw error("expected four hexadecimal digits after \\u") }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }

    mutating func unicodeEscape() throws(StrictJSON.SyntaxError) -> Unicode.Scalar {
        let start = index - 2
        let high = try hex4()
        if (0xDC00...0xDFFF).contains(high) { throw error("lone low surrogate \\u\(String(high, radix: 16)) in a string", at: start) }
        guard (0xD800...0xDBFF).contains(high) else {
            // Not a surrogate: every other code unit is a scalar.
            guard let scalar = Unicode.Scalar(high) else { throw error("invalid \\u escape", at: start) }
            return scalar
        }
        guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
            throw error("lone high surrogate \\u\(String(high, radix: 16)) in a string; it must be followed by a low surrogate", at: start)
        }
        index += 2
        let low = try hex4()
        guard (0xDC00...0xDFFF).contains(low), let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
            throw error("high surrogate \\u\(String(high, radix: 16)) is not followed by a low surrogate", at: start)
        }
        return scalar
    }
}
