/// The run's human-facing outputs, rendered from its `RunResults`.
///
/// - `report.md`: the executive report (headline, key numbers, top decisions, risks, next steps,
///   a short section per agent, the alerts, and an appendix with each decision's evidence and SQL).
/// - `report.html`: the same report as one self-contained, print-friendly HTML page.
/// - `dashboard.html`: one self-contained page with KPI tiles and inline SVG charts.
///
/// Rendering is pure and deterministic: the same `RunResults` gives the same bytes (nothing about
/// the time of rendering, no generated ids). The HTML pages have no scripts and load nothing:
/// CSS (Resources/report.css, compiled into the binary) and SVG are inline, fonts are the system's.
/// Both pages are Plot node trees in one skeleton (`HTMLPage`); text and attributes are escaped by
/// construction (`Markup.swift`).
public enum ReportRenderer {
    /// The file names the outputs are written under.
    public static let markdownFileName = "report.md"
    public static let htmlFileName = "report.html"
    public static let dashboardFileName = "dashboard.html"

    /// `report.md`: the executive report in GitHub-flavoured Markdown.
    public static func markdown(_ results: RunResults) -> String {
        ReportBuilder(results).document().markdown()
    }

    /// `report.html`: the executive report as one self-contained HTML page.
    public static func html(_ results: RunResults) -> String {
        ReportBuilder(results).document().html()
    }

    /// `dashboard.html`: KPI tiles, charts and tables as one self-contained HTML page.
    public static func dashboard(_ results: RunResults) -> String {
        DashboardBuilder(results).html()
    }

    /// All three outputs as (configuration format, file name, contents), in a fixed order; the
    /// formats are those of `output.formats` (`markdown`, `html`, `dashboard`).
    public static func outputs(_ results: RunResults) -> [(format: String, name: String, content: String)] {
        [
            ("markdown", markdownFileName, markdown(results)),
            ("html", htmlFileName, html(results)),
            ("dashboard", dashboardFileName, dashboard(results)),
        ]
    }
}
