import DecisioningApplication
import DecisioningCore
import DecisioningService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The optional language-model interpreter (`questions.llm`) against a stub OpenAI-compatible server on
/// 127.0.0.1: its reading is checked and answered like the deterministic interpreter's, and every failure
/// leaves the question to the deterministic interpreter with a note saying why.
@Suite struct LanguageModelInterpreterTests {
    static let key = "sk-test-7f3a9c"
    static let environment = ["STUB_LLM_KEY": key]

    static func settings(port: Int, timeout: Double = 5) -> Configuration.LanguageModel {
        Configuration.LanguageModel(
            baseURL: "http://127.0.0.1:\(port)/v1/", model: "stub-model", apiKeyEnvironmentVariable: "STUB_LLM_KEY",
            timeoutSeconds: timeout)
    }

    static func reader(port: Int, timeout: Double = 5, environment: [String: String] = environment) -> LanguageModelReader {
        LanguageModelReader(settings: settings(port: port, timeout: timeout), transport: HTTPChatTransport(), environment: environment)
    }

    /// The model's request for "revenue by industry last quarter" as of 2026-11-25 (the third quarter of 2026).
    static func revenueByIndustry(
        metric: String = "revenue", filters: String = "[]", intent: String = "breakdown", period: String = "2026-07-01"
    ) -> String {
        """
        {"intent": "\(intent)", "metric": "\(metric)", "dimension": "industry", "filters": \(filters),
         "period": {"from": "\(period)", "to": "2026-09-30", "phrase": "the third quarter"}, "compared_to": null,
         "grain": null, "limit": null, "order": "descending", "direction": null, "horizon": null}
        """
    }

    static func sortedRows(_ answer: QuestionAnswer) -> [String] { answer.rows.map { "\($0)" }.sorted() }

    static let question = "revenue by industry last quarter"

