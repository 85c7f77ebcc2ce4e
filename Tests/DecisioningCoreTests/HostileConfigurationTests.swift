import DecisioningCore
import Foundation
import Testing

/// Values that used to pass validation and then crashed, wrapped or were silently ignored.
@Suite struct HostileConfigurationTests {
    func error(_ json: String) -> ConfigurationError? {
        do {
            _ = try Configuration.parse(Data(json.utf8), agents: ConfigurationSchemas.agents)
            return nil
        } catch {
            return error
        }
    }

    @Test func thresholdsAreKnownNamesInTheirRanges() throws {
        let bogus = try #require(error(#"{"agents": {"decision_agent": {"thresholds": {"bogus": 1}}}}"#))
        #expect(bogus.key == "agents.decision_agent.thresholds.bogus")
        #expect(bogus.message.contains("cost_of_capital"))
        let huge = try #require(error(#"{"agents": {"decision_agent": {"thresholds": {"cost_of_capital": 1e308}}}}"#))
        #expect(
            huge.description
                == "agents.decision_agent.thresholds.cost_of_capital: expected a number from 0 to 1 (a yearly rate, 0.08 = 8%), found 1e+308"
        )
        #expect(
            error(#"{"agents": {"decision_agent": {"thresholds": {"margin_drop_points": -1e308}}}}"#)?.key
                == "agents.decision_agent.thresholds.margin_drop_points")
        #expect(
            error(#"{"agents": {"decision_agent": {"thresholds": {"data_quality_score": 1e308}}}}"#)?.key
                == "agents.decision_agent.thresholds.data_quality_score")
        #expect(
            error(#"{"agents": {"decision_agent": {"thresholds": {"max_project_alerts": 2.5}}}}"#)?.message.contains("whole number") == true
        )
        #expect(
            error(#"{"agents": {"discovery_agent": {"thresholds": {"correlation": 0.3}}}}"#)?.message.contains("reads no thresholds")
                == true)
        let fine = try Configuration.parse(
            Data(#"{"agents": {"decision_agent": {"thresholds": {"cost_of_capital": 0.1, "max_project_alerts": 5}}}}"#.utf8),
            agents: ConfigurationSchemas.agents)
        #expect(fine.agent("decision_agent").thresholds == ["cost_of_capital": 0.1, "max_project_alerts": 5])
    }

    @Test func timeoutsAndCountsHaveUpperBounds() {
        #expect(error(#"{"agents": {"discovery_agent": {"timeout": 1e10}}}"#)?.key == "agents.discovery_agent.timeout")
        #expect(error(#"{"agents": {"discovery_agent": {"timeout": 0}}}"#)?.key == "agents.discovery_agent.timeout")
        #expect(error(#"{"agents": {"discovery_agent": {"retries": 1000000}}}"#)?.key == "agents.discovery_agent.retries")
        #expect(error(#"{"workflow": {"retry_backoff_seconds": 1e300}}"#)?.key == "workflow.retry_backoff_seconds")
        #expect(error(#"{"workflow": {"max_concurrent_agents": 100000}}"#)?.key == "workflow.max_concurrent_agents")
    }

    @Test func anEmptyKeyIsNamedVisibly() {
        // Found by fuzz-config: {"":1} used to give an error with an empty key.
        #expect(error(#"{"":1}"#)?.key == #""""#)
        #expect(error(#"{"workflow": {"": 1}}"#)?.key == #"workflow."""#)
    }

    @Test func defaultAnalysisMustExist() {
        #expect(
            error(#"{"workflow": {"default_analysis": "nosuch"}}"#)?.description
                == #"workflow.default_analysis: expected one of: strategic_business_health, found "nosuch""#)
    }

    @Test func strictJSON() throws {
        let duplicate = try #require(error(#"{"workflow": {"seed": 1, "seed": 2}}"#))
        #expect(duplicate.key == "(document)")
        #expect(duplicate.message.contains(#"duplicate key "seed""#))
        #expect(duplicate.message.contains("line 1, column 26"))
        #expect(error("{\"workflow\": {\"seed\": 1,}\n}")?.message.contains("trailing comma") == true)
        #expect(error(#"{"output": {"formats": ["json",]}}"#)?.message.contains("trailing comma") == true)
        let big = try #require(error(#"{"workflow": {"seed": 1e400}}"#))
        #expect(big.message.contains("1e400 is beyond the range"))
        #expect(error(#"{"workflow": {"default_analysis": "\ud800"}}"#)?.message.contains("lone high surrogate") == true)
        #expect(error(String(repeating: "[", count: 10_000))?.message.contains("nested more than") == true)
        #expect(error("{\"a\": \"x\u{01}\"}")?.message.contains("control character") == true)
        #expect(error(#"{"workflow": {"seed": 01}}"#)?.message.contains("leading zeros") == true)
    }

    @Test func strictJSONReadsWhatFoundationReads() throws {
        let text = #"{"a": [1, -2.5e3, true, false, null, "x\n\"\u00e9\ud83d\ude00"], "b": {}, "c": []}"#
        let value = try StrictJSON.parse(Array(text.utf8))
        let expected = JSONValue.object([
            "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x\n\"é😀")]),
            "b": .object([:]), "c": .array([]),
        ])
        #expect(value == expected)
    }

    @Test func errorsDoNotActOnTheTerminal() throws {
        let e = try #require(error("{\"workflow\": {\"default_analysis\": \"\\u001b]0;owned\\u0007\\u001b[2J\"}}"))
        #expect(!e.description.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(e.description.contains("\\u{1B}]0;owned"))
    }
}

