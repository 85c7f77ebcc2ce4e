import DecisioningAgents
import Plot

/// The web pages' markup helpers: text and attribute values go in escaped (`HTMLText.escape`, the
/// escaping of report.html and dashboard.html), never through Plot's `.text` or attribute modifiers.
typealias WebNode = Node<HTML.BodyContext>

extension Node {
    /// Text content, escaped.
    static func plain(_ text: String) -> Node { .raw(HTMLText.escape(text)) }

    /// An attribute with an escaped value.
    static func attr(_ name: String, _ value: String) -> Node {
        .attribute(named: name, value: HTMLText.escape(value), ignoreIfValueIsEmpty: false)
    }

    /// The `class` attribute.
    static func cls(_ value: String) -> Node { .attr("class", value) }

    /// An element by name with children (for elements whose Plot context would not nest).
    static func el(_ name: String, _ nodes: Node...) -> Node { .element(named: name, nodes: nodes) }

    /// A self-closed element (`input`, `meta`, `link`) with attributes.
    static func void(_ name: String, _ attributes: [(String, String)]) -> Node {
        .selfClosedElement(
            named: name,
            attributes: attributes.map { Attribute<Context>(name: $0.0, value: HTMLText.escape($0.1), ignoreIfValueIsEmpty: false) })
    }
}