    @Test func aCheckedReadingIsAnsweredLikeTheSameQuestionReadByTheRules() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let stub = ChatStub()
        stub.answer(request: Self.revenueByIndustry())
        let expected = try fixture.application.ask(Self.question, asOf: ServiceFixture.asOf)
        try await stub.application().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await fixture.application.ask(
                "what did each line of business bring in over the summer", asOf: ServiceFixture.asOf, reader: Self.reader(port: port))
            #expect(answer.interpreter == .llm && answer.status == .answered)
            #expect(answer.interpreterNote == "read by the language model stub-model")
            #expect(answer.interpretation?.metric == "revenue" && answer.interpretation?.dimension == "industry")
            #expect(answer.interpretation?.period == expected.interpretation?.period)
            #expect(answer.interpretation?.period?.phrase == "the third quarter")
            #expect(!answer.rows.isEmpty && Self.sortedRows(answer) == Self.sortedRows(expected))
            #expect(answer.sql.keys.sorted() == ["heatwave", "mysql", "sqlite"])
            let seen = stub.received
            #expect(seen.count == 1 && seen.first?.formatType == "json_schema")
            #expect(seen.first?.authorization == "Bearer \(Self.key)")
            let system = seen.first?.systemMessage ?? ""
            #expect(system.contains("- revenue: ") && system.contains("Today is 2026-11-25") && system.contains("Media"))
            let json = try answer.jsonText()
            #expect(json.contains(#""interpreter" : "llm""#) && !json.contains(Self.key))
        }
    }

    @Test func aServerThatRefusesSchemasIsAskedForAJSONObjectAndMembersAreSpeltAsTheDataSpellsThem() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let stub = ChatStub()
        let filtered = Self.revenueByIndustry(filters: #"[{"field": "industry", "op": "=", "value": "media"}]"#)
        stub.answer(ChatStub.Reply(content: "```json\n" + filtered + "\n```", refuseSchemas: true))
        let expected = try fixture.application.ask("revenue by industry in media last quarter", asOf: ServiceFixture.asOf)
        try await stub.application().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await fixture.application.ask(
                "sales of the media sector", asOf: ServiceFixture.asOf, reader: Self.reader(port: port))
            #expect(answer.interpreter == .llm, "\(answer.interpreterNote ?? "")")
            #expect(stub.received.map(\.formatType) == ["json_schema", "json_object"])
            #expect(answer.interpretation?.filters == [QuestionRequest.Filter(field: "industry", op: .equal, value: "Media")])
            #expect(answer.rows.count == 1 && Self.sortedRows(answer) == Self.sortedRows(expected))
        }
    }

    @Test func aSimilarCaseReadingFindsTheStoredProject() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let stub = ChatStub()
        stub.answer(
            request:
                #"{"intent": "similar", "metric": null, "dimension": "project", "filters": [{"field": "project", "op": "=", "value": "p000012"}], "period": null, "compared_to": null, "grain": null, "limit": 5, "order": null, "direction": null, "horizon": null}"#
        )
        let expected = try fixture.application.similarProjects("P000012", asOf: ServiceFixture.asOf, k: 5)
        try await stub.application().test(.live) { client in
            let answer = try await fixture.application.ask(
                "what happened to jobs resembling number 12", asOf: ServiceFixture.asOf,
                reader: Self.reader(port: try #require(client.port)))
            #expect(answer.interpreter == .llm && answer.interpretation?.intent == .similar, "\(answer.interpreterNote ?? "")")
            #expect(answer.rows.map { $0[1] } == expected.precedent.cases.map { .string($0.projectId) } && answer.rows.count == 5)
        }
    }

    @Test func everyFailureLeavesTheQuestionToTheDeterministicInterpreterAndSaysWhy() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let expected = try fixture.application.ask(Self.question, asOf: ServiceFixture.asOf)
        let stub = ChatStub()
        let cases: [(String, ChatStub.Reply, String)] = [
            ("unknown metric", ChatStub.Reply(content: Self.revenueByIndustry(metric: "sales_total")), "metric 'sales_total'"),
            (
                "member the data does not have",
                ChatStub.Reply(content: Self.revenueByIndustry(filters: #"[{"field": "industry", "op": "=", "value": "Atlantis"}]"#)),
                "'Atlantis' is not"
            ),
            ("a period for an undated figure", ChatStub.Reply(content: Self.revenueByIndustry(metric: "risk_score")), "has no dates"),
            (
                "a threshold without a number",
                ChatStub.Reply(content: Self.revenueByIndustry(filters: #"[{"field": "risk_score", "op": ">", "value": "high"}]"#)),
                "threshold 'risk_score' needs"
            ),
            ("period backwards", ChatStub.Reply(content: Self.revenueByIndustry(period: "2026-10-30")), "period 2026-10-30"),
            ("no reading", ChatStub.Reply(content: #"{"intent": "unsupported"}"#), "found no reading"),
            (
                "a limit beyond any integer",
                ChatStub.Reply(content: #"{"intent": "ranking", "metric": "revenue", "dimension": "customer", "limit": 1e300}"#),
                "limit: expected a whole number"
            ),
            (
                "a negative horizon", ChatStub.Reply(content: #"{"intent": "forecast", "metric": "revenue", "horizon": -3}"#),
                "horizon -3 is outside"
            ),
            (
                "an order it does not know",
                ChatStub.Reply(
                    content: #"{"intent": "ranking", "metric": "revenue", "dimension": "customer", "limit": 5, "order": "bottom"}"#),
                "order: expected one of descending, ascending"
            ),
            (
                "filters that are not a list",
                ChatStub.Reply(content: #"{"intent": "figure", "metric": "revenue", "filters": "industry=Media"}"#),
                "filters: expected an array"
            ),
            (
                "a body that trickles",
                ChatStub.Reply(content: #"{"choices": [{"message": {"content": "{}"}}]}"#, raw: true, slowBody: .seconds(3)),
                "did not answer within 0.5 s"
            ),
            ("a year out of range", ChatStub.Reply(content: Self.revenueByIndustry(period: "99999-01-01")), "malformed"),
            ("prose", ChatStub.Reply(content: "You probably mean revenue per industry."), "not a JSON object"),
            (
                "server error quoting the key",
                ChatStub.Reply(status: 500, content: #"{"error": {"message": "upstream refused key \#(Self.key)"}}"#),
                "HTTP 500: upstream refused key [the API key]"
            ),
            ("no choices", ChatStub.Reply(content: #"{"id": "x"}"#, raw: true), "no choices[0].message.content"),
            ("too slow", ChatStub.Reply(content: Self.revenueByIndustry(), delay: .seconds(3)), "did not answer within 0.5 s"),
        ]
        try await stub.application().test(.live) { client in
            let port = try #require(client.port)
            for (name, reply, reason) in cases {
                stub.answer(reply)
                let answer = try await fixture.application.ask(
                    Self.question, asOf: ServiceFixture.asOf, reader: Self.reader(port: port, timeout: 0.5))
                #expect(answer.interpreter == .deterministic, "\(name)")
                #expect(answer.status == .answered && Self.sortedRows(answer) == Self.sortedRows(expected), "\(name)")
                let note = answer.interpreterNote ?? ""
                #expect(note.contains(reason) && note.hasSuffix("the deterministic interpreter read the question"), "\(name): \(note)")
                #expect(!(try answer.jsonText()).contains(Self.key), "\(name)")
                #expect(stub.received.count == 1, "\(name)")
            }
        }
    }

    @Test func aMissingKeyOrAClosedPortNeverBlocksAnAnswer() async throws {
        let fixture = try ServiceFixture()
        defer { fixture.remove() }
        let stub = ChatStub()
        stub.answer(request: Self.revenueByIndustry())
        try await stub.application().test(.live) { client in
            let port = try #require(client.port)
            let unset = try await fixture.application.ask(
                Self.question, asOf: ServiceFixture.asOf, reader: Self.reader(port: port, environment: [:]))
            #expect(unset.interpreter == .deterministic && unset.status == .answered)
            #expect(unset.interpreterNote?.contains("api_key_env names STUB_LLM_KEY, which is not set") == true)
            let crlf = try await fixture.application.ask(
                Self.question, asOf: ServiceFixture.asOf, reader: Self.reader(port: port, environment: ["STUB_LLM_KEY": Self.key + "\r"]))
            #expect(crlf.interpreterNote?.contains("holds spaces or control characters") == true)
            #expect(!(try crlf.jsonText()).contains(Self.key))
            #expect(stub.received.isEmpty)
        }
        // Port 1 on the loopback: nothing listens there, so the refusal comes at once (the long timeout is for a loaded machine).
        let closed = try await fixture.application.ask(Self.question, asOf: ServiceFixture.asOf, reader: Self.reader(port: 1, timeout: 60))
        #expect(closed.interpreter == .deterministic && closed.status == .answered)
        #expect(closed.interpreterNote?.contains("could not be reached") == true, "\(closed.interpreterNote ?? "")")
    }

    @Test func theProbeSaysWhetherTheModelAnswersWithoutTheKey() async throws {
        let stub = ChatStub()
        try await stub.application().test(.live) { client in
            let port = try #require(client.port)
            stub.answer(request: #"{"ok": true}"#)
            #expect(await Self.reader(port: port).probe().hasPrefix("answered in "))
            #expect(stub.received.first?.formatType == "json_object" && stub.received.first?.authorization == "Bearer \(Self.key)")
            stub.answer(ChatStub.Reply(status: 401, content: #"{"error": {"message": "bad key \#(Self.key)"}}"#))
            let refused = await Self.reader(port: port).probe()
            #expect(refused.hasPrefix("answered HTTP 401") && refused.contains("bad key [the API key]") && !refused.contains(Self.key))
            #expect(await Self.reader(port: port, environment: [:]).probe().contains("STUB_LLM_KEY, which is not set"))
        }
        #expect(await Self.reader(port: 1, timeout: 60).probe().hasPrefix("could not be reached"))
    }

    @Test func theServiceAsksTheConfiguredModel() async throws {
        let stub = ChatStub()
        stub.answer(request: Self.revenueByIndustry())
        try await stub.application().test(.live) { client in
            var configuration = Configuration()
            configuration.questions.languageModel = Configuration.LanguageModel(
                baseURL: "http://127.0.0.1:\(try #require(client.port))/v1", model: "stub-model")
            let fixture = try ServiceFixture(configuration: configuration)
            defer { fixture.remove() }
            try await fixture.app().test(.router) { api in
                let body = #"{"question": "what did each sector sell last summer", "as_of": "2026-11-25"}"#
                try await api.execute(uri: "/api/v1/ask", method: .post, headers: ServiceFixture.json(fixture.viewer), body: body.buffer) {
                    response in
                    #expect(response.status == .ok)
                    #expect(response.object["interpreter"] as? String == "llm")
                    #expect(response.object["interpreter_note"] as? String == "read by the language model stub-model")
                    #expect(response.object["status"] as? String == "answered")
                }
            }
            #expect(stub.received.count == 1 && stub.received.first?.authorization == nil)
        }
    }

    @Test func theSettingsNameTheKeyOfAMistakeAndNeverTakeAKey() throws {
        let good = try Configuration.parse(
            Data(
                #"{"questions": {"llm": {"base_url": "http://127.0.0.1:11434/v1/", "model": "m", "api_key_env": "K_1", "timeout": 2.5}}}"#
                    .utf8),
            agents: [])
        #expect(good.questions.languageModel?.completionsURL == "http://127.0.0.1:11434/v1/chat/completions")
        #expect(good.questions.languageModel?.timeoutSeconds == 2.5 && good.questions.languageModel?.apiKeyEnvironmentVariable == "K_1")
        let cases: [(String, String)] = [
            (#"{"base_url": "http://user:pw@host/v1", "model": "m"}"#, "questions.llm.base_url"),
            (#"{"base_url": "ftp://host/v1", "model": "m"}"#, "questions.llm.base_url"),
            (#"{"base_url": "http://host/v1?key=secret", "model": "m"}"#, "questions.llm.base_url"),
            (#"{"base_url": "http://host/v1", "model": "m", "api_key": "sk-1"}"#, "questions.llm.api_key"),
            (#"{"base_url": "http://host/v1"}"#, "questions.llm.model"),
            (#"{"base_url": "http://host/v1", "model": "m", "timeout": 0}"#, "questions.llm.timeout"),
            (#"{"base_url": "http://host/v1", "model": "m", "api_key_env": "MY KEY"}"#, "questions.llm.api_key_env"),
            (#"{"base_url": "http://host/v1", "model": "m", "temperature": 0.2}"#, "questions.llm.temperature"),
        ]
        for (llm, key) in cases {
            do {
                _ = try Configuration.parse(Data((#"{"questions": {"llm": "# + llm + "}}").utf8), agents: [])
                Issue.record("\(llm) was accepted")
            } catch {
                #expect(error.key == key, "\(llm): \(error)")
                #expect(!"\(error)".contains("secret") && !"\(error)".contains("sk-1"), "\(llm): \(error)")
            }
        }
    }
}
