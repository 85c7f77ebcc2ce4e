import Plot

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
        HTMLPage.render(
            .report, title: title,
            header: .header(.cls("title"), .h1(.plain(title)), .p(.cls("subtitle"), .plain(subtitle))),
            content: Self.nodes(blocks))
    }

    /// Blocks in order; `sectionStart` / `sectionEnd` open and close `<section>`s around the blocks between them.
    static func nodes(_ blocks: [Block]) -> [BodyNode] {
        var stack: [(cssClass: String, nodes: [BodyNode])] = [("", [])]
        func close() {
            let section = stack.removeLast()
            stack[stack.count - 1].nodes.append(.section(.cls(section.cssClass), .group(section.nodes)))
        }
        for block in blocks {
            switch block {
            case .sectionStart(let cssClass):
                stack.append((cssClass, []))
            case .sectionEnd:
                if stack.count > 1 { close() }
            default:
                stack[stack.count - 1].nodes.append(Self.html(block))
            }
        }
        while stack.count > 1 { close() }
        return stack[0].nodes
    }

    static func html(_ block: Block) -> BodyNode {
        switch block {
        case .sectionStart, .sectionEnd:
            return .empty
        case .heading(let level, let text, let anchor):
            let nodes: [BodyNode] = [anchor.map { .attr("id", $0) } ?? .empty, .plain(text)]
            switch max(2, min(6, level)) {
            case 2: return .h2(.group(nodes))
            case 3: return .h3(.group(nodes))
            case 4: return .h4(.group(nodes))
            case 5: return .h5(.group(nodes))
            default: return .h6(.group(nodes))
            }
        case .paragraph(let inlines):
            return .p(.group(html(inlines)))
        case .list(let items, let ordered):
            let lis = items.map { Node<HTML.ListContext>.li(.group(html($0))) }
            return ordered ? .ol(.group(lis)) : .ul(.group(lis))
        case .table(let table):
            return html(table)
        case .code(let language, let text):
            return .pre(.cls("code"), .code(.cls("language-" + language), .plain(text)))
        case .callout(let tone, let inlines):
            return .div(.cls("callout " + tone.rawValue), .group(html(inlines)))
        case .keyFigures(let figures):
            return .div(
                .cls("figures"),
                .group(
                    figures.map { figure in
                        .div(
                            .cls("figure"),
                            .div(.cls("label"), .plain(figure.label)),
                            .div(.cls("value"), .plain(figure.short ?? figure.value)),
                            figure.short == nil ? .empty : .div(.cls("exact"), .plain(figure.value)),
                            figure.note.map { .div(.cls("note"), .plain($0)) } ?? .empty)
                    }))
        }
    }

    static func html(_ inlines: [Inline]) -> [BodyNode] {
        inlines.map { inline -> BodyNode in
            switch inline {
            case .text(let s): return .plain(s)
            case .strong(let s): return .strong(.plain(s))
            case .emphasis(let s): return .em(.plain(s))
            case .code(let s): return .code(.plain(s))
            case .badge(let s, let tone): return .span(.cls("badge " + tone.rawValue), .plain(s))
            }
        }
    }

    static func html(_ table: Table) -> BodyNode {
        func numeric(_ column: Column) -> Node<HTML.BodyContext> { column.numeric ? .cls("num") : .empty }
        return .div(
            .cls("table-wrap"),
            .table(
                .cls(table.cssClass),
                .thead(.tr(.group(table.columns.map { column in .th(numeric(column), .plain(column.title)) }))),
                .tbody(
                    .group(
                        table.rows.map { row in
                            .tr(
                                .group(
                                    table.columns.enumerated().map { i, column in
                                        .td(numeric(column), .group(i < row.count ? html(row[i]) : []))
                                    }))
                        }))))
    }
}
