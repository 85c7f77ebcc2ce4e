import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DecisioningService

/// The dashboard's ask box: `/ask` answers as `Application.ask` does on the same database (the
/// summary, every row, the SQL in each dialect), links an ambiguous answer's suggestions, refuses an
/// empty or over-long question on the page, sends the signed-out to sign in, and escapes the question.
@Suite(.serialized) struct WebAskTests {
    typealias Browser = DashboardTests.Browser

    static let question = "revenue by industry last quarter"

    /// The rows of the answer's table on the page.
    static func answerRows(_ html: String) -> Int {
        guard let table = html.components(separatedBy: "class=\"data answer-rows\"").dropFirst().first,
            let body = table.components(separatedBy: "</table>").first?.components(separatedBy: "<tbody>").dropFirst().first
        else { return 0 }
        return body.components(separatedBy: "<tr>").count - 1
    }

    @Test func aViewerAsksAndSeesTheAnswerItsReadingAndItsEvidence() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let expected = try fixture.application.ask(Self.question, asOf: ServiceFixture.asOf)
        #expect(expected.status == .answered)
        let industry = try #require(expected.columns.firstIndex(of: "industry"))
        #expect(expected.rows.count > 1)
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: fixture.viewer)
            // As a browser submits the form: spaces as `+`.
            let page = try await browser.get(client, "/ask?q=revenue+by+industry+last+quarter&as_of=2026-11-25")
            #expect(page.status == .ok)
            let html = page.text
            #expect(html.contains("data-status=\"answered\""))
            #expect(html.contains("value=\"\(Self.question)\""), "the form is prefilled")
            #expect(html.contains(HTMLText.escape(expected.summary)))
            let figure = try #require(expected.figures.first { $0.name == "first_revenue" }?.value)
            #expect(html.contains(">" + AskCells.text(figure) + "<"), "the summary's figure, in the table and the evidence")
            #expect(expected.summary.contains(AskCells.text(figure)))
            for row in expected.rows {
                switch row[industry] {
                case .string(let name): #expect(html.contains("<td>" + HTMLText.escape(name) + "</td>"), "\(name)")
                case .null: #expect(html.contains("<td>–</td>"), "no industry reads as a dash")
                default: Issue.record("an industry that is neither text nor null: \(row[industry])")
                }
            }
            #expect(Self.answerRows(html) == expected.rows.count)
            for dialect in ["sqlite", "mysql", "heatwave"] {
                let sql = try #require(expected.sql[dialect])
                #expect(html.contains("data-dialect=\"\(dialect)\""))
                #expect(html.contains(HTMLText.escape(sql)), "the \(dialect) SQL")
            }
            #expect(html.contains("id=\"interpretation\"") && html.contains("breakdown") && html.contains("“last quarter”"))
            #expect(html.contains("<strong>deterministic</strong> interpreter"))
            #expect(html.contains("class=\"ask-nav\"") && html.contains("action=\"/ask\""))

            // Without a question: the form and examples that ask.
            let empty = try await browser.get(client, "/ask")
            #expect(empty.status == .ok && empty.text.contains("Questions to try"))
            #expect(empty.text.contains("href=\"/ask?q=revenue%20by%20industry%20last%20quarter\""))
            // Every signed-in page has the ask box.
            #expect(try await browser.get(client, "/").text.contains("class=\"ask-nav\""))
            #expect(try await browser.get(client, "/alerts").text.contains("href=\"/ask\""))
        }
    }

    @Test func theExamplesAreAnswered() throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        for example in AskPage.examples {
            let answer = try fixture.application.ask(example, asOf: ServiceFixture.asOf)
            #expect(answer.status == .answered, "\(example): \(answer.summary)")
        }
    }

    @Test func anAmbiguousQuestionLinksItsReadings() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let expected = try fixture.application.ask("top 5 customers", asOf: ServiceFixture.asOf)
        #expect(expected.status == .ambiguous && !expected.suggestions.isEmpty)
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: fixture.viewer)
            let page = try await browser.get(client, AskPage.path("top 5 customers") + "&as_of=2026-11-25")
            #expect(page.status == .ok)
            #expect(page.text.contains("data-status=\"ambiguous\"") && page.text.contains("Did you mean"))
            #expect(!page.text.contains("id=\"evidence\""), "no evidence without figures")
            for suggestion in expected.suggestions {
                #expect(page.text.contains("href=\"\(HTMLText.escape(AskPage.path(suggestion)))\">\(HTMLText.escape(suggestion))</a>"))
            }
            let first = try #require(expected.suggestions.first)
            let followed = try await browser.get(client, AskPage.path(first))
            #expect(followed.status == .ok && followed.text.contains("data-status=\"answered\""), "\(first)")
        }
    }

    @Test func anEmptyOrOverLongQuestionOrABadDateIsRefusedOnThePage() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            let signedOut = try await browser.get(client, "/ask?q=revenue")
            #expect(signedOut.status == .seeOther && signedOut.headers[.location] == "/sign-in")
            _ = try await browser.signIn(client, key: fixture.viewer)
            for uri in ["/ask?q=", "/ask?q=+++", "/ask?q=%0A%09"] {
                let empty = try await browser.get(client, uri)
                #expect(empty.status == .badRequest, "\(uri)")
                #expect(empty.text.contains("the question was empty") && empty.text.contains("class=\"ask\""), "\(uri)")
            }
            let long = try await browser.get(client, "/ask?q=" + String(repeating: "a", count: ServiceState.maxQuestion + 1))
            #expect(long.status == .badRequest)
            #expect(long.text.contains("at most \(ServiceState.maxQuestion) characters; this one has \(ServiceState.maxQuestion + 1)"))
            let date = try await browser.get(client, AskPage.path(Self.question) + "&as_of=2026-02-30")
            #expect(date.status == .badRequest && date.text.contains("YYYY-MM-DD"))
        }
    }

    @Test func theQuestionIsEscaped() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let question = #"<script>alert("x")</script> revenue & 'cost' by industry"#
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: fixture.viewer)
            let page = try await browser.get(client, AskPage.path(question))
            #expect(page.status == .ok)
            #expect(!page.text.contains("<script>alert"))
            #expect(!page.text.contains(#"alert("x")"#))
            #expect(page.text.contains("value=\"" + HTMLText.escape(question) + "\""), "the form, prefilled and escaped")
            #expect(page.text.contains("“" + HTMLText.escape(question) + "”"), "the question asked, escaped")
        }
    }

    @Test func theRateLimitIsAPageWithRetryAfter() async throws {
        var configuration = Configuration()
        configuration.service.rateLimitPerMinute = 2
        let fixture = try ServiceFixture(configuration: configuration)
        defer { fixture.remove() }
        try await fixture.app().test(.router) { client in
            var browser = Browser()
            _ = try await browser.signIn(client, key: fixture.viewer)
            for _ in 0..<2 { #expect(try await browser.get(client, AskPage.path("revenue last month")).status == .ok) }
            let limited = try await browser.get(client, AskPage.path("revenue last month"))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(limited.text.contains("Too many requests") && limited.text.contains("value=\"revenue last month\""))
        }
    }
}
