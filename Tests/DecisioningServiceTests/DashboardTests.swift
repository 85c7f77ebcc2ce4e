import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import DecisioningSynth
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DecisioningService

/// The web dashboard at `/`: signing in and out, the session cookie's flags, CSRF, what each role
/// sees, the pages' own figures, the security headers, and "Run now" following a run to the end.
@Suite(.serialized) struct DashboardTests {
    static let asOf = Day(iso: "2026-11-25")!

    /// A small generated company with one finished run and a key per role.
    struct Company: Sendable {
        let dir: URL
        let application: DecisioningApplication.Application
        let keys: [APIRole: String]
        /// The finished run's results (nil: no run was made).
        let results: RunResults?

        func router() -> Router<APIRequestContext> {
            let coordinator = RunCoordinator(application: application, output: nil)
            return APIRouter.build(state: ServiceState(application: application, coordinator: coordinator))
        }
    }

    /// One company for the tests that only read (generating and running takes a few seconds).
    actor Shared {
        static let shared = Shared()
        private var company: Company?

        func company() async throws -> Company {
            if let company { return company }
            let made = try await DashboardTests.makeCompany(run: true)
            company = made
            return made
        }
    }

    static func makeCompany(run: Bool) async throws -> Company {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dashboard-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let application = try DecisioningApplication.Application.open(
            .sqlite(path: dir.appendingPathComponent("app.sqlite").path), configuration: Configuration())
        _ = try application.generateIfEmpty(GeneratorSpec(scale: 0.02, seed: 7, asOf: asOf))
        var keys: [APIRole: String] = [:]
        for role in APIRole.allCases {
            keys[role] = try application.createAPIKey(name: "web-\(role.rawValue)", role: role, now: Timestamp(seconds: 1_764_000_000))
        }
        let results = run ? try await application.runFlow(asOf: asOf).results : nil
        return Company(dir: dir, application: application, keys: keys, results: results)
    }

    // MARK: - A browser, by hand

    /// Cookies and the page's CSRF token, as a browser would keep them.
    struct Browser {
        var cookies: [String: String] = [:]

        var cookieHeader: String { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

        mutating func keep(_ response: TestResponse) {
            for line in response.headers[values: .setCookie] {
                guard let pair = line.split(separator: ";").first, let eq = pair.firstIndex(of: "=") else { continue }
                let name = String(pair[..<eq]).trimmingCharacters(in: .whitespaces)
                let value = String(pair[pair.index(after: eq)...])
                if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
        }

        mutating func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
            let response = try await client.execute(
                uri: uri, method: .get, headers: cookies.isEmpty ? [:] : [.cookie: cookieHeader], body: nil)
            keep(response)
            return response
        }

        mutating func post(_ client: some TestClientProtocol, _ uri: String, form: [(String, String)]) async throws -> TestResponse {
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            if !cookies.isEmpty { headers[.cookie] = cookieHeader }
            let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(
                separator: "&")
            let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
            keep(response)
            return response
        }

        /// Signs in with `key` through the form; returns the answer to the POST.
        mutating func signIn(_ client: some TestClientProtocol, key: String) async throws -> TestResponse {
            let form = try await get(client, "/sign-in")
            #expect(form.status == .ok)
            let token = try #require(Self.csrf(in: form.text))
            return try await post(client, "/sign-in", form: [("csrf", token), ("key", key)])
        }
    }

    static func csrf(in html: String) -> String? { Browser.csrf(in: html) }

    // MARK: - Signing in

    @Test func signingInWithAKeyOpensASessionWithAStrictHttpOnlyCookie() async throws {
        let company = try await Shared.shared.company()
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            let first = try await browser.get(client, "/")
            #expect(first.status == .seeOther && first.headers[.location] == "/sign-in")

            let signedIn = try await browser.signIn(client, key: try #require(company.keys[.viewer]))
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("decisioning_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/"))
            let id = try #require(browser.cookies["decisioning_session"])
            #expect(id.count >= 43)
            #expect(!cookie.contains(try #require(company.keys[.viewer])))

            let home = try await browser.get(client, "/")
            #expect(home.status == .ok)
            #expect(home.text.contains("web-viewer"))
            #expect(!home.text.contains(try #require(company.keys[.viewer])))
        }
    }

