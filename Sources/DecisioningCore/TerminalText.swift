/// Text from the data made safe to print on a terminal or into Markdown.
///
/// Values in a company's tables are not ours: a project name can hold an escape sequence that
/// retitles the terminal or clears the screen, or a NUL byte that ends a string early in the next
/// tool. Before such text reaches a terminal, a message or a Markdown file, every control
/// character (C0 but tab, DEL, C1) and every bidirectional override is shown as a visible escape
/// (`\u{1B}`), so what is printed is what is stored, and nothing acts on the reader's screen.
public enum TerminalText {
    /// `text` with control and bidirectional-override characters written as `\u{XX}`; newlines
    /// become `\n` too unless `keepNewlines`.
    public static func escaped(_ text: String, keepNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepNewlines: keepNewlines) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepNewlines: keepNewlines) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// `escaped(text)` cut to `limit` characters with an ellipsis, for quoting a value in an error.
    public static func quoted(_ text: String, limit: Int = 80) -> String {
        let safe = escaped(text)
        guard safe.count > limit else { return safe }
        return String(safe.prefix(limit)) + "…"
    }

    static func needsEscape(_ scalar: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        switch scalar.value {
        case 0x09: return false
        case 0x0A: return !keepNewlines
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Bidirectional embeddings, overrides and isolates: they reorder what follows on screen.
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
