import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation
import Hummingbird

/// The web dashboard at `/`: sign in with a key, the run history, a run's dashboard, a decision's
/// page, the alerts inbox (`WebRoutes+Alerts.swift`), the ask box (`WebRoutes+Ask.swift`), "Run now" with live progress. Pages are rendered on the server (Plot) and readable without
/// scripts; every answer carries the security headers (`SecurityHeadersMiddleware`) and errors are
/// pages (`WebErrorMiddleware`). A session is a cookie; every POST carries the session's CSRF token.
struct WebRoutes {
    let state: ServiceState
    let sessions: SessionStore
    let history: RunHistory

    /// How many runs the history shows.
    static let historyLimit = 30

    init(state: ServiceState, sessions: SessionStore = SessionStore(), history: RunHistory = RunHistory()) {
        self.state = state
        self.sessions = sessions
        self.history = history
    }

    func add(to router: Router<APIRequestContext>) {
        let web = router.group().add(middleware: SecurityHeadersMiddleware()).add(middleware: WebErrorMiddleware())
        web.get("/", use: home)
        web.get("sign-in", use: signInForm)
        web.post("sign-in", use: signIn)
        web.post("sign-out", use: signOut)
        web.get("dashboard", use: latest)
        web.post("runs", use: runNow)
        web.get("runs/:id", use: run)
        web.get("runs/:id/progress", use: progress)
        web.get("runs/:id/events", use: events)
        web.get("runs/:id/decisions/:decision", use: decision)
        web.get("alerts", use: alerts)
        web.post("alerts/:id/acknowledge", use: acknowledgeAlert)
        web.post("alerts/:id/resolve", use: resolveAlert)
        web.get("ask", use: ask)
        for asset in WebAssets.all {
            web.get(RouterPath(asset.path)) { _, _ in WebAssets.response(contentType: asset.contentType, body: asset.body) }
        }
    }

    // MARK: - Signing in and out

    @Sendable func signInForm(_ request: Request, context: APIRequestContext) async throws -> Response {
        if (try? await session(request)) != nil { return Self.redirect("/") }
        return signInPage(message: nil, status: .ok)
    }

