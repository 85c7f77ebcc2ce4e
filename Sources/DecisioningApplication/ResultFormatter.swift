public import DecisioningAnalytics
public import DecisioningCore
import Foundation

/// Renders result rows as an aligned table, CSV or JSON objects, with decimals at their scale.
public enum ResultFormatter {
    /// A value as a person reads it: doubles to 6 significant digits, control characters visible.
    public static func text(_ v: Value, _ type: DataType) -> String {
        switch (v, type) {
        case (.double(let d), _): return String(format: "%.6g", d)
        default: return TerminalText.escaped(exact(v, type))
        }
    }

    /// A value for machines: full precision (the shortest text that reads back as the same double).
    public static func exact(_ v: Value, _ type: DataType) -> String {
        switch (v, type) {
        case (.null, _): return ""
        case (.decimal(let units), .decimal(let s)): return FixedPoint.format(units, scale: s)
        case (.double(let d), _): return d.isFinite ? "\(d)" : ""
        default: return v.description
        }
    }

    public static func table(_ r: QueryResult) -> String {
        let header = r.fields.map(\.name)
        let cells = r.rows.map { row in zip(row, r.fields).map { text($0, $1.type) } }
        var widths = header.map(\.count)
        for row in cells { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ values: [String]) -> String {
            zip(values, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + cells.map(line)).joined(
            separator: "\n")
    }

    /// CSV at full precision; control characters are made visible only when a terminal reads it.
    public static func csv(_ r: QueryResult, forTerminal: Bool) -> String {
        func quote(_ raw: String) -> String {
            let s = forTerminal ? TerminalText.escaped(raw, keepNewlines: true) : raw
            let needsQuotes = s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            return needsQuotes ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = r.fields.map(\.name).joined(separator: ",") + "\n"
        for row in r.rows { out += zip(row, r.fields).map { quote(exact($0, $1.type)) }.joined(separator: ",") + "\n" }
        return out
    }

    /// The rows as JSON objects: integers, doubles and booleans as JSON numbers and booleans,
    /// decimals (money) and everything else as exact text.
    public static func jsonRows(_ r: QueryResult) -> [JSONValue] {
        r.rows.map { row in
            var object: [String: JSONValue] = [:]
            for (v, f) in zip(row, r.fields) {
                switch v {
                case .null: object[f.name] = .null
                case .integer(let i): object[f.name] = .number(Double(i))
                case .double(let d): object[f.name] = d.isFinite ? .number(d) : .null
                case .boolean(let b): object[f.name] = .bool(b)
                default: object[f.name] = .string(exact(v, f.type))
                }
            }
            return .object(object)
        }
    }

    public static func objects(_ r: QueryResult) -> [[String: Any]] {
        r.rows.map { row in
            var object: [String: Any] = [:]
            for (v, f) in zip(row, r.fields) {
                switch v {
                case .null: object[f.name] = NSNull()
                case .integer(let i): object[f.name] = i
                case .double(let d): object[f.name] = d.isFinite ? d : NSNull()
                case .boolean(let b): object[f.name] = b
                default: object[f.name] = exact(v, f.type)
                }
            }
            return object
        }
    }
}
