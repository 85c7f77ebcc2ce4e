/// Text from the data made safe to print on a terminal or into Markdown.
///
/// Values in a company's tables are not ours: a project name can hold an escape sequence that
/// retitles the terminal or clears the screen, or a NUL byte that ends a string early in the next
/// tool. Before such text reaches a terminal, a message or a Markdown file, every control
/// character (C0 but tab, DEL, C1), every invisible format character and every bidirectional
/// override is shown as a visible escape (`\u{1B}`, `\n`), so what is printed is what is stored,
/// and nothing acts on the reader's screen or hides from it. The one escaping of the project:
/// ingest's error messages quote values with `value`/`singleQuoted`.
public enum TerminalText {
    /// The longest value, in Unicode scalars, an error message quotes in full (`value`, `singleQuoted`).
    public static let valueLimit = 60

    /// `text` with control characters, invisible format characters and direction overrides written
    /// as `\n`, `\r`, `\t` or `\u{XX}`. Newlines are kept when `keepNewlines`, tabs unless
    /// `escapeTabs`.
    public static func escaped(_ text: String, keepNewlines: Bool = false, escapeTabs: Bool = false) -> String {
        let rule = Rule(keepNewlines: keepNewlines, escapeTabs: escapeTabs)
        guard text.unicodeScalars.contains(where: rule.needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard rule.needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            switch scalar {
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            default: out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
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

    /// A value from an input file as an error message shows it: cut to `limit` scalars (with `…`),
    /// then escaped, tabs too.
    public static func value(_ text: String, limit: Int = valueLimit) -> String {
        let cut =
            text.unicodeScalars.count <= limit ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) + "…"
        return escaped(cut, escapeTabs: true)
    }

    /// `value(text)` in single quotes.
    public static func singleQuoted(_ text: String) -> String { "'" + value(text) + "'" }

    /// Which characters are escaped.
    struct Rule {
        var keepNewlines: Bool
        var escapeTabs: Bool

        func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09: return escapeTabs
            case 0x0A: return !keepNewlines
            case 0x00...0x1F, 0x7F...0x9F: return true
            // The byte order mark and zero-width characters hide themselves; line and paragraph
            // separators break lines; bidirectional marks, embeddings, overrides and isolates
            // reorder what follows on screen; interlinear annotations hide text.
            case 0xFEFF, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFFF9...0xFFFB: return true
            default: return false
            }
        }
    }
}
