import HTTPTypes

/// Why a page of the web dashboard could not be shown, answered as an HTML page (or, for
/// `signInNeeded`, a redirect to the sign-in form) by `WebErrorMiddleware`.
struct WebError: Error, Sendable, CustomStringConvertible {
    var status: HTTPResponse.Status
    var title: String
    /// What happened and what to do about it.
    var message: String
    /// A link that helps (the run's progress, say).
    var link: (href: String, text: String)?

    init(status: HTTPResponse.Status, title: String, message: String, link: (href: String, text: String)? = nil) {
        self.status = status
        self.title = title
        self.message = message
        self.link = link
    }

    var description: String { "\(status.code) \(title): \(message)" }

    /// Not signed in (or the session ended): pages redirect to the sign-in form.
    static let signInNeeded = WebError(
        status: .seeOther, title: "Sign in", message: "sign in with an API key (`decisioning keys create --role viewer --name NAME`)")

    /// A POST without the session's CSRF token.
    static let csrfRefused = WebError(
        status: .forbidden, title: "Form refused",
        message:
            "the form did not carry this session's security token (it may be from an older page or another site); reload the page and submit it again"
    )

    static func role(_ needed: String, has: String) -> WebError {
        WebError(
            status: .forbidden, title: "Not allowed",
            message: "this needs a key with the \(needed) role or above; you signed in with a \(has) key. Sign in with another key.")
    }
}