@Suite struct HostileURLTests {
    func message(_ text: String) -> String? {
        do {
            _ = try DatabaseURL(parsing: text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func passwordsNeverComeFromAURLNorAreEchoed() throws {
        for url in [
            "mysql://u@host/db?password=SECRET", "mysql://u:SECRET@host/db", "MYSQL://u:SECRET@host/db",
            "mysql://u@host/db?PASSWORD=SECRET", "postgres://u:SECRET@host/db", "mysql://u@host/db?tsl=SECRET",
        ] {
            let m = try #require(message(url), "\(url) was accepted")
            #expect(!m.contains("SECRET"), "\(m)")
        }
        #expect(message("mysql://u@host/db?password=SECRET")?.contains("DECISIONING_DB_PASSWORD") == true)
    }

    @Test func unknownOptionsAreErrorsNamingTheKnownOnes() throws {
        for bad in ["tsl=required", "TLS=required", "ssl-mode=REQUIRED"] {
            let m = try #require(message("mysql://u@h/db?\(bad)"))
            #expect(m.contains("tls, ca, server_public_key, connect_timeout"), "\(m)")
        }
        #expect(message("mysql://u@h/db?TLS=required")?.contains("lower-case: tls") == true)
        #expect(message("mysql://u@h/db?tls=required&tls=disabled")?.contains("twice") == true)
        #expect(message("mysql://u@h/db?tls")?.contains("needs a value") == true)
    }

    @Test func schemesAndPaths() throws {
        #expect(try DatabaseURL(parsing: "MySQL://u@h:3307/db") == .mysql(.init(user: "u", host: "h", port: 3307, database: "db")))
        #expect(try DatabaseURL(parsing: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(message("sqlite://tmp/x")?.contains("sqlite:tmp/x for a relative path") == true)
        #expect(message("sqlite:x\u{1B}[2J") != nil)
        #expect(message("mysql://u@h:0x10/db")?.contains("port") == true)
    }

    @Test func redaction() {
        #expect(DatabaseURL.redacted("mysql://u:pw@h/db?tls=required&password=x") == "mysql://u:***@h/db?tls=***&password=***")
        #expect(DatabaseURL.redacted("sqlite:x") == "sqlite:x")
    }

    @Test func acceptedURLsRoundTripThroughTheirDescription() throws {
        for text in [
            "sqlite:a.sqlite", "sqlite:/abs/x", "sqlite:////x", "sqlite://///x", "mysql://u@h:3306/d",
            "mysql://a@b:1/c?ca=/x.pem&tls=verify_ca",
            "mysql://u@h/d?connect_timeout=3&server_public_key=k.pem",
        ] {
            let url = try DatabaseURL(parsing: text)
            #expect(try DatabaseURL(parsing: url.description) == url)
        }
    }
}

@Suite struct TerminalTextTests {
    @Test func controlCharactersBecomeVisible() {
        #expect(TerminalText.escaped("a\u{1B}]0;x\u{07}b") == "a\\u{1B}]0;x\\u{7}b")
        #expect(TerminalText.escaped("tab\there\nnext") == "tab\there\\nnext")
        #expect(TerminalText.escaped("line\nnext", keepNewlines: true) == "line\nnext")
        #expect(TerminalText.escaped("\u{202E}evil\u{0}") == "\\u{202E}evil\\u{0}")
        #expect(TerminalText.escaped("Café 😀") == "Café 😀")
        #expect(TerminalText.quoted(String(repeating: "x", count: 100), limit: 10) == "xxxxxxxxxx…")
    }
}
