import Foundation
import Plot

/// Markup by construction: report.html and dashboard.html are Plot node trees (`HTML`, `Node`),
/// and their charts are SVG elements in the same trees.
///
/// Text and attribute values go in only through `.plain(_:)` and `.attr(_:_:)` (and `SVG.element`,
/// built on them), which escape `&`, `<`, `>`, `"` and `'` and replace control characters. They are
/// used instead of Plot's `.text(_:)` (which keeps entity-like `&name;` sequences and quotes) and its
/// attribute modifiers (which write values as given). `escaped(_:)` below is the one place the HTML
/// and SVG builders escape.
typealias BodyNode = Node<HTML.BodyContext>

/// Text or an attribute value as markup: `&`, `<`, `>`, `"` and `'` escaped, control characters as spaces.
private func escaped(_ text: String) -> String { HTMLText.escape(text) }

extension Node {
    /// Text content, escaped.
    static func plain(_ text: String) -> Node { .raw(escaped(text)) }

    /// An attribute with an escaped value; left out when the value is empty.
    static func attr(_ name: String, _ value: String) -> Node { .attribute(named: name, value: escaped(value)) }

    /// The `class` attribute.
    static func cls(_ value: String) -> Node { .attr("class", value) }
}

/// The one page skeleton of report.html and dashboard.html: doctype, `<html lang class>`, the
/// meta tags, the title, the stylesheet inline in `<style>`, and `<main>` with the page's header,
/// content and footer. No scripts, nothing fetched.
enum HTMLPage {
    /// Which page: the `class` of `<html>`, which scopes the page's rules in report.css.
    enum Kind: String {
        case report, dashboard
    }

    static func render(_ kind: Kind, title: String, header: BodyNode, content: [BodyNode], footer: BodyNode = .empty) -> String {
        let page = HTML(
            .attr("lang", "en"),
            .cls(kind.rawValue),
            .head(
                .meta(.attribute(named: "charset", value: "utf-8")),
                .meta(
                    .attribute(named: "name", value: "viewport"), .attribute(named: "content", value: "width=device-width, initial-scale=1")
                ),
                .element(named: "title", nodes: [.plain(title)]),
                .style(stylesheet)),
            .body(.main(header, .group(content), footer)))
        return page.render() + "\n"
    }

    /// Sources/DecisioningAgents/Output/Resources/report.css, compiled into the binary.
    static let stylesheet = "\n" + String(decoding: PackageResources.report_css, as: UTF8.self)
}

/// A tiny SVG builder on the same nodes: elements with attributes (escaped by `.attr`), children
/// and text (escaped by `.plain`).
enum SVG {
    /// An element; attributes whose value is nil are left out.
    static func element(_ name: String, _ attributes: [(String, String?)], _ children: [BodyNode] = []) -> BodyNode {
        .element(named: name, nodes: attributes.compactMap { name, value in value.map { BodyNode.attr(name, $0) } } + children)
    }

    /// A `<title>` (the tooltip of its parent), or nothing for a nil or empty title.
    static func title(_ text: String?) -> BodyNode {
        guard let text, !text.isEmpty else { return .empty }
        return .element(named: "title", nodes: [.plain(text)])
    }
}