    @Test func aWrongKeyIsRefusedAndNoSessionIsOpened() async throws {
        let company = try await Shared.shared.company()
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            let refused = try await browser.signIn(client, key: "dk_not-a-key")
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains("unknown or revoked"))
            #expect(browser.cookies["decisioning_session"] == nil)
            #expect(try await browser.get(client, "/").status == .seeOther)
        }
    }

    @Test func aRevokedKeyEndsItsSession() async throws {
        let company = try await Self.makeCompany(run: false)
        defer { try? FileManager.default.removeItem(at: company.dir) }
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: try #require(company.keys[.analyst]))
            #expect(try await browser.get(client, "/").status == .ok)
            try company.application.revokeAPIKey(name: "web-analyst", now: Timestamp(seconds: 1_764_000_100))
            try await Task.sleep(for: .seconds(5.5))  // the key cache's lifetime
            let after = try await browser.get(client, "/")
            #expect(after.status == .seeOther && after.headers[.location] == "/sign-in")
        }
    }

    @Test func signingOutNeedsTheTokenAndEndsTheSession() async throws {
        let company = try await Shared.shared.company()
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: try #require(company.keys[.viewer]))
            let home = try await browser.get(client, "/")
            let token = try #require(Self.csrf(in: home.text))
            #expect(try await browser.post(client, "/sign-out", form: []).status == .forbidden)
            #expect(try await browser.get(client, "/").status == .ok)
            let out = try await browser.post(client, "/sign-out", form: [("csrf", token)])
            #expect(out.status == .seeOther && out.headers[.location] == "/sign-in")
            #expect(browser.cookies["decisioning_session"] == nil)
            #expect(try await browser.get(client, "/").status == .seeOther)
        }
    }

    // MARK: - CSRF

    @Test func aPostWithoutTheSessionsTokenIsRefused() async throws {
        let company = try await Shared.shared.company()
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: try #require(company.keys[.admin]))
            let missing = try await browser.post(client, "/runs", form: [])
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("security token"))
            let wrong = try await browser.post(client, "/runs", form: [("csrf", SessionStoreToken.wrong)])
            #expect(wrong.status == .forbidden)
            // The sign-in form's own token: without its cookie, refused too.
            var stranger = Browser()
            let form = try await stranger.get(client, "/sign-in")
            let token = try #require(Self.csrf(in: form.text))
            stranger.cookies = [:]
            let forged = try await stranger.post(client, "/sign-in", form: [("csrf", token), ("key", try #require(company.keys[.admin]))])
            #expect(forged.status == .forbidden)
            #expect(stranger.cookies["decisioning_session"] == nil)
            #expect(try company.application.listRuns().count == 1)
        }
    }

    // MARK: - Roles

    @Test func aViewerSeesNoRunNowAndCannotStartARun() async throws {
        let company = try await Shared.shared.company()
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var viewer = Browser()
            _ = try await viewer.signIn(client, key: try #require(company.keys[.viewer]))
            for page in ["/", "/dashboard", "/runs/\(try #require(company.results).run.runId)"] {
                let response = try await viewer.get(client, page)
                #expect(response.status == .ok, "\(page)")
                #expect(!response.text.contains("Run now"), "\(page)")
                #expect(!response.text.contains("action=\"/runs\""), "\(page)")
            }
            let token = try #require(Self.csrf(in: try await viewer.get(client, "/").text))
            let refused = try await viewer.post(client, "/runs", form: [("csrf", token)])
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("analyst role"))

            var analyst = Browser()
            _ = try await analyst.signIn(client, key: try #require(company.keys[.analyst]))
            for page in ["/", "/dashboard"] {
                let response = try await analyst.get(client, page)
                #expect(response.text.contains("Run now") && response.text.contains("action=\"/runs\""), "\(page)")
            }
        }
    }

    // MARK: - Pages

    @Test func thePagesShowTheRunsOwnFigures() async throws {
        let company = try await Shared.shared.company()
        let results = try #require(company.results)
        let runId = results.run.runId
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: try #require(company.keys[.viewer]))

            // The history: the run, its health score and total expected impact, in the table and the chart.
            let point = RunHistoryPoint(results)
            let home = try await browser.get(client, "/")
            #expect(home.text.contains("data-run=\"\(runId)\""))
            #expect(home.text.contains(ReportFragments.score(point.healthScore)))
            #expect(home.text.contains(HTMLText.escape(ReportFragments.moneyShort(point.totalImpact))))
            #expect(home.text.contains("<svg") && home.text.contains("health score " + ReportFragments.score(point.healthScore)))
            #expect(point.healthScore != nil && !results.decisions.isEmpty)

            // The run's dashboard: the same panels as dashboard.html, with decision links.
            let dashboard = try await browser.get(client, "/dashboard")
            #expect(dashboard.status == .ok)
            let standalone = ReportRenderer.dashboard(results)
            for decision in results.decisions {
                #expect(dashboard.text.contains("href=\"/runs/\(runId)/decisions/\(decision.id)\""))
                #expect(standalone.contains(HTMLText.escape(ReportFragments.moneyShort(decision.expectedImpact))))
                #expect(dashboard.text.contains(HTMLText.escape(ReportFragments.moneyShort(decision.expectedImpact))))
            }
            #expect(dashboard.text.contains(HTMLText.escape(results.run.runId)))
            #expect(!dashboard.text.contains("<style"))
            #expect(dashboard.text.contains("<link rel=\"stylesheet\" href=\"/assets/report.css\""))
            let byId = try await browser.get(client, "/runs/\(runId)")
            #expect(byId.text == dashboard.text.replacingOccurrences(of: "Latest dashboard (run \(runId))", with: "Run \(runId)"))

            // A decision: its evidence, figures and SQL.
            let decision = try #require(results.decisions.first { !$0.evidence.isEmpty })
            let page = try await browser.get(client, "/runs/\(runId)/decisions/\(decision.id)")
            #expect(page.status == .ok)
            #expect(page.text.contains(HTMLText.escape(ReportFragments.money(decision.expectedImpact))))
            for evidence in decision.evidence {
                #expect(page.text.contains(HTMLText.escape(evidence.analysis)))
                for figure in evidence.figures { #expect(page.text.contains(HTMLText.escape(figure.figure.formatted))) }
                if let sql = evidence.sql { #expect(page.text.contains(HTMLText.escape(sql))) }
            }
            #expect(page.text.contains("<pre class=\"code\">"))
            #expect(try await browser.get(client, "/runs/\(runId)/decisions/nope").status == .notFound)
            #expect(try await browser.get(client, "/runs/no-such-run").status == .notFound)

            // The finished run's progress page says so, without a script or a reload.
            let progress = try await browser.get(client, "/runs/\(runId)/progress")
            #expect(progress.text.contains("data-state=\"finished\""))
            #expect(progress.text.contains("Finished: \(results.run.status.rawValue)"))
            #expect(!progress.text.contains("http-equiv=\"refresh\""))
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeadersAndNoInlineScript() async throws {
        let company = try await Shared.shared.company()
        let runId = try #require(company.results).run.runId
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            let signIn = try await browser.get(client, "/sign-in")
            _ = try await browser.signIn(client, key: try #require(company.keys[.analyst]))
            var answers = [signIn]
            for page in [
                "/", "/dashboard", "/alerts", "/ask?q=revenue+by+industry+last+quarter", "/runs/\(runId)", "/runs/\(runId)/progress",
                "/runs/nope", "/assets/progress.js",
            ] {
                answers.append(try await browser.get(client, page))
            }
            for answer in answers {
                let csp = try #require(answer.headers[.contentSecurityPolicy])
                #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'none'"))
                #expect(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"))
                #expect(answer.headers[.xContentTypeOptions] == "nosniff")
                guard answer.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                // No inline script, no event-handler attribute, no style element or attribute, nothing from elsewhere.
                #expect(answer.text.components(separatedBy: "<script").dropFirst().allSatisfy { $0.hasPrefix(" src=\"/assets/") })
                #expect(answer.text.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil)
                #expect(!answer.text.contains("<style"))
                let styled = answer.text.range(of: #"\sstyle\s*="#, options: .regularExpression)
                #expect(styled == nil, "a style attribute in \(answer.text.prefix(80))")
                #expect(!answer.text.contains("http://") && !answer.text.contains("https://"))
            }
            for asset in ["/assets/report.css", "/assets/web.css", "/assets/progress.js"] {
                let response = try await client.execute(uri: asset, method: .get)
                #expect(response.status == .ok && !response.text.isEmpty)
                #expect(!response.text.contains("http://") && !response.text.contains("https://"))
            }
        }
    }

    // MARK: - Run now

    @Test func runNowStartsARunWhoseProgressReachesFinished() async throws {
        let company = try await Self.makeCompany(run: false)
        defer { try? FileManager.default.removeItem(at: company.dir) }
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: try #require(company.keys[.analyst]))
            let empty = try await browser.get(client, "/dashboard")
            #expect(empty.text.contains("No dashboard yet"))
            let token = try #require(Self.csrf(in: empty.text))
            #expect(try await browser.post(client, "/runs", form: [("csrf", token), ("as_of", "25/11/2026")]).status == .badRequest)

            let started = try await browser.post(client, "/runs", form: [("csrf", token), ("as_of", Self.asOf.iso)])
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/runs/") && location.hasSuffix("/progress"))
            let runId = String(location.dropFirst("/runs/".count).dropLast("/progress".count))

            // While it runs: the page loads the script and, without scripts, reloads itself.
            let progress = try await browser.get(client, location)
            #expect(progress.status == .ok)
            if progress.text.contains("data-state=\"running\"") {
                #expect(progress.text.contains("<script src=\"/assets/progress.js\" defer"))
                #expect(progress.text.contains("<noscript><meta http-equiv=\"refresh\" content=\"2\""))
                let busy = try await browser.post(client, "/runs", form: [("csrf", token)])
                #expect(busy.status == .conflict && busy.text.contains("/runs/\(runId)/progress"))
            }

            // The events, with the session cookie (no key): every agent, then run.finished.
            let events = try await browser.get(client, "/runs/\(runId)/events")
            #expect(events.status == .ok && events.headers[.contentType] == "text/event-stream")
            #expect(events.text.contains("event: run.finished"))
            for agent in AgentRegistry.standard.names { #expect(events.text.contains("\"agent\":\"\(agent)\"")) }
            var anonymous = Browser()
            #expect(try await anonymous.get(client, "/runs/\(runId)/events").status == .seeOther)

            let finished = try await browser.get(client, location)
            #expect(finished.text.contains("data-state=\"finished\""))
            #expect(finished.text.contains("Open the run&#39;s dashboard"))
            let record = try #require(try company.application.runRecord(id: runId))
            #expect(record.status?.isFinished == true && record.asOf == Self.asOf)
            let dashboard = try await browser.get(client, "/runs/\(runId)")
            #expect(dashboard.status == .ok && dashboard.text.contains(runId))
        }
    }

    // MARK: - The OpenAPI document

    @Test func theOpenAPIDocumentListsThePagesAndEveryRouteOfTheRouter() async throws {
        let company = try await Shared.shared.company()
        let router = company.router()
        try router.validate()
        let document = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.text.utf8)) as? [String: Any]
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        let pages: [(String, String)] = [
            ("/", "get"), ("/sign-in", "get"), ("/sign-in", "post"), ("/sign-out", "post"), ("/dashboard", "get"), ("/runs", "post"),
            ("/runs/{id}", "get"), ("/runs/{id}/progress", "get"), ("/runs/{id}/events", "get"), ("/runs/{id}/decisions/{decision}", "get"),
            ("/ask", "get"),
            ("/assets/report.css", "get"), ("/assets/web.css", "get"), ("/assets/progress.js", "get"),
        ]
        for (path, method) in pages { #expect(paths[path]?[method] != nil, "\(method) \(path)") }
        #expect(router.routes.count > pages.count + 10)
        for route in router.routes {
            let path = "/" + route.path.description.split(separator: "/").joined(separator: "/")
            #expect(paths[path]?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not in openapi.json")
        }
    }

    // MARK: - Sessions and tokens

    @Test func aSessionExpiresAndClosesAndItsTokensAreRandom() async throws {
        let company = try await Shared.shared.company()
        let token = try #require(company.keys[.viewer])
        let key = try #require(try company.application.authenticateAPIKey(token))
        let store = SessionStore(lifetime: .seconds(60))
        let now = ContinuousClock.now
        let session = store.open(token: "dk_x", key: key, now: now)
        #expect(session.id != session.csrf && session.id.count == 43 && session.csrf.count == 43)
        #expect(store.session(id: session.id, now: now + .seconds(59))?.id == session.id)
        #expect(store.session(id: session.id, now: now + .seconds(61)) == nil)
        let other = store.open(token: "dk_x", key: key, now: now)
        store.close(id: other.id)
        #expect(store.session(id: other.id, now: now) == nil)
        // Full: the session that expires first makes room.
        let full = SessionStore(lifetime: .seconds(60), capacity: 3)
        let ids = (0..<4).map { i in full.open(token: "dk_\(i)", key: key, now: now + .seconds(Double(i))).id }
        #expect(full.session(id: ids[0], now: now + .seconds(4)) == nil)
        #expect(ids.dropFirst().allSatisfy { full.session(id: $0, now: now + .seconds(4)) != nil })
        #expect(Set((0..<100).map { _ in SessionStore.randomToken() }).count == 100)
    }

    @Test func tokensAreComparedWhole() {
        #expect(ConstantTime.equal("abc", "abc"))
        #expect(!ConstantTime.equal("abc", "abd") && !ConstantTime.equal("abc", "ab") && !ConstantTime.equal("", ""))
        #expect(FormBody.parse("csrf=a%2Bb&key=dk_1+2&csrf=second&empty") == ["csrf": "a+b", "key": "dk_1 2", "empty": ""])
    }
}

/// A token no session has.
enum SessionStoreToken {
    static let wrong = String(repeating: "A", count: 43)
}

extension DashboardTests.Browser {
    /// The value of the first hidden `csrf` field of a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="([A-Za-z0-9_-]+)""#, options: .regularExpression) else { return nil }
        let match = html[range]
        guard let start = match.range(of: "value=\"") else { return nil }
        return String(match[start.upperBound...].dropLast())
    }
}
