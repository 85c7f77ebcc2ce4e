/// A small document model for the executive report: built once from a `RunResults`, then written
/// as Markdown (`report.md`) or as HTML (`report.html`), so both files always say the same thing.
struct ReportDocument {
    var title: String
    /// One line under the title: the run, the as-of date, the status.
    var subtitle: String
    var blocks: [Block]

    /// How something should read: drives badge and callout colours in HTML.
    enum Tone: String {
        case good, warn, bad, neutral, info
    }

    /// Inline content.
    enum Inline {
        case text(String)
        case strong(String)
        case emphasis(String)
        case code(String)
        /// A status or severity label (`FAILED`, `high`).
        case badge(String, Tone)
    }

    struct Column {
        var title: String
        var numeric: Bool = false
    }

    struct Table {
        var cssClass: String = ""
        var columns: [Column]
        var rows: [[[Inline]]]
    }

    struct KeyFigure {
        var label: String
        /// Exact, as in the evidence.
        var value: String
        var note: String?
        /// A compact reading (`$1.75B`) shown large in HTML above the exact value; nil when `value` is short already.
        var short: String? = nil
    }

    enum Block {
        case heading(level: Int, text: String, anchor: String?)
        case paragraph([Inline])
        case list(items: [[Inline]], ordered: Bool)
        case table(Table)
        case code(language: String, text: String)
        /// A highlighted box: degraded, failed and skipped agents, run-level warnings.
        case callout(Tone, [Inline])
        /// The key numbers: a table in Markdown, tiles in HTML.
        case keyFigures([KeyFigure])
        /// Opens / closes a logical section (HTML `<section>`, ignored in Markdown).
        case sectionStart(cssClass: String)
        case sectionEnd
    }
}

// MARK: - Markdown

extension ReportDocument {
    func markdown() -> String {
        var out = "# " + MarkdownText.escape(title) + "\n\n" + "_" + MarkdownText.escape(subtitle) + "_\n"
        for block in blocks {
            switch block {
            case .sectionStart, .sectionEnd:
                continue
            case .heading(let level, let text, _):
                out += "\n" + String(repeating: "#", count: max(1, min(6, level))) + " " + MarkdownText.escape(text) + "\n"
            case .paragraph(let inlines):
                out += "\n" + Self.markdown(inlines) + "\n"
            case .list(let items, let ordered):
                out += "\n"
                for (i, item) in items.enumerated() {
                    out += (ordered ? "\(i + 1). " : "- ") + Self.markdown(item) + "\n"
                }
            case .table(let table):
                out += "\n" + Self.markdown(table)
            case .code(let language, let text):
                out += "\n" + MarkdownText.fenced(text, language: language) + "\n"
            case .callout(let tone, let inlines):
                _ = tone
                out += "\n> " + Self.markdown(inlines) + "\n"
            case .keyFigures(let figures):
                let notes = figures.contains { $0.note != nil }
                let table = Table(
                    columns: [Column(title: "Measure"), Column(title: "Value", numeric: true)] + (notes ? [Column(title: "Note")] : []),
                    rows: figures.map { [[.text($0.label)], [.strong($0.value)]] + (notes ? [[.text($0.note ?? "")]] : []) })
                out += "\n" + Self.markdown(table)
            }
        }
        return out
    }

    static func markdown(_ inlines: [Inline]) -> String {
        inlines.map { inline -> String in
            switch inline {
            case .text(let s): return MarkdownText.escape(s)
            case .strong(let s): return wrap(s, "**")
            case .emphasis(let s): return wrap(s, "_")
            case .code(let s): return MarkdownText.code(s)
            case .badge(let s, _): return "**" + MarkdownText.escape(s.uppercased()) + "**"
            }
        }.joined()
    }

