import DecisioningAgents
import DecisioningCore

/// How the ask page shows an answer's cells: counts with thousands separators, money (decimal
/// strings, exact to the cent) grouped with its cents kept, other numbers to a few decimals, no
/// value as a dash. `raw` is the cell at full precision (a figure's tooltip).
enum AskCells {
    /// A number, or a decimal string with a fraction (money): a figure, right-aligned.
    static func isFigure(_ cell: JSONValue) -> Bool {
        switch cell {
        case .number(let n): return n.isFinite
        case .string(let s): return decimal(s) != nil
        default: return false
        }
    }

    static func text(_ cell: JSONValue) -> String {
        switch cell {
        case .null: return "–"
        case .bool(let b): return b ? "yes" : "no"
        case .number(let n):
            guard n.isFinite else { return "–" }
            if n == n.rounded(), abs(n) < 1e15 { return grouped(String(Int64(n))) }
            return ReportFragments.number(n, digits: abs(n) < 1 ? 4 : 2)
        case .string(let s):
            guard let (sign, whole, fraction) = decimal(s) else { return s }
            return sign + grouped(whole) + "." + fraction
        case .array, .object: return cell.summary
        }
    }

    /// The cell as the JSON has it: numbers at full precision, strings as they are.
    static func raw(_ cell: JSONValue) -> String {
        switch cell {
        case .null: return ""
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return s
        default: return text(cell)
        }
    }

    /// `-1234.50` → ("-", "1234", "50"); nil unless digits, a point and digits.
    static func decimal(_ s: String) -> (sign: String, whole: String, fraction: String)? {
        let negative = s.hasPrefix("-")
        let body = negative ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[0].count <= 18,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } })
        else { return nil }
        return (negative ? "-" : "", String(parts[0]), String(parts[1]))
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ digits: String) -> String {
        let negative = digits.hasPrefix("-")
        var out = ""
        for (i, c) in (negative ? digits.dropFirst() : Substring(digits)).reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (negative ? "-" : "") + String(out.reversed())
    }
}
