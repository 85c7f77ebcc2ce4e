/// Data quoted in an error message: control characters and invisible format characters escaped
/// (so a value cannot move the cursor, retitle or clear a terminal, or hide itself), long values cut.
enum Shown {
    /// The longest value, in Unicode scalars, an error message quotes in full.
    static let limit = 60

    /// Whether `scalar` is escaped when shown: C0 and C1 controls, DEL, the byte order mark,
    /// zero-width and direction-changing characters, and line/paragraph separators.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0xFEFF, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFFF9...0xFFFB: return true
        default: return false
        }
    }

    /// `s` with every character `needsEscape` picks written as `\t`, `\n`, `\r` or `\u{XX}`.
    static func escaped(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: needsEscape) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    /// `s` cut to `limit` scalars (with `…`), then escaped.
    static func value(_ s: String, limit: Int = Shown.limit) -> String {
        let cut = s.unicodeScalars.count <= limit ? s : String(String.UnicodeScalarView(s.unicodeScalars.prefix(limit))) + "…"
        return escaped(cut)
    }

    /// `value(s)` in single quotes.
    static func quoted(_ s: String) -> String { "'" + value(s) + "'" }
}