    /// Emphasis markers must touch the text (`**a** `, not `**a **`): surrounding spaces go outside.
    static func wrap(_ text: String, _ marker: String) -> String {
        let escaped = MarkdownText.escape(text)
        var core = Substring(escaped)
        while core.first == " " { core.removeFirst() }
        while core.last == " " { core.removeLast() }
        guard !core.isEmpty else { return escaped }
        return (escaped.hasPrefix(" ") ? " " : "") + marker + core + marker + (escaped.hasSuffix(" ") ? " " : "")
    }

    static func markdown(_ table: Table) -> String {
        var out = "| " + table.columns.map { MarkdownText.escape($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.numeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in table.rows {
            let cells = table.columns.indices.map { i in i < row.count ? markdown(row[i]) : "" }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }
}

// MARK: - HTML

extension ReportDocument {
    func html() -> String {
        var body = ""
        for block in blocks {
            switch block {
            case .sectionStart(let cssClass):
                body += "<section class=\"\(HTMLText.escape(cssClass))\">\n"
            case .sectionEnd:
                body += "</section>\n"
            case .heading(let level, let text, let anchor):
                let l = max(2, min(6, level))
                let id = anchor.map { " id=\"\(HTMLText.escape($0))\"" } ?? ""
                body += "<h\(l)\(id)>\(HTMLText.escape(text))</h\(l)>\n"
            case .paragraph(let inlines):
                body += "<p>" + Self.html(inlines) + "</p>\n"
            case .list(let items, let ordered):
                let tag = ordered ? "ol" : "ul"
                body += "<\(tag)>\n" + items.map { "<li>" + Self.html($0) + "</li>\n" }.joined() + "</\(tag)>\n"
            case .table(let table):
                body += Self.html(table)
            case .code(let language, let text):
                body += "<pre class=\"code\"><code class=\"language-\(HTMLText.escape(language))\">" + HTMLText.escape(text) + "</code></pre>\n"
            case .callout(let tone, let inlines):
                body += "<div class=\"callout \(tone.rawValue)\">" + Self.html(inlines) + "</div>\n"
            case .keyFigures(let figures):
                body += "<div class=\"figures\">\n"
                for figure in figures {
                    body += "<div class=\"figure\"><div class=\"label\">\(HTMLText.escape(figure.label))</div>"
                        + "<div class=\"value\">\(HTMLText.escape(figure.short ?? figure.value))</div>"
                        + (figure.short == nil ? "" : "<div class=\"exact\">\(HTMLText.escape(figure.value))</div>")
                        + (figure.note.map { "<div class=\"note\">\(HTMLText.escape($0))</div>" } ?? "") + "</div>\n"
                }
                body += "</div>\n"
            }
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title))</title>
            <style>
            \(Self.css)
            </style>
            </head>
            <body>
            <main>
            <header class="title"><h1>\(HTMLText.escape(title))</h1><p class="subtitle">\(HTMLText.escape(subtitle))</p></header>
            \(body)</main>
            </body>
            </html>

            """
    }

    static func html(_ inlines: [Inline]) -> String {
        inlines.map { inline -> String in
            switch inline {
            case .text(let s): return HTMLText.escape(s)
            case .strong(let s): return "<strong>" + HTMLText.escape(s) + "</strong>"
            case .emphasis(let s): return "<em>" + HTMLText.escape(s) + "</em>"
            case .code(let s): return "<code>" + HTMLText.escape(s) + "</code>"
            case .badge(let s, let tone): return "<span class=\"badge \(tone.rawValue)\">" + HTMLText.escape(s) + "</span>"
            }
        }.joined()
    }

    static func html(_ table: Table) -> String {
        var out = "<div class=\"table-wrap\"><table" + (table.cssClass.isEmpty ? "" : " class=\"\(HTMLText.escape(table.cssClass))\"") + ">\n<thead><tr>"
        for column in table.columns {
            out += column.numeric ? "<th class=\"num\">" : "<th>"
            out += HTMLText.escape(column.title) + "</th>"
        }
        out += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            out += "<tr>"
            for (i, column) in table.columns.enumerated() {
                out += column.numeric ? "<td class=\"num\">" : "<td>"
                out += (i < row.count ? html(row[i]) : "") + "</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table></div>\n"
    }

    static let css = """
        :root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --bg: #ffffff; --panel: #f6f8fa;
                --good: #1a7f4b; --warn: #a15c00; --bad: #b42318; --info: #1d4ed8; --neutral: #596579; }
        * { box-sizing: border-box; }
        html { background: #eef1f5; }
        body { margin: 0; color: var(--ink); font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1040px; margin: 24px auto; padding: 36px 48px 48px; background: var(--bg);
               border: 1px solid var(--line); border-radius: 10px; }
        header.title h1 { margin: 0 0 4px; font-size: 28px; line-height: 1.25; }
        .subtitle { margin: 0 0 8px; color: var(--muted); font-size: 13.5px; }
        h2 { margin: 34px 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); font-size: 20px; }
        h3 { margin: 24px 0 8px; font-size: 16.5px; }
        h4 { margin: 18px 0 6px; font-size: 14.5px; color: var(--muted); }
        p { margin: 8px 0; }
        ul, ol { margin: 8px 0; padding-left: 24px; }
        li { margin: 3px 0; }
        code { font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
               background: var(--panel); padding: 1px 4px; border-radius: 3px; }
        pre.code { background: #f3f5f8; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
                   white-space: pre-wrap; word-break: break-word; overflow-wrap: anywhere; }
        pre.code code { background: none; padding: 0; }
        .table-wrap { overflow-x: auto; margin: 10px 0; }
        table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
        th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
        th { background: var(--panel); font-weight: 600; white-space: nowrap; }
        td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(even) td { background: #fafbfc; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 600;
                 letter-spacing: .02em; text-transform: uppercase; color: #fff; background: var(--neutral); white-space: nowrap; }
        .badge.good { background: var(--good); } .badge.warn { background: var(--warn); }
        .badge.bad { background: var(--bad); } .badge.info { background: var(--info); }
        .callout { margin: 10px 0; padding: 10px 14px; border-left: 5px solid var(--neutral); border-radius: 4px; background: var(--panel); }
        .callout.bad { border-color: var(--bad); background: #fdecea; }
        .callout.warn { border-color: var(--warn); background: #fff4e0; }
        .callout.info { border-color: var(--info); background: #eaf1ff; }
        .callout.good { border-color: var(--good); background: #e8f6ee; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 10px; margin: 12px 0; }
        .figure { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; background: var(--panel); }
        .figure .label { color: var(--muted); font-size: 12.5px; }
        .figure .value { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .figure .exact { font-size: 12px; color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
        .figure .note { color: var(--muted); font-size: 12px; }
        section.headline p { font-size: 18px; font-weight: 600; margin: 14px 0; }
        section.agent { border-top: 1px solid var(--line); }
        h2 + section.agent { border-top: 0; }
        table.decisions td:nth-child(2) { min-width: 210px; }
        table.decisions td:last-child { color: var(--muted); font-size: 13px; }
        table.alerts td:nth-child(2) code { white-space: nowrap; }
        section.ev { margin: 10px 0 14px; padding: 2px 0 2px 14px; border-left: 3px solid var(--line); }
        section.ev p { margin: 6px 0; }
        section.evidence h3 { border-top: 1px solid var(--line); padding-top: 14px; }
        @media print {
          html { background: #fff; }
          body { font-size: 10.5pt; }
          main { max-width: none; margin: 0; padding: 0; border: 0; }
          h2 { break-after: avoid; page-break-after: avoid; }
          h3, h4 { break-after: avoid; page-break-after: avoid; }
          tr, .figure, .callout, pre.code { break-inside: avoid; page-break-inside: avoid; }
          section.appendix { break-before: page; page-break-before: always; }
          .badge, .callout, th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """
}
