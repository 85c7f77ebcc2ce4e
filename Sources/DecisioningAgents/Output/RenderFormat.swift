import DecisioningCore
import Foundation

/// Number, money, date and text formatting shared by the report and the dashboard.
///
/// Everything here is locale-free and deterministic: the same value always gives the same text.
enum RenderFormat {
    static let notAvailable = "n/a"

    // MARK: Money

    /// Exact, as results.json and the evidence state it: `$1,234,567.89` (cents only when non-zero).
    static func money(_ m: Money) -> String { Figure.money(m).formatted }

    /// `1 row`, `14 rows`: a count with its noun in the right number (regular plurals).
    static func plural(_ n: some BinaryInteger, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// Compact, for tiles, charts and tables: `$1.18M`, `$850K`, `$12.4M`, `-$3.14K`, `$0`.
    static func moneyShort(_ m: Money) -> String { moneyShort(m.doubleValue) }

    static func moneyShort(_ value: Double) -> String {
        guard value.isFinite else { return notAvailable }
        return (value < 0 ? "-$" : "$") + compact(abs(value))
    }

    /// A signed compact amount: `+$1.2M` / `-$40K`.
    static func moneyShortSigned(_ m: Money) -> String {
        m.minorUnits > 0 ? "+" + moneyShort(m) : moneyShort(m)
    }

    /// `1.18M`, `850K`, `12.4M`, `3.4B` for a non-negative value.
    static func compact(_ magnitude: Double) -> String {
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        for (index, (size, suffix)) in units.enumerated() {
            guard magnitude >= size * 0.9995 else { continue }
            let scaled = magnitude / size
            // Two or three significant digits: $1.18M, $14.2M, $125M.
            let text = trimmed(scaled, digits: scaled < 9.995 ? 2 : scaled < 99.95 ? 1 : 0)
            // 999.96K rounds to "1000K": promote to the next unit.
            if text == "1000", index > 0 { return "1" + units[index - 1].1 }
            return text + suffix
        }
        if magnitude >= 100 || magnitude == magnitude.rounded() { return String(format: "%.0f", magnitude) }
        return trimmed(magnitude, digits: 1)
    }

    /// Fixed digits with a trailing `.0` removed (`1.0` → `1`, `1.5` → `1.5`).
    static func trimmed(_ value: Double, digits: Int) -> String {
        var text = String(format: "%.\(digits)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }

    // MARK: Numbers

    /// A share in [0, 1] as a percentage: `12.3%`.
    static func ratio(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return notAvailable }
        return String(format: "%.\(digits)f%%", value * 100)
    }

    /// A value that is already a percentage: `12.3%`.
    static func percent(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return notAvailable }
        return String(format: "%.\(digits)f%%", value)
    }

    /// A signed percentage from a value that already is one: `+4.2%`.
    static func signedPercent(_ value: Double?, digits: Int = 1) -> String {
        guard let value, value.isFinite else { return notAvailable }
        return (value > 0 ? "+" : "") + String(format: "%.\(digits)f%%", value)
    }

    /// A signed share as percentage points: `+1.5 pp`.
    static func signedPoints(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return notAvailable }
        let points = ratio * 100
        // Two decimals below one point, so a change of -0.03 points does not read as -0.0.
        let text = String(format: abs(points) < 1 ? "%.2f" : "%.1f", points)
        guard Double(text) != 0 else { return "0.00 pp" }
        return (points > 0 ? "+" : "") + text + " pp"
    }

