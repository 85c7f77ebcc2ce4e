import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Testing

@Suite("CSV ingest")
struct CSVIngestTests {
    @Test("loads typed values and leaves absent optional columns to the store's defaults")
    func loadsTypedValues() throws {
        let f = try Fixture()
        let path = try f.file(
            "metrics.csv",
            """
            metric_id,project_id,metric_type,metric_value,metric_date
            M1,P1,revenue,1234.56,2024-01-31
            M2,,cost,-0.5,2024-02-29

            """)
        let summary = try f.ingest(Catalog.financialMetrics, [path])
        #expect(summary.inserted == 2)
        #expect(summary.skipped == 0)
        #expect(summary.rejected == 0)
        #expect(summary.files == 1)
        #expect(summary.bytes == Int64(try String(contentsOfFile: path, encoding: .utf8).utf8.count))
        let rows = try f.rows(
            Catalog.financialMetrics, columns: ["metric_id", "project_id", "metric_value", "metric_date", "currency_code"])
        #expect(
            rows == [
                [.text("M1"), .text("P1"), .decimal(123_456), .date(Day(year: 2024, month: 1, day: 31)!), .text("USD")],
                [.text("M2"), .null, .decimal(-50), .date(Day(year: 2024, month: 2, day: 29)!), .text("USD")],
            ])
    }

    @Test("a bad date names file, line, column and the value")
    func badDate() throws {
        let f = try Fixture()
        let path = try f.file(
            "projects.csv", [projectsHeader, projectLine("P1"), projectLine("P2", start: "2024-13-01")].joined(separator: "\n") + "\n")
        #expect(f.failure(Catalog.projects, [path]) == "\(path):3: column 'start_date': expected a date as YYYY-MM-DD, found '2024-13-01'")
        #expect(try f.store.rowCount("projects") == 0)
    }

    @Test("bad numbers: not a number, too many decimal places, too many integer digits, integer overflow")
    func badNumbers() throws {
        let f = try Fixture()
        let decimal = "expected a decimal number with at most 13 integer digits and 2 decimal places (DECIMAL(15,2))"
        let cases: [(String, String)] = [
            ("abc", "\(decimal), found 'abc'"),
            ("12.345", "\(decimal), found '12.345', which has more than 2 decimal places"),
            ("10000000000000.00", "\(decimal), found '10000000000000.00', which has more than 13 integer digits"),
        ]
        for (index, (budget, message)) in cases.enumerated() {
            let path = try f.file("p\(index).csv", projectsHeader + "\n" + projectLine("P1", budget: budget) + "\n")
            #expect(f.failure(Catalog.projects, [path]) == "\(path):2: column 'budget_amount': \(message)")
        }
        // Trailing zeros beyond the scale lose nothing, so they are accepted.
        let zeros = try f.file("zeros.csv", projectsHeader + "\n" + projectLine("P1", budget: "12.3400") + "\n")
        try f.ingest(Catalog.projects, [zeros])
        #expect(try f.column(Catalog.projects, "budget_amount") == ["12.34"])

        let customers = try f.file(
            "customers.csv",
            """
            customer_id,payment_terms
            C1,30
            C2,99999999999999999999
            """)
        #expect(
            f.failure(Catalog.customerAnalytics, [customers])
                == "\(customers):3: column 'payment_terms': expected a whole number, found '99999999999999999999', which is out of range (allowed: 0 to 3650 days)"
        )
        let notWhole = try f.file("customers2.csv", "customer_id,payment_terms\nC1,30.5\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [notWhole])
                == "\(notWhole):2: column 'payment_terms': expected a whole number, found '30.5'")
        let risk = try f.file("customers3.csv", "customer_id,risk_score\nC1,12.5\n")
        #expect(
            f.failure(Catalog.customerAnalytics, [risk])
                == "\(risk):2: column 'risk_score': expected a decimal number with at most 1 integer digits and 2 decimal places (DECIMAL(3,2)), found '12.5', which has more than 1 integer digit"
        )
    }

    @Test("text longer than VARCHAR(n) counts characters, not bytes")
    func textLength() throws {
        let f = try Fixture()
        let ok = try f.file("ok.csv", "metric_id,metric_date,currency_code\nM1,2024-01-01,€€€\n")
        try f.ingest(Catalog.financialMetrics, [ok])
        #expect(try f.column(Catalog.financialMetrics, "currency_code") == ["€€€"])
        let long = try f.file("long.csv", "metric_id,metric_date,currency_code\nM2,2024-01-01,EURO\n")
        #expect(
            f.failure(Catalog.financialMetrics, [long])
                == "\(long):2: column 'currency_code': expected text of at most 3 characters, found 'EURO' (4 characters)")
    }

    @Test("booleans, timestamps and JSON documents are checked")
    func otherTypes() throws {
        let f = try Fixture()
        let good = try f.file(
            "events.csv",
            """
            event_id,event_data,event_timestamp,processed
            E1,"{""a"": [1, 2.5, null]}",2024-03-01 10:00:00,TRUE
            E2,,2024-03-01T10:00:01,0
            E3,[],2024-03-02,false
            """)
        try f.ingest(Catalog.businessEvents, [good])
        let rows = try f.rows(Catalog.businessEvents, columns: ["event_data", "event_timestamp", "processed"])
        #expect(
            rows == [
                [.json("{\"a\": [1, 2.5, null]}"), .timestamp(Timestamp(iso: "2024-03-01 10:00:00")!), .boolean(true)],
                [.null, .timestamp(Timestamp(iso: "2024-03-01 10:00:01")!), .boolean(false)],
                [.json("[]"), .timestamp(Timestamp(iso: "2024-03-02 00:00:00")!), .boolean(false)],
            ])

        let header = "event_id,event_data,event_timestamp,processed\n"
        let boolean = try f.file("b.csv", header + "E9,,2024-03-01 10:00:00,yes\n")
        #expect(
            f.failure(Catalog.businessEvents, [boolean])
                == "\(boolean):2: column 'processed': expected a boolean (true/false/1/0), found 'yes'")
        let time = try f.file("t.csv", header + "E9,,2024-03-01 25:00:00,1\n")
        #expect(
            f.failure(Catalog.businessEvents, [time])
                == "\(time):2: column 'event_timestamp': expected a timestamp as YYYY-MM-DD HH:MM:SS, found '2024-03-01 25:00:00'")
        let json = try f.file("j.csv", header + "E9,\"{\"\"a\"\":}\",2024-03-01 10:00:00,1\n")
        #expect(
            f.failure(Catalog.businessEvents, [json])
                == "\(json):2: column 'event_data': expected a JSON document, found '{\"a\":}' (invalid JSON: unexpected '}' at byte 6)")
    }

    @Test("vectors are JSON arrays of numbers")
    func vectors() throws {
        let f = try Fixture()
        let path = try f.file("emb.csv", "embedding_id,embedding_vector\nV1,\"[0.5, -1, 2e1]\"\n")
        try f.ingest(Catalog.businessEmbeddings, [path])
        #expect(try f.rows(Catalog.businessEmbeddings, columns: ["embedding_vector"]) == [[.vector([0.5, -1, 20])]])
        let bad = try f.file("bad.csv", "embedding_id,embedding_vector\nV2,\"[0.5, \"\"x\"\"]\"\n")
        #expect(
            f.failure(Catalog.businessEmbeddings, [bad])
                == "\(bad):2: column 'embedding_vector': expected a JSON array of at most 2048 numbers, found '[0.5, \"x\"]'")
    }

    @Test("an empty field in a NOT NULL column is an error naming the column")
    func notNull() throws {
        let f = try Fixture()
        let path = try f.file("p.csv", "project_id,project_name,start_date\nP1,,2024-01-01\n")
        #expect(
            f.failure(Catalog.projects, [path])
                == "\(path):2: column 'project_name': a value is required (the column is NOT NULL), found an empty field")
        // A NOT NULL column with a default takes the default when left empty.
        let defaulted = try f.file("d.csv", "project_id,project_name,start_date,created_at\nP1,One,2024-01-01,\n")
        try f.ingest(Catalog.projects, [defaulted])
        let created = try f.rows(Catalog.projects, columns: ["created_at"])
        #expect(created.count == 1 && !created[0][0].isNull)
    }

    @Test("a header without a required column is refused at line 1")
    func missingColumn() throws {
        let f = try Fixture()
        let one = try f.file("one.csv", "project_id,project_name\nP1,One\n")
        #expect(f.failure(Catalog.projects, [one]) == "\(one):1: missing required column 'start_date' for table projects")
        let two = try f.file("two.csv", "project_name\nOne\n")
        #expect(f.failure(Catalog.projects, [two]) == "\(two):1: missing required columns 'project_id', 'start_date' for table projects")
    }

    @Test("an unknown header column is refused at line 1, listing the table's columns")
    func unknownColumn() throws {
        let f = try Fixture()
        let path = try f.file("p.csv", "project_id,project_name,start_date,budget\nP1,One,2024-01-01,5\n")
        #expect(
            f.failure(Catalog.projects, [path]) == "\(path):1: unknown column 'budget'; table projects has columns: "
                + "project_id, project_name, project_type, start_date, end_date, budget_amount, actual_cost, status, customer_id, created_at, "
                + "description"
        )
        let twice = try f.file("twice.csv", "project_id,project_name,start_date,project_id\n")
        #expect(f.failure(Catalog.projects, [twice]) == "\(twice):1: column 'project_id' appears twice in the header")
    }

    @Test("a short last row and an unterminated quote say the file may be truncated")
    func truncated() throws {
        let f = try Fixture()
        let short = try f.file(
            "short.csv", [projectsHeader, projectLine("P1"), "P2,Project P2,consulting,2024-01"].joined(separator: "\n"))
        #expect(f.failure(Catalog.projects, [short]) == "\(short):3: expected 10 fields, found 4; the file may be truncated")
        let middle = try f.file("middle.csv", [projectsHeader, "P2,Project P2", projectLine("P1")].joined(separator: "\n"))
        #expect(f.failure(Catalog.projects, [middle]) == "\(middle):2: expected 10 fields, found 2")
        let quote = try f.file(
            "quote.csv", [projectsHeader, projectLine("P1"), "P2,\"Project P2,consulting,2024-01-01"].joined(separator: "\n"))
        #expect(f.failure(Catalog.projects, [quote]) == "\(quote):3: unterminated quoted field; the file may be truncated")
        #expect(try f.store.rowCount("projects") == 0)
    }

    @Test("quoted fields keep commas, line breaks and doubled quotes; line numbers stay physical")
    func quotedFields() throws {
        let f = try Fixture()
        let path = try f.file(
            "p.csv",
            #"""
            project_id,project_name,project_type,start_date,status
            P1,"Smith, Jones & Co",consulting,2024-01-01,active
            P2,"Multi
            line
            name",build,2024-02-01,"said ""hi"""
            P3,"",x,2024-03-01,
            "P4",Four,"",2024-04-01,""

            """#)
        try f.ingest(Catalog.projects, [path])
        #expect(try f.column(Catalog.projects, "project_name") == ["Smith, Jones & Co", "Multi\nline\nname", "", "Four"])
        #expect(try f.column(Catalog.projects, "status") == ["active", "said \"hi\"", "NULL", ""])
        #expect(try f.column(Catalog.projects, "project_type") == ["consulting", "build", "x", ""])

        let bad = try f.file(
            "bad.csv",
            #"""
            project_id,project_name,project_type,start_date,status
            P5,"Multi
            line",build,2024-02-01,"x"
            P6,Six,x,2024-02-30,
            """#)
        #expect(f.failure(Catalog.projects, [bad]) == "\(bad):4: column 'start_date': expected a date as YYYY-MM-DD, found '2024-02-30'")
        let junk = try f.file("junk.csv", "project_id,project_name,start_date\nP7,\"Seven\"x,2024-01-01\n")
        #expect(
            f.failure(Catalog.projects, [junk])
                == "\(junk):2: column 'project_name': unexpected text after the closing quote; a quote inside a quoted field must be doubled (\"\")"
        )
    }

    @Test("CRLF line ends and a UTF-8 byte order mark")
    func crlfAndBOM() throws {
        let f = try Fixture()
        let text =
            "project_id,project_name,start_date,status\r\nP1,One,2024-01-01,active\r\nP2,\"Two\r\nlines\",2024-01-02,\"done\"\r\nP3,Three,2024-01-03,\r\n"
        let path = try f.file("p.csv", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let summary = try f.ingest(Catalog.projects, [path])
        #expect(summary.inserted == 3)
        #expect(try f.column(Catalog.projects, "project_id") == ["P1", "P2", "P3"])
        #expect(try f.column(Catalog.projects, "project_name") == ["One", "Two\r\nlines", "Three"])
        #expect(try f.column(Catalog.projects, "status") == ["active", "done", "NULL"])
        let bad = try f.file("bad.csv", "project_id,project_name,start_date\r\nP4,Four,2024-01-01\r\nP5,Five,01/02/2024\r\n")
        #expect(f.failure(Catalog.projects, [bad]) == "\(bad):3: column 'start_date': expected a date as YYYY-MM-DD, found '01/02/2024'")
    }

    @Test("Latin-1 bytes and a UTF-16 byte order mark are reported as encoding problems")
    func wrongEncoding() throws {
        let f = try Fixture()
        let latin1 = try f.file(
            "latin1.csv",
            bytes: Array("project_id,project_name,start_date\nP1,Cafe,2024-01-01\nP2,Caf".utf8) + [0xE9] + Array(",2024-01-01\n".utf8))
        #expect(
            f.failure(Catalog.projects, [latin1])
                == "\(latin1):3: not valid UTF-8 (byte 0xE9 at byte 7 of the line); convert the file to UTF-8")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "project_id,project_name,start_date\n".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let wide = try f.file("utf16.csv", bytes: utf16)
        #expect(
            f.failure(Catalog.projects, [wide])
                == "\(wide): the file is UTF-16 (little-endian, it starts with a UTF-16 byte order mark); convert it to UTF-8")
        #expect(try f.store.rowCount("projects") == 0)
    }

    @Test("money survives CSV → store → scan exactly, up to 9,999,999,999,999.99")
    func decimalRoundTrip() throws {
        let f = try Fixture()
        let path = try f.file(
            "p.csv",
            [
                projectsHeader, projectLine("P1", budget: "9999999999999.99"), projectLine("P2", budget: "-9999999999999.99"),
                projectLine("P3", budget: "0.01"), projectLine("P4", budget: "+7"),
            ].joined(separator: "\n"))
        try f.ingest(Catalog.projects, [path])
        let budgets = try f.rows(Catalog.projects, columns: ["budget_amount"]).map { $0[0] }
        #expect(budgets == [.decimal(999_999_999_999_999), .decimal(-999_999_999_999_999), .decimal(1), .decimal(700)])
        #expect(try f.column(Catalog.projects, "budget_amount") == ["9999999999999.99", "-9999999999999.99", "0.01", "7.00"])
    }

    @Test("an empty file or a header alone is zero rows; a missing file or unknown extension is an error")
    func emptyAndMissing() throws {
        let f = try Fixture()
        let empty = try f.file("empty.csv", "")
        let header = try f.file("header.csv", projectsHeader + "\n")
        let summary = try f.ingest(Catalog.projects, [empty, header])
        #expect(summary.rows == 0 && summary.files == 2)
        let missing = f.directory + "/nope.csv"
        #expect(f.failure(Catalog.projects, [missing]) == "\(missing): cannot open the file: no such file")
        let text = try f.file("p.txt", "x")
        #expect(
            f.failure(Catalog.projects, [text])
                == "\(text): cannot tell the format from the file name ('.txt'); use .csv, .jsonl or .ndjson, or name the format (--input-format csv|jsonl)"
        )
    }

    @Test("files larger than the read buffer: records across chunk boundaries, exact line numbers")
    func largeFile() throws {
        let f = try Fixture()
        var text = "metric_id,project_id,metric_type,metric_value,metric_date\n"
        let count = 200_000
        var physicalLines = 1
        for i in 0..<count {
            // Every 997th row has a quoted, two-line metric_type.
            let type = i % 997 == 0 ? "\"multi\nline, \"\"quoted\"\"\"" : "revenue"
            text += "M\(i),P\(i % 50),\(type),\(i).\(i % 100 < 10 ? "0" : "")\(i % 100),2024-01-\(10 + i % 20)\n"
            physicalLines += i % 997 == 0 ? 2 : 1
        }
        #expect(text.utf8.count > 6 << 20)  // two boundaries of the default 4 MiB buffer
        let good = try f.file("big.csv", text)
        var calls: [(Int64, Int64)] = []
        let summary = try Ingestor(store: f.store, table: Catalog.financialMetrics) { calls.append(($0, $1)) }.ingest(files: [good])
        #expect(summary.inserted == count)
        #expect(calls.count >= 2 && calls.last! == (summary.bytes, summary.bytes))
        let rows = try f.rows(Catalog.financialMetrics, columns: ["metric_id", "metric_type", "metric_value"])
        #expect(rows.count == count)
        #expect(rows[997] == [.text("M997"), .text("multi\nline, \"quoted\""), .decimal(99_797)])
        #expect(rows[count - 1] == [.text("M\(count - 1)"), .text("revenue"), .decimal(19_999_999)])

        let bad = try f.file("big-bad.csv", text.replacingOccurrences(of: "M199999,", with: "M0,"))
        #expect(
            f.failure(Catalog.financialMetrics, [bad]) == "\(bad):\(physicalLines): duplicate primary key 'M0' (first seen at \(bad):2)")
    }
}
