import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Testing

@Suite("JSON Lines ingest")
struct JSONLIngestTests {
    @Test("business events with nested event_data keep the document's original text")
    func nestedEventData() throws {
        let f = try Fixture()
        let data = #"{"amount": "12.50", "tags":["a","b"], "nested":{"x":null, "y":[1,{"z":true}]}, "note":"caf\u00e9 \"q\""}"#
        let path = try f.file(
            "events.jsonl",
            """
            {"event_id":"E1","event_type":"payment","entity_type":"project","entity_id":"P1","event_data":\(data),"event_timestamp":"2024-03-01 10:00:00","processed":true}

            {"event_id":"E2","event_type":"note","event_data":[1,2],"processed":false}
            {"event_id": "E3" , "event_data" : null , "event_type":"tab\\there"}\r

            """)
        let summary = try f.ingest(Catalog.businessEvents, [path])
        #expect(summary.inserted == 3)
        let rows = try f.rows(Catalog.businessEvents, columns: ["event_id", "event_type", "event_data", "processed"])
        #expect(
            rows == [
                [.text("E1"), .text("payment"), .json(data), .boolean(true)],
                [.text("E2"), .text("note"), .json("[1,2]"), .boolean(false)],
                [.text("E3"), .text("tab\there"), .null, .boolean(false)],  // processed defaults to false
            ])
        // event_timestamp was absent from E2 and E3: the store's CURRENT_TIMESTAMP default applies.
        let times = try f.rows(Catalog.businessEvents, columns: ["event_timestamp"]).map { $0[0] }
        #expect(times[0] == .timestamp(Timestamp(iso: "2024-03-01 10:00:00")!))
        #expect(!times[1].isNull && !times[2].isNull)
    }

    @Test("a value of the wrong JSON type is named with its type")
    func wrongType() throws {
        let f = try Fixture()
        let header = #"{"customer_id":"C1","payment_terms":30}"#
        let cases: [(String, String)] = [
            (#"{"customer_id":"C2","payment_terms":"thirty"}"#, "column 'payment_terms': expected a whole number, found string \"thirty\""),
            (#"{"customer_id":"C2","payment_terms":30.5}"#, "column 'payment_terms': expected a whole number, found number 30.5"),
            (#"{"customer_id":"C2","payment_terms":true}"#, "column 'payment_terms': expected a whole number, found boolean true"),
            (#"{"customer_id":42}"#, "column 'customer_id': expected text of at most 50 characters, found number 42"),
            (#"{"customer_id":"C2","industry":["x"]}"#, "column 'industry': expected text of at most 100 characters, found an array"),
            (
                #"{"customer_id":"C2","annual_revenue":{"usd":1}}"#,
                "column 'annual_revenue': expected a decimal number with at most 13 integer digits and 2 decimal places (DECIMAL(15,2)), found an object"
            ),
            (
                #"{"customer_id":"C2","annual_revenue":1.005}"#,
                "column 'annual_revenue': expected a decimal number with at most 13 integer digits and 2 decimal places (DECIMAL(15,2)), found number 1.005, which has more than 2 decimal places"
            ),
            (#"{"customer_id":null}"#, "column 'customer_id': a value is required (the column is NOT NULL), found null"),
        ]
        for (index, (line, message)) in cases.enumerated() {
            let path = try f.file("c\(index).jsonl", header + "\n" + line + "\n")
            #expect(f.failure(Catalog.customerAnalytics, [path]) == "\(path):2: \(message)")
        }
        #expect(try f.store.rowCount("customer_analytics") == 0)
    }

    @Test("numbers convert exactly; strings are accepted for decimals and dates")
    func coercions() throws {
        let f = try Fixture()
        let path = try f.file(
            "c.ndjson",
            """
            {"customer_id":"C1","payment_terms":30.0,"annual_revenue":"9999999999999.99","average_payment_days":1.5e1,"risk_score":0.25}
            {"customer_id":"C2","payment_terms":-0,"annual_revenue":12.3,"average_payment_days":"42","risk_score":"1"}
            {"customer_id":"C3","payment_terms":1e2,"annual_revenue":-0.01,"total_projects":null}
            """)
        try f.ingest(Catalog.customerAnalytics, [path])
        let rows = try f.rows(
            Catalog.customerAnalytics, columns: ["payment_terms", "annual_revenue", "average_payment_days", "risk_score", "total_projects"])
        #expect(
            rows == [
                [.integer(30), .decimal(999_999_999_999_999), .decimal(150), .decimal(25), .integer(0)],
                [.integer(0), .decimal(1230), .decimal(420), .decimal(100), .integer(0)],
                [.integer(100), .decimal(-1), .null, .null, .null],
            ])
    }

    @Test("lines that are not objects, unknown keys and invalid JSON are refused")
    func malformedLines() throws {
        let f = try Fixture()
        let good = #"{"customer_id":"C1"}"#
        let cases: [(String, String)] = [
            (#"["C2"]"#, "expected a JSON object, found an array"),
            (
                #"{"customer_id":"C2","colour":"red"}"#,
                "unknown column 'colour'; table customer_analytics has columns: customer_id, customer_name, "
                    + "industry, annual_revenue, credit_rating, payment_terms, average_payment_days, total_projects, total_revenue, risk_score"
            ),
            (#"{"customer_id":"C2",}"#, "invalid JSON: unexpected '}' at byte 21"),
            (#"{"customer_id":"C2"} x"#, "invalid JSON: unexpected 'x' at byte 22"),
            (#"{"customer_id":"C2","customer_id":"C3"}"#, "the key 'customer_id' appears twice in the object"),
            (#"{"industry":"retail"}"#, "missing required column 'customer_id' for table customer_analytics"),
        ]
        for (index, (line, message)) in cases.enumerated() {
            let path = try f.file("m\(index).jsonl", good + "\n\n" + line + "\n")
            #expect(f.failure(Catalog.customerAnalytics, [path]) == "\(path):3: \(message)")
        }
    }

    @Test("a cut-off last line says the file looks truncated")
    func truncated() throws {
        let f = try Fixture()
        let last = #"{"customer_id":"C2","payment_terms":3"#
        let path = try f.file("t.jsonl", #"{"customer_id":"C1"}"# + "\n" + last)
        #expect(
            f.failure(Catalog.customerAnalytics, [path])
                == "\(path):2: invalid JSON: unexpected end of the line at byte \(last.utf8.count + 1); the file looks truncated")
        let string = try f.file("s.jsonl", #"{"customer_id":"C1"}"# + "\n" + #"{"customer_id":"C2","industry":"ret"#)
        #expect(
            f.failure(Catalog.customerAnalytics, [string])
                == "\(string):2: invalid JSON: unterminated string at byte 32; the file looks truncated")
        #expect(try f.store.rowCount("customer_analytics") == 0)
    }

    @Test("invalid UTF-8 and UTF-16 in JSON Lines")
    func encoding() throws {
        let f = try Fixture()
        let prefix = #"{"customer_id":"C1","customer_name":"Caf"#
        let latin1 = try f.file("l.jsonl", bytes: Array(prefix.utf8) + [0xE9] + Array("\"}\n".utf8))
        #expect(
            f.failure(Catalog.customerAnalytics, [latin1])
                == "\(latin1):1: not valid UTF-8 (byte 0xE9 at byte \(prefix.utf8.count + 1) of the line); convert the file to UTF-8")
        let wide = try f.file("w.jsonl", bytes: [0xFE, 0xFF, 0x00, 0x7B])
        #expect(
            f.failure(Catalog.customerAnalytics, [wide])
                == "\(wide): the file is UTF-16 (big-endian, it starts with a UTF-16 byte order mark); convert it to UTF-8")
    }
}