    static func number(_ value: Double?, digits: Int = 2) -> String {
        guard let value, value.isFinite else { return notAvailable }
        // Grouped whole numbers while they are exact in a Double; beyond that, scientific notation.
        if abs(value) >= 1e15 { return String(format: "%.3e", value) }
        if abs(value) >= 10_000 { return count(Int64(value.rounded())) }
        let text = String(format: "%.\(digits)f", value)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// A 0–100 score: `87.5`.
    static func score(_ value: Double?) -> String { number(value, digits: 1) }

    static func count(_ value: Int64) -> String { Figure.count(value).formatted }
    static func count(_ value: Int) -> String { count(Int64(value)) }

    /// `850 ms`, `1.2 s`, `2 min 05 s`.
    static func duration(ms: Double) -> String {
        guard ms.isFinite, ms >= 0 else { return notAvailable }
        if ms < 1000 { return String(format: "%.0f ms", ms) }
        let seconds = ms / 1000
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        guard seconds < 1e12 else { return String(format: "%.3e s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    /// A figure for a tile or a chart: money compact, everything else as `Figure.formatted`.
    static func short(_ figure: Figure) -> String {
        switch figure {
        case .money(let m): return moneyShort(m)
        case .number(let v): return number(v, digits: abs(v) >= 100 ? 0 : (abs(v) >= 10 ? 1 : 2))
        case .ratio(let v): return ratio(v)
        default: return figure.formatted
        }
    }

    // MARK: Dates

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func monthName(_ day: Day) -> String { monthNames[day.month - 1] }
    /// `Mar 2025`.
    static func monthYear(_ day: Day) -> String { monthName(day) + " " + String(day.year) }

    // MARK: Text

    /// Collapses whitespace (newlines included) to single spaces and trims.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// One line, cut at a word boundary with an ellipsis when longer than `limit` characters.
    static func clipped(_ text: String, limit: Int) -> String {
        let line = oneLine(text)
        guard line.count > limit else { return line }
        var cut = String(line.prefix(limit))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) > limit / 2 {
            cut = String(cut[..<space])
        }
        while let last = cut.last, ",;:-–—".contains(last) { cut.removeLast() }
        return cut + "…"
    }

    /// `1 risk`, `2 risks`.
    static func plural(_ count: Int, _ noun: String, _ plural: String? = nil) -> String {
        "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
    }

    /// `discovery_agent` → `Discovery`, `decision_agent` → `Decision`.
    static func agentTitle(_ name: String) -> String {
        var base = name
        if base.hasSuffix("_agent") { base.removeLast("_agent".count) }
        let words = base.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return words.isEmpty ? name : words.joined(separator: " ")
    }

    /// One line with its first letter upper-cased: `cost control` → `Cost control`.
    static func sentence(_ text: String) -> String {
        let line = oneLine(text)
        return line.prefix(1).uppercased() + line.dropFirst()
    }

    /// An identifier as words: `on_hold` → `on hold`; capitalised: `comprehensive_business_analysis` → `Comprehensive business analysis`.
    static func label(_ identifier: String, capitalize: Bool = false) -> String {
        let words = oneLine(identifier.replacingOccurrences(of: "_", with: " "))
        return capitalize ? sentence(words) : words
    }

    /// `HIGH` / `high` → `High`.
    static func capitalized(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst().lowercased()
    }
}

/// Escaping for HTML and SVG text and attribute values.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in HTML text.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}

/// Escaping for CommonMark / GitHub-flavoured Markdown inline text.
enum MarkdownText {
    /// Escapes characters that would start markup or raw HTML, and keeps the text on one line
    /// (runs of whitespace become one space; leading and trailing spaces stay, for inline pieces).
    static func escape(_ text: String) -> String {
        var chars: [Character] = []
        for ch in TerminalText.escaped(text, keepNewlines: true) {
            if ch.isWhitespace {
                if chars.last != " " { chars.append(" ") }
            } else {
                chars.append(ch)
            }
        }
        var out = ""
        for (i, ch) in chars.enumerated() {
            switch ch {
            case "\\", "`", "*", "<", "[", "]", "|":
                out.append("\\")
                out.append(ch)
            case ">":
                // A block quote marker only at the start of a line.
                if i == 0 { out.append("\\") }
                out.append(ch)
            case "#", "-", "+":
                // Heading and list markers only at the start of a line and followed by a space (or nothing).
                if i == 0 && (chars.count == 1 || chars[1] == " ") { out.append("\\") }
                out.append(ch)
            case "_":
                // Intraword underscores (snake_case) do not emphasise in GFM; escape only at word edges.
                let inside =
                    i > 0 && i + 1 < chars.count && (chars[i - 1].isLetter || chars[i - 1].isNumber)
                    && (chars[i + 1].isLetter || chars[i + 1].isNumber || chars[i + 1] == "_")
                out += inside ? "_" : "\\_"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Inline code that survives backticks in the text.
    static func code(_ text: String) -> String {
        let line = RenderFormat.oneLine(TerminalText.escaped(text, keepNewlines: true))
        var longest = 0
        var run = 0
        for ch in line {
            if ch == "`" {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = line.hasPrefix("`") || line.hasSuffix("`") ? " " : ""
        return fence + pad + line + pad + fence
    }

    /// A fenced code block whose fence is longer than any backtick run inside.
    static func fenced(_ text: String, language: String) -> String {
        let text = TerminalText.escaped(text, keepNewlines: true)
        var longest = 0
        var run = 0
        for ch in text {
            if ch == "`" {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = text.hasSuffix("\n") ? String(text.dropLast()) : text
        return fence + language + "\n" + body + "\n" + fence
    }
}
