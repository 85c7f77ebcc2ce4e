import DecisioningCore
import DecisioningStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads one JSON Lines file: one JSON object per line, its keys naming the table's columns.
///
/// Lines may name different subsets of the columns; each subset gets its own prepared insert, so
/// an absent optional column takes the store's default.
struct JSONLLoader {
    let input: InputFile
    let fileIndex: Int
    let batch: IngestBatch

    private var path: String { input.path }

    enum Kind { case string, number, boolean, null, object, array }

    struct Token {
        var kind = Kind.null
        /// The value's text in the line (with the quotes, for a string).
        var start = 0
        var end = 0
        var escaped = false
    }

    struct Shape {
        var inserter: any RowInserter
        var keyPositions: [Int]
    }

    /// Loads the file from `start`, where its text begins (after a byte order mark; see `Encoding.start`).
    func load(from start: Int) throws {
        var pos = start
        var line = 0
        var state = LineState(columnCount: batch.table.columns.count, names: batch.table.columns.map { Array($0.name.utf8) })
        let firstOffset = input.fileOffset(pos)
        while true {
            if pos >= input.end {
                if input.atEOF { return }
                try refill(&pos, line: line + 1)
                continue
            }
            let p = input.buffer
            let lineEnd: Int
            let next: Int
            if let found = memchr(p + pos, 0x0A, input.end - pos) {
                lineEnd = UnsafeRawPointer(found) - UnsafeRawPointer(p)
                next = lineEnd + 1
            } else if !input.atEOF {
                try refill(&pos, line: line + 1)
                continue
            } else {
                lineEnd = input.end
                next = lineEnd
            }
            line += 1
            if line == 1024 {
                let done = input.fileOffset(next)
                batch.expect(rows: line, inBytes: done - firstOffset, remainingBytes: input.size - done)
            }
            let start = pos
            pos = next
            var end = lineEnd
            if end > start && p[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            try loadLine(p, start: start, end: end, line: line, terminated: next > lineEnd, state: &state)
        }
    }

    private func refill(_ pos: inout Int, line: Int) throws {
        do {
            try input.refill(keepingFrom: pos)
        } catch var error {
            error.line = line
            throw error
        }
        pos = 0
    }

    /// Per-file scratch state reused from line to line.
    struct LineState {
        var tokens: [Token]
        var names: [[UInt8]]
        var shapes: [UInt64: Shape] = [:]
        var row: [Value] = []
        init(columnCount: Int, names: [[UInt8]]) {
            tokens = Array(repeating: Token(), count: columnCount)
            self.names = names
        }

        /// The column whose name is `p[from..<to]`; tries `hint` first, since lines usually list keys in table order.
        func column(_ p: UnsafePointer<UInt8>, from: Int, to: Int, hint: Int) -> Int? {
            let count = to - from
            for k in 0..<names.count {
                let c = (hint + k) % names.count
                let name = names[c]
                guard name.count == count else { continue }
                let same = name.withUnsafeBufferPointer { memcmp($0.baseAddress!, p + from, count) == 0 }
                if same { return c }
            }
            return nil
        }
    }

    private func loadLine(_ p: UnsafeMutablePointer<UInt8>, start: Int, end: Int, line: Int, terminated: Bool, state: inout LineState)
        throws
    {
        var i = JSONScanner.skipWhitespace(p, start, end)
        if i == end { return }  // blank line
        if UTF8Check.hasNonASCII(p, from: start, to: end), let bad = UTF8Check.firstInvalid(p, from: start, to: end) {
            try batch.reject(UTF8Check.error(p, recordStart: start, recordLine: line, bad: bad, file: path))
            return
        }
        func fail(_ message: String, column: String? = nil) throws {
            try batch.reject(IngestError(file: path, line: line, column: column, message: message))
        }
        func invalid(_ error: JSONSyntaxError, column: String? = nil) throws {
            let described = error.described(input: "the line", base: start)
            try fail(
                (described.hasPrefix("invalid JSON") ? "" : "invalid JSON: ") + described
                    + (terminated ? "" : "; the file looks truncated"),
                column: column)
        }

        guard p[i] == UInt8(ascii: "{") else {
            do throws(JSONSyntaxError) {
                let valueEnd = try JSONScanner.skipValue(p, i, end)
                let after = JSONScanner.skipWhitespace(p, valueEnd, end)
                guard after == end else { throw JSONScanner.unexpected(p, after, end) }
            } catch {
                try invalid(error)
                return
            }
            let found: String
            switch p[i] {
            case UInt8(ascii: "["): found = "an array"
            case UInt8(ascii: "\""): found = "a string"
            case UInt8(ascii: "t"), UInt8(ascii: "f"): found = "a boolean"
            case UInt8(ascii: "n"): found = "null"
            default: found = "a number"
            }
            try fail("expected a JSON object, found \(found)")
            return
        }

        // Tokenize the object's members into `state.tokens`, by column.
        var mask: UInt64 = 0
        var hint = 0
        // The column whose value is being scanned, to name it in a syntax error inside the value.
        var valueColumn: Int?
        do {
            i = JSONScanner.skipWhitespace(p, i + 1, end)
            if i < end && p[i] == UInt8(ascii: "}") {
                i += 1
            } else {
                while true {
                    guard i < end, p[i] == JSONScanner.quote else { throw JSONScanner.unexpected(p, i, end) }
                    let (keyEnd, keyEscaped) = try JSONScanner.scanString(p, i, end)
                    var nameEnd = keyEnd - 1
                    if keyEscaped { nameEnd = JSONScanner.unescape(p, from: i + 1, to: nameEnd) }
                    let column = state.column(p, from: i + 1, to: nameEnd, hint: hint)
                    guard let column else {
                        let name = String(decoding: UnsafeBufferPointer(start: p + i + 1, count: nameEnd - i - 1), as: UTF8.self)
                        try fail(batch.unknownColumnMessage(name))
                        return
                    }
                    guard mask & (1 << UInt64(column)) == 0 else {
                        try fail("the key '\(batch.table.columns[column].name)' appears twice in the object")
                        return
                    }
                    i = JSONScanner.skipWhitespace(p, keyEnd, end)
                    guard i < end, p[i] == UInt8(ascii: ":") else { throw JSONScanner.unexpected(p, i, end) }
                    i = JSONScanner.skipWhitespace(p, i + 1, end)
                    guard i < end else { throw JSONScanner.unexpected(p, i, end) }
                    var token = Token(start: i)
                    valueColumn = column
                    switch p[i] {
                    case JSONScanner.quote:
                        let (stringEnd, escaped) = try JSONScanner.scanString(p, i, end)
                        token.kind = .string
                        token.end = stringEnd
                        token.escaped = escaped
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        token.kind = p[i] == UInt8(ascii: "{") ? .object : .array
                        token.end = try JSONScanner.skipValue(p, i, end, depth: 1)
                    case UInt8(ascii: "t"), UInt8(ascii: "f"):
                        token.kind = .boolean
                        token.end = try JSONScanner.skipValue(p, i, end)
                    case UInt8(ascii: "n"):
                        token.kind = .null
                        token.end = try JSONScanner.skipValue(p, i, end)
                    default:
                        token.kind = .number
                        token.end = try JSONScanner.skipValue(p, i, end)
                    }
                    valueColumn = nil
                    state.tokens[column] = token
                    mask |= 1 << UInt64(column)
                    hint = column + 1
                    i = JSONScanner.skipWhitespace(p, token.end, end)
                    guard i < end else { throw JSONScanner.unexpected(p, i, end) }
                    if p[i] == UInt8(ascii: "}") {
                        i += 1
                        break
                    }
                    guard p[i] == UInt8(ascii: ",") else { throw JSONScanner.unexpected(p, i, end) }
                    i = JSONScanner.skipWhitespace(p, i + 1, end)
                }
            }
            i = JSONScanner.skipWhitespace(p, i, end)
            guard i == end else { throw JSONScanner.unexpected(p, i, end) }
        } catch let error as JSONSyntaxError {
            // A value cut off by the end of the line is a problem of the line (truncation), not of the column.
            let inValue = terminated && !error.atEnd && error.message != "unterminated string"
            try invalid(error, column: inValue ? valueColumn.map { batch.table.columns[$0].name } : nil)
            return
        }
        if let missing = batch.missingColumnsMessage(mask) {
            try fail(missing)
            return
        }

        state.row.removeAll(keepingCapacity: true)
        for column in 0..<batch.table.columns.count where mask & (1 << UInt64(column)) != 0 {
            let parser = batch.parsers[column]
            do {
                state.row.append(try convert(state.tokens[column], p, parser))
            } catch {
                try fail(error.message, column: parser.name)
                return
            }
        }
        let shape: Shape
        if let known = state.shapes[mask] {
            shape = known
        } else {
            shape = Shape(inserter: try batch.inserter(batch.columnNames(mask), file: path), keyPositions: batch.keyPositions(mask))
            state.shapes[mask] = shape
        }
        try batch.write(state.row, keyPositions: shape.keyPositions, inserter: shape.inserter, file: fileIndex, line: line)
    }

    /// Converts one JSON value for `parser`'s column. Strings are accepted wherever the column's text
    /// form is (text, dates, timestamps, decimals); numbers only where they convert exactly.
    private func convert(_ token: Token, _ p: UnsafeMutablePointer<UInt8>, _ parser: ColumnParser) throws(FieldError) -> Value {
        let raw = UnsafeBufferPointer(start: p + token.start, count: token.end - token.start)
        if case .json = parser.type {
            return token.kind == .null ? try parser.null(found: "null") : .json(String(decoding: raw, as: UTF8.self))
        }
        switch token.kind {
        case .null:
            return try parser.null(found: "null")
        case .string:
            var contentEnd = token.end - 1
            if token.escaped { contentEnd = JSONScanner.unescape(p, from: token.start + 1, to: contentEnd) }
            let content = UnsafeBufferPointer(start: p + token.start + 1, count: contentEnd - token.start - 1)
            switch parser.type {
            case .text, .longText, .date, .timestamp, .decimal:
                return try parser.parse(content)
            default:
                throw parser.expected("string \"" + ColumnParser.shortened(String(decoding: content, as: UTF8.self)) + "\"")
            }
        case .number:
            let text = String(decoding: raw, as: UTF8.self)
            switch parser.type {
            case .integer:
                guard let plain = JSONLLoader.plainDecimal(raw) else { throw parser.outOfRange("number \(text)") }
                let integerPart = plain.prefix { $0 != UInt8(ascii: ".") }
                // 30.0 is whole; 30.5 is not.
                guard plain.dropFirst(integerPart.count + 1).allSatisfy({ $0 == UInt8(ascii: "0") }) else {
                    throw parser.expected("number \(text)")
                }
                switch integerPart.withUnsafeBufferPointer({ ColumnParser.parseInteger($0) }) {
                case .value(let v): return try parser.integer(v, shown: "number \(text)")
                default: throw parser.outOfRange("number \(text)")
                }
            case .decimal(let precision, let scale):
                guard let plain = JSONLLoader.plainDecimal(raw) else { throw parser.expected("number \(text)", ", which is out of range") }
                return try plain.withUnsafeBufferPointer { (b) throws(FieldError) -> Value in
                    try parser.decimal(b, precision: precision, scale: scale, shown: "number \(text)")
                }
            case .double:
                guard let v = Double(text), v.isFinite else { throw parser.expected("number \(text)", ", which is out of range") }
                return .double(v)
            case .boolean:
                if text == "1" { return .boolean(true) }
                if text == "0" { return .boolean(false) }
                throw parser.expected("number \(text)")
            default:
                throw parser.expected("number \(text)")
            }
        case .boolean:
            let value = p[token.start] == UInt8(ascii: "t")
            guard case .boolean = parser.type else { throw parser.expected("boolean \(value)") }
            return .boolean(value)
        case .object:
            throw parser.expected("an object")
        case .array:
            guard case .vector(let dimensions) = parser.type else { throw parser.expected("an array") }
            return try parser.vector(raw, dimensions: dimensions)
        }
    }

    /// Rewrites a JSON number without its exponent (`1.5e3` → `1500`, `25e-1` → `2.5`), so that it can be
    /// parsed exactly as a decimal; nil when the exponent is absurdly large.
    static func plainDecimal(_ raw: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let e = raw.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) else { return Array(raw) }
        var exponentText = raw[(e + 1)...]
        var exponentNegative = false
        if let sign = exponentText.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            exponentNegative = sign == UInt8(ascii: "-")
            exponentText = exponentText.dropFirst()
        }
        var exponent = 0
        for d in exponentText {
            exponent = exponent * 10 + Int(d - 48)
            if exponent > 400 { return nil }
        }
        if exponentNegative { exponent = -exponent }
        var mantissa = raw[..<e]
        let negative = mantissa.first == UInt8(ascii: "-")
        if negative { mantissa = mantissa.dropFirst() }
        var digits: [UInt8] = []
        var pointAt = mantissa.count
        for (k, c) in zip(mantissa.indices, mantissa) {
            if c == UInt8(ascii: ".") { pointAt = k - mantissa.startIndex } else { digits.append(c) }
        }
        pointAt += exponent
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        if pointAt <= 0 {
            out += [UInt8(ascii: "0"), UInt8(ascii: ".")] + Array(repeating: UInt8(ascii: "0"), count: -pointAt) + digits
        } else if pointAt >= digits.count {
            out += digits + Array(repeating: UInt8(ascii: "0"), count: pointAt - digits.count)
        } else {
            out += digits[..<pointAt] + [UInt8(ascii: ".")] + digits[pointAt...]
        }
        return out
    }
}
