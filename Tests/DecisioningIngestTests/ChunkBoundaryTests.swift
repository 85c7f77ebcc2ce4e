import DecisioningCore
import DecisioningIngest
import DecisioningStore
import Testing

/// Tiny read buffers put a chunk boundary at every position of a record: inside quotes, between
/// the two quotes of a doubled quote, between CR and LF, inside a multi-byte character, inside a
/// byte order mark. Results and error lines must not depend on where the boundaries fall.
@Suite("Chunk boundaries")
struct ChunkBoundaryTests {
    static let bufferSizes = [1, 2, 3, 4, 5, 7, 8, 13, 64]

    static let csvText: String = [
        "project_id,project_name,project_type,start_date,budget_amount,status,created_at\r\n",
        "P1,\"Smith, \"\"Jones\"\" & Co\",consulting,2024-01-01,12.5,active,2024-01-01 00:00:00\r\n",
        "P2,\"Multi\r\nline\nname\",\"\",2024-02-01,,\"x\",2024-01-01 00:00:00\n",
        "\n",
        "P3,Café Ünïcödé €,,2024-03-01,-0.01,\"\"\"\",2024-01-01 00:00:00\r\n",
        "P4,Last,x,2024-04-01,9999999999999.99,\"end\",2024-01-01 00:00:00",
    ].joined()

    static let csv: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(csvText.utf8)

    static let jsonl = #"""
        {"event_id":"E1","event_data":{"a":[1,2,{"b":"c\"d"}]},"event_timestamp":"2024-03-01 10:00:00","processed":1}

        {"event_id":"E2","event_type":"caf\u00e9 ☕","event_data":"text","event_timestamp":"2024-03-01 10:00:01"}
        {"event_id":"E3","event_timestamp":"2024-03-01 10:00:02","event_data":null,"processed":false}
        """#

    @Test("CSV loads the same rows whatever the buffer size", arguments: bufferSizes)
    func csvRows(bufferSize: Int) throws {
        let reference = try Fixture()
        try reference.ingest(Catalog.projects, [try reference.file("p.csv", bytes: ChunkBoundaryTests.csv)])
        let expected = try reference.rows(Catalog.projects)
        #expect(expected.count == 4)
        #expect(
            try reference.column(Catalog.projects, "project_name") == [
                "Smith, \"Jones\" & Co", "Multi\r\nline\nname", "Café Ünïcödé €", "Last",
            ])
        #expect(try reference.column(Catalog.projects, "status") == ["active", "x", "\"", "end"])

        let f = try Fixture()
        let summary = try f.ingest(
            Catalog.projects, [try f.file("p.csv", bytes: ChunkBoundaryTests.csv)], options: IngestOptions(readBufferSize: bufferSize))
        #expect(summary.inserted == 4)
        #expect(try f.rows(Catalog.projects) == expected)
    }

    @Test("CSV error lines do not depend on the buffer size", arguments: bufferSizes)
    func csvErrors(bufferSize: Int) throws {
        let f = try Fixture()
        let options = IngestOptions(maxRejected: 10, readBufferSize: bufferSize)
        let text =
            Array(String(decoding: ChunkBoundaryTests.csv, as: UTF8.self).replacingOccurrences(of: "2024-03-01,", with: "2024-03-32,").utf8)
            + Array("\r\nP5,\"unterminated,x".utf8)
        let path = try f.file("p.csv", bytes: text)
        let summary = try f.ingest(Catalog.projects, [path], options: options)
        #expect(
            summary.errors.map(\.description) == [
                "\(path):7: column 'start_date': expected a date as YYYY-MM-DD, found '2024-03-32'",
                "\(path):9: unterminated quoted field; the file may be truncated",
            ])
        #expect(try f.column(Catalog.projects, "project_id") == ["P1", "P2", "P4"])
    }

    @Test("JSON Lines loads the same rows whatever the buffer size", arguments: bufferSizes)
    func jsonlRows(bufferSize: Int) throws {
        let f = try Fixture()
        let summary = try f.ingest(
            Catalog.businessEvents, [try f.file("e.jsonl", ChunkBoundaryTests.jsonl)], options: IngestOptions(readBufferSize: bufferSize))
        #expect(summary.inserted == 3)
        #expect(
            try f.rows(Catalog.businessEvents, columns: ["event_id", "event_type", "event_data", "processed"]) == [
                [.text("E1"), .null, .json(#"{"a":[1,2,{"b":"c\"d"}]}"#), .boolean(true)],
                [.text("E2"), .text("café ☕"), .json(#""text""#), .boolean(false)],
                [.text("E3"), .null, .null, .boolean(false)],
            ])
        let truncated = try f.file("t.jsonl", ChunkBoundaryTests.jsonl.replacingOccurrences(of: "E", with: "X") + "\n{\"event_id\":\"X4\",")
        let options = IngestOptions(readBufferSize: bufferSize)
        #expect(
            f.failure(Catalog.businessEvents, [truncated], options: options)
                == "\(truncated):5: invalid JSON: unexpected end of the line at byte 18; the file looks truncated")
    }
}