    @Sendable func signIn(_ request: Request, context: APIRequestContext) async throws -> Response {
        let fields = try await FormBody.fields(of: request)
        guard let expected = request.cookies[SessionStore.signInCookieName]?.value, ConstantTime.equal(fields["csrf"] ?? "", expected)
        else {
            throw WebError(
                status: .forbidden, title: "Form refused",
                message:
                    "the sign-in form did not carry its security token (cookies may be off, or the form is old); open the sign-in page again",
                link: ("/sign-in", "Sign in"))
        }
        let token = (fields["key"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, token.count <= 200, let key = try await state.keys.authenticate(token) else {
            context.logger.notice("sign-in refused")
            return signInPage(
                message: "That key is unknown or revoked. Check it, or create one with `decisioning keys create`.", status: .unauthorized)
        }
        let session = sessions.open(token: token, key: key)
        context.logger.info("signed in", metadata: ["api.key": "\(key.name)"])
        var response = Self.redirect("/")
        response.setCookie(sessionCookie(session.id, maxAge: sessions.maxAgeSeconds))
        response.setCookie(
            Cookie(name: SessionStore.signInCookieName, value: "", maxAge: 0, path: "/sign-in", httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func signOut(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        try await checkCSRF(request, session: session)
        sessions.close(id: session.id)
        var response = Self.redirect("/sign-in")
        response.setCookie(sessionCookie("", maxAge: 0))
        return response
    }

    func signInPage(message: String?, status: HTTPResponse.Status) -> Response {
        let csrf = SessionStore.randomToken()
        var response = Self.html(SignInPage.render(csrf: csrf, message: message), status: status)
        response.setCookie(
            Cookie(name: SessionStore.signInCookieName, value: csrf, maxAge: 3600, path: "/sign-in", httpOnly: true, sameSite: .strict))
        return response
    }

    func sessionCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: SessionStore.cookieName, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .strict)
    }

    // MARK: - Pages

    @Sendable func home(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        let application = state.application
        let runs = try await BlockingPool.shared.run("list runs") { _ in try application.listRuns(limit: Self.historyLimit, after: nil) }
        let points = try await history.points(of: runs, application: application)
        let active = await state.coordinator.activeRunId
        return Self.html(HistoryPage.render(session: session, runs: runs, points: points, activeRunId: active))
    }

    @Sendable func latest(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        let application = state.application
        let active = await state.coordinator.activeRunId
        guard let id = try await BlockingPool.shared.run("find the latest run", { _ in try application.latestDecidedRunId() }) else {
            return Self.html(RunPage.none(session: session, activeRunId: active))
        }
        let results = try await RunRoutes(state: state).finishedResults(id).results
        return Self.html(RunPage.render(session: session, results: results, latest: true, activeRunId: active))
    }

    @Sendable func run(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        let record = try await runRecord(context)
        guard record.status?.isFinished == true else { return Self.redirect("/runs/\(record.runId)/progress") }
        let results = try await RunRoutes(state: state).finishedResults(record.runId).results
        let active = await state.coordinator.activeRunId
        return Self.html(RunPage.render(session: session, results: results, latest: false, activeRunId: active))
    }

    @Sendable func decision(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        let record = try await runRecord(context)
        let results = try await RunRoutes(state: state).finishedResults(record.runId).results
        let id = context.parameters.get("decision") ?? ""
        guard let decision = results.decisions.first(where: { $0.id == id }), let fragment = ReportFragments.decision(results, id: id)
        else {
            throw WebError(
                status: .notFound, title: "No such decision",
                message: "run \(record.runId) has no decision '\(TerminalText.quoted(id))'; its dashboard lists its decisions",
                link: ("/runs/\(record.runId)", "The run's dashboard"))
        }
        return Self.html(DecisionPage.render(session: session, results: results, decision: decision, fragment: fragment))
    }

    @Sendable func progress(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        let record = try await runRecord(context)
        let application = state.application
        let events = try await BlockingPool.shared.run("read a run's events") { _ in try application.runEvents(runId: record.runId) }
        return Self.html(ProgressPage.render(session: session, run: record, events: events, agents: AgentRegistry.standard.names))
    }

    /// The run's events as server-sent events, as `/api/v1/runs/{id}/events` sends them, for the
    /// progress page's script: authenticated by the session cookie, so no key is in the page.
    @Sendable func events(_ request: Request, context: APIRequestContext) async throws -> Response {
        _ = try await session(request)
        let record = try await runRecord(context)
        return try await RunRoutes(state: state).eventStream(runId: record.runId, request: request)
    }

    // MARK: - Run now

    @Sendable func runNow(_ request: Request, context: APIRequestContext) async throws -> Response {
        let session = try await session(request)
        let fields = try await checkCSRF(request, session: session)
        guard session.may(.analyst) else { throw WebError.role(APIRole.analyst.rawValue, has: session.role.rawValue) }
        try state.limiter.take(session.key.name)
        var asOf: Day?
        if let text = fields["as_of"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard text.count == 10, let day = Day(iso: text) else {
                throw WebError(
                    status: .badRequest, title: "Not a date",
                    message: "the as-of date must be YYYY-MM-DD, found '\(TerminalText.quoted(text))'",
                    link: ("/", "Back to the runs"))
            }
            asOf = day
        }
        do {
            let record = try await state.coordinator.start(asOf: asOf, trigger: "web:\(session.key.name)")
            return Self.redirect("/runs/\(record.runId)/progress")
        } catch RunCoordinatorError.runInProgress(let id) {
            throw WebError(
                status: .conflict, title: "A run is under way",
                message: "run \(id) is in progress on this database; runs never overlap. Follow it, then start another",
                link: ("/runs/\(id)/progress", "Follow run \(id)"))
        } catch let error as RunCoordinatorError {
            throw WebError(status: .serviceUnavailable, title: "Cannot start a run", message: error.description)
        }
    }

    // MARK: - Helpers

    /// The request's live session, its key checked again (a revoked key ends the session).
    /// - Throws: `WebError.signInNeeded`.
    func session(_ request: Request) async throws -> WebSession {
        guard let id = request.cookies[SessionStore.cookieName]?.value, !id.isEmpty, var session = sessions.session(id: id) else {
            throw WebError.signInNeeded
        }
        guard let key = try await state.keys.authenticate(session.token) else {
            sessions.close(id: id)
            throw WebError.signInNeeded
        }
        session.key = key
        return session
    }

    /// The form's fields, once its CSRF token is the session's.
    /// - Throws: 403 without the token or with another.
    @discardableResult
    func checkCSRF(_ request: Request, session: WebSession) async throws -> [String: String] {
        let fields = try await FormBody.fields(of: request)
        guard ConstantTime.equal(fields["csrf"] ?? "", session.csrf) else { throw WebError.csrfRefused }
        return fields
    }

    func runRecord(_ context: APIRequestContext) async throws -> RunRecord {
        let id = try RunRoutes.runId(context)
        let application = state.application
        guard let record = try await BlockingPool.shared.run("read a run", { _ in try application.runRecord(id: id) }) else {
            throw WebError(
                status: .notFound, title: "No such run",
                message: "no run '\(TerminalText.quoted(id))' in this database; the runs page lists them",
                link: ("/", "The runs"))
        }
        return record
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func redirect(_ location: String) -> Response { Response(status: .seeOther, headers: [.location: location]) }
}
