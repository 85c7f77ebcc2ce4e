import Plot

/// `/sign-in`: a form for an API key. The key is posted once, never put in a page or a URL; the
/// form carries the token of its own CSRF cookie (there is no session yet).
enum SignInPage {
    static func render(csrf: String, message: String?) -> String {
        WebLayout.page(
            title: "Sign in", session: nil,
            [
                .section(
                    .cls("panel signin"),
                    .h1(.plain("Sign in")),
                    .p(
                        .cls("sub"),
                        .plain(
                            "Sign in with an API key. A viewer key reads runs and decisions; an analyst or admin key can also start runs. Create one with "
                        ),
                        .code(.plain("decisioning keys create --role viewer --name NAME")), .plain(".")),
                    message.map { .p(.cls("error"), .attr("role", "alert"), .plain($0)) } ?? .empty,
                    .form(
                        .attr("method", "post"), .attr("action", "/sign-in"),
                        .void("input", [("type", "hidden"), ("name", "csrf"), ("value", csrf)]),
                        .el("label", .attr("for", "key"), .plain("API key")),
                        .void(
                            "input",
                            [
                                ("type", "password"), ("id", "key"), ("name", "key"), ("autocomplete", "off"), ("required", "required"),
                                ("spellcheck", "false"),
                            ]),
                        .el("button", .attr("type", "submit"), .cls("primary"), .plain("Sign in"))))
            ])
    }
}
