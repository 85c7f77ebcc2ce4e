import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DecisioningService

/// The dashboard's alerts inbox: the tabs list what the database holds, analysts acknowledge and
/// resolve from the page (with the session's CSRF token), viewers only read, and a form returns to
/// its own list and never elsewhere.
@Suite(.serialized) struct WebAlertsTests {
    typealias Browser = DashboardTests.Browser

    /// A company without runs, three planted alerts (one critical, two medium) and a key per role.
    static func company() async throws -> DashboardTests.Company {
        let company = try await DashboardTests.makeCompany(run: false)
        let time = Timestamp(seconds: 1_764_000_000)
        let alerts = [
            Alert(
                id: "A-1", severity: .critical, rule: "cost_overrun", message: "P-1 overruns by 40%", entityType: "project", entityId: "P-1"
            ),
            Alert(
                id: "A-2", severity: .medium, rule: "cost_overrun", message: "P-2 overruns by 12%", entityType: "project", entityId: "P-2"),
            Alert(id: "A-3", severity: .medium, rule: "late_payment", message: "C-9 pays late", entityType: "customer", entityId: "C-9"),
        ]
        try company.application.recordAlerts(runId: "r-planted", status: .succeeded, alerts: alerts, at: time)
        return company
    }

    static func id(_ rule: String, _ type: String, _ entity: String) -> String {
        AlertFingerprint.of(rule: rule, entityType: type, entityId: entity)
    }

    static func listedIds(_ html: String) -> [String] {
        html.components(separatedBy: "data-alert=\"").dropFirst().compactMap { $0.split(separator: "\"").first.map(String.init) }
    }

    @Test func theTabsListTheStoredAlertsAndAViewerSeesNoButtons() async throws {
        let company = try await Self.company()
        defer { try? FileManager.default.removeItem(at: company.dir) }
        let app = Hummingbird.Application(router: company.router())
        try await app.test(.router) { client in
            var browser = Browser()
            #expect(try await browser.get(client, "/alerts").headers[.location] == "/sign-in")
            _ = try await browser.signIn(client, key: try #require(company.keys[.viewer]))
            let page = try await browser.get(client, "/alerts")
            #expect(page.status == .ok)
            #expect(
                Set(Self.listedIds(page.text)) == [
                    Self.id("cost_overrun", "project", "P-1"), Self.id("cost_overrun", "project", "P-2"),
                    Self.id("late_payment", "customer", "C-9"),
                ])
            #expect(page.text.contains("P-1 overruns by 40%") && page.text.contains("href=\"/alerts\""))
            #expect(!page.text.contains("/acknowledge") && !page.text.contains("/resolve\""), "a viewer has no buttons")

            let critical = try await browser.get(client, "/alerts?state=active&severity=critical")
            #expect(Self.listedIds(critical.text) == [Self.id("cost_overrun", "project", "P-1")])
            #expect(Self.listedIds(try await browser.get(client, "/alerts?state=resolved").text).isEmpty)
            #expect(try await browser.get(client, "/alerts?state=resolved").text.contains("No alert in this state"))

            let bad = try await browser.get(client, "/alerts?state=closed")
            #expect(bad.status == .badRequest && bad.text.contains("active, open, acknowledged, resolved, all"))
            #expect(try await browser.get(client, "/alerts?severity=urgent").status == .badRequest)
            #expect(try await browser.get(client, "/alerts?cursor=nonsense").status == .badRequest)

            let token = try #require(DashboardTests.csrf(in: page.text))
            let refused = try await browser.post(
                client, "/alerts/\(Self.id("cost_overrun", "project", "P-1"))/acknowledge", form: [("csrf", token)])
            #expect(refused.status == .forbidden && refused.text.contains("analyst role"))
            #expect(try company.application.alert(id: Self.id("cost_overrun", "project", "P-1"))?.state == .open)
        }
    }

    @Test func anAnalystAcknowledgesAndResolvesFromThePage() async throws {
        let company = try await Self.company()
        defer { try? FileManager.default.removeItem(at: company.dir) }
        let app = Hummingbird.Application(router: company.router())
        let p1 = Self.id("cost_overrun", "project", "P-1")
        let p2 = Self.id("cost_overrun", "project", "P-2")
        try await app.test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: try #require(company.keys[.analyst]))
            let page = try await browser.get(client, "/alerts?state=open&severity=critical")
            #expect(page.text.contains("action=\"/alerts/\(p1)/acknowledge\"") && page.text.contains("action=\"/alerts/\(p1)/resolve\""))
            let token = try #require(DashboardTests.csrf(in: page.text))

            #expect(
                try await browser.post(client, "/alerts/\(p1)/acknowledge", form: [("return", "/alerts?state=open")]).status == .forbidden)
            let acknowledged = try await browser.post(
                client, "/alerts/\(p1)/acknowledge", form: [("csrf", token), ("return", "/alerts?state=open&severity=critical")])
            #expect(acknowledged.status == .seeOther)
            #expect(acknowledged.headers[.location] == "/alerts?state=open&severity=critical&done=acknowledged")
            let stored = try #require(try company.application.alert(id: p1))
            #expect(stored.state == .acknowledged && stored.acknowledgedAt != nil)

            let back = try await browser.get(client, try #require(acknowledged.headers[.location]))
            #expect(back.text.contains("The alert is acknowledged"))
            #expect(Self.listedIds(back.text).isEmpty, "no longer open")
            let acknowledgedTab = try await browser.get(client, "/alerts?state=acknowledged")
            #expect(Self.listedIds(acknowledgedTab.text) == [p1])
            #expect(!acknowledgedTab.text.contains("/alerts/\(p1)/acknowledge"), "acknowledged: only Resolve")
            #expect(acknowledgedTab.text.contains("/alerts/\(p1)/resolve"))

            // A return address elsewhere is never followed.
            let resolved = try await browser.post(
                client, "/alerts/\(p2)/resolve", form: [("csrf", token), ("return", "https://example.org/alerts?state=all")])
            #expect(resolved.headers[.location] == "/alerts?state=active&done=resolved")
            #expect(try company.application.alert(id: p2)?.state == .resolved)
            #expect(try company.application.alert(id: p2)?.resolution == "user")

            let again = try await browser.post(client, "/alerts/\(p2)/acknowledge", form: [("csrf", token)])
            #expect(again.status == .conflict && again.text.contains("resolved"))
            let unknown = try await browser.post(client, "/alerts/\(String(repeating: "0", count: 32))/resolve", form: [("csrf", token)])
            #expect(unknown.status == .notFound)
            #expect(try await browser.post(client, "/alerts/not-an-id/resolve", form: [("csrf", token)]).status == .notFound)

            let active = try await browser.get(client, "/alerts")
            #expect(Set(Self.listedIds(active.text)) == [p1, Self.id("late_payment", "customer", "C-9")])
        }
    }

    @Test func theReturnAddressKeepsOnlyThisPagesFilters() {
        #expect(WebRoutes.alertsReturnPath(nil) == "/alerts?state=active")
        #expect(WebRoutes.alertsReturnPath("/alerts?state=resolved&severity=high") == "/alerts?state=resolved&severity=high")
        #expect(WebRoutes.alertsReturnPath("/alerts?state=open&cursor=abc&done=resolved") == "/alerts?state=open")
        #expect(WebRoutes.alertsReturnPath("//evil.example/alerts?state=open") == "/alerts?state=active")
        #expect(WebRoutes.alertsReturnPath("/alerts?state=open\r\nSet-Cookie:x=1") == "/alerts?state=active")
        #expect(WebRoutes.alertsReturnPath("/runs?state=open") == "/alerts?state=active")
    }
}
