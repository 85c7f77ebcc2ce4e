import DecisioningAgents
import Hummingbird

/// The files the web dashboard's pages load, compiled into the binary: the run dashboard's
/// stylesheet (shared with dashboard.html), the dashboard's own rules, and the script that follows
/// a run's progress. Nothing else is fetched: no CDN, no web fonts.
enum WebAssets {
    static let reportCSSPath = "/assets/report.css"
    static let webCSSPath = "/assets/web.css"
    static let progressJSPath = "/assets/progress.js"

    static let webCSS = String(decoding: PackageResources.web_css, as: UTF8.self)
    static let progressJS = String(decoding: PackageResources.progress_js, as: UTF8.self)

    /// Each asset by path: (content type, content).
    static let all: [(path: String, contentType: String, body: String)] = [
        (reportCSSPath, "text/css; charset=utf-8", ReportFragments.stylesheet),
        (webCSSPath, "text/css; charset=utf-8", webCSS),
        (progressJSPath, "text/javascript; charset=utf-8", progressJS),
    ]

    static func response(contentType: String, body: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
