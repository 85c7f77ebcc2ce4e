import DecisioningCore
import Foundation
import Testing

/// `decisioning forecast` end to end: refused input names file, line and field; output shapes; a planted series.
@Suite struct ForecastCommandTests {
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("forecast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `forecast` on `csv` written to s.csv with the given extra arguments.
    static func forecast(_ csv: String, _ arguments: [String] = ["--horizon", "3", "--period", "1"]) throws -> CommandLineTests.Outcome {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(csv.utf8).write(to: dir.appendingPathComponent("s.csv"))
        return try CommandLineTests.run(["forecast", "--series", "s.csv"] + arguments, in: dir)
    }

    /// A planted monthly series: 200 + 0.5 t + 25 sin(2πt/12) + N(0, 2²), seeded.
    static func planted(_ n: Int, seed: UInt64) -> [Double] {
        var rng = SeededRandom(seed: seed, stream: 5)
        var values: [Double] = []
        for t in 0..<n {
            let x = Double(t)
            let season: Double = 25 * sin(2 * Double.pi * x / 12)
            values.append(200 + 0.5 * x + season + rng.normal(sd: 2))
        }
        return values
    }

    static func csv(_ series: [String: [Double]]) -> String {
        var out = "series_id,t,value\n"
        for (id, values) in series.sorted(by: { $0.key < $1.key }) {
            let field = id.contains(",") ? "\"\(id)\"" : id
            for (t, v) in values.enumerated() { out += "\(field),\(t + 1),\(v)\n" }
        }
        return out
    }

    @Test(arguments: [
        ("series,t,value\na,1,2\n", "s.csv:1: field 'series_id': missing column"),
        ("series_id,t,value\na,1,2\na,2,abc\n", "s.csv:3: field 'value': not a number: 'abc'"),
        ("series_id,t,value\na,1,2\na,2,nan\n", "s.csv:3: field 'value': nan is not a finite number"),
        ("series_id,t,value\na,1,2\na,2,1e300\n", "s.csv:3: field 'value': 1e300 is beyond ±1e15"),
        ("series_id,t,value\na,1,2\na,2,\n", "s.csv:3: field 'value': empty"),
        ("series_id,t,value\na,1,2\na,2,3\na,2,4\n", "s.csv:4: field 't': duplicate t 2 in series 'a' (also on line 3)"),
        ("series_id,t,value\na,1,2\na,2,3\na,4,4\n", "s.csv:4: field 't': gap in series 'a': t 4 follows 2, expected 3"),
        ("series_id,t,value\na,2,2\na,1,3\n", "s.csv:3: field 't': t 1 comes after 2"),
        (
            "series_id,t,value\na,2024-01-01,2\na,2024-02-01,3\na,2024-04-01,4\n",
            "s.csv:4: field 't': gap in series 'a': t 2024-04-01 follows 2024-02-01, expected 2024-03-01"
        ),
        ("series_id,t,value\na,1,2\na,x,3\n", "s.csv:3: field 't': 'x' is not an integer"),
        ("series_id,t,value\na,1,2\nb,1,3\nb,2,4\n", "s.csv:2: field 'series_id': series 'a' has 1 observation; at least 2"),
        ("series_id,t,value\n", "s.csv:2: no data rows"),
        ("", "s.csv:1: the file is empty"),
        ("series_id,t,value\na,1\n", "s.csv:2: field 'value': missing"),
        ("series_id,t,value\n\"a,1,2\n", "s.csv:2: unterminated quoted field"),
    ])
    func hostileInputIsRefusedNamingFileLineAndField(csv: String, message: String) throws {
        let outcome = try Self.forecast(csv)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func badOptionsAndAMissingFileAreRefused() throws {
        let good = "series_id,t,value\na,1,1\na,2,2\na,3,3\n"
        for (arguments, message) in [
            (["--horizon", "0", "--period", "1"], "--horizon must be 1 to 1000"),
            (["--horizon", "3", "--period", "0"], "--period must be 1 to 1000"),
            (["--horizon", "3", "--period", "1", "--level", "100"], "--level must lie strictly between 0 and 100"),
            (["--horizon", "3", "--period", "1", "--threads", "0"], "--threads must be at least 1"),
        ] {
            let outcome = try Self.forecast(good, arguments)
            #expect(outcome.status != 0 && outcome.stderr.contains(message), "\(arguments): \(outcome.stderr)")
        }
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = try CommandLineTests.run(["forecast", "--series", "nope.csv", "--horizon", "2", "--period", "1"], in: dir)
        #expect(missing.status != 0 && missing.stderr.contains("nope.csv: cannot read the file"))
    }

    @Test func csvOutputHasOneRowPerSeriesAndStep() throws {
        let outcome = try Self.forecast(
            Self.csv(["b": Self.planted(48, seed: 1), "a,1": Self.planted(40, seed: 2)]), ["--horizon", "5", "--period", "12"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.first == "series_id,step,t,forecast,lo,hi,model")
        #expect(lines.count == 1 + 2 * 5)
        // Series in the file's order (sorted ids here: "a,1" quoted, then b); t continues the series' own t.
        #expect(lines[1].hasPrefix("\"a,1\",1,41,"))
        #expect(lines[10].hasPrefix("b,5,53,"))
        for line in lines.dropFirst() {
            // The model is the last field, quoted for its commas: …,lo,hi,"ETS(M,N,M)".
            let parts = line.components(separatedBy: ",\"ETS(")
            #expect(parts.count == 2 && parts[1].hasSuffix(")\""), "\(line)")
            let numbers = parts[0].split(separator: ",").suffix(3).compactMap { Double($0) }
            #expect(numbers.count == 3 && numbers[1] <= numbers[0] && numbers[0] <= numbers[2], "\(line)")
        }
    }

    @Test func jsonOutputCarriesTheSameForecastsAndDatesContinue() throws {
        var csv = "series_id,t,value\n"
        let y = Self.planted(36, seed: 3)
        var day = Day(year: 2022, month: 1, day: 31)!
        for v in y {
            csv += "m,\(day.iso),\(v)\n"
            let c = day.adding(months: 1).civil
            day = Day(year: c.year, month: c.month, day: Day.daysIn(year: c.year, month: c.month))!
        }
        let json = try Self.forecast(csv, ["--horizon", "2", "--period", "12", "--format", "json", "--level", "95"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["horizon"] as? Int == 2 && object["period"] as? Int == 12 && object["level"] as? Double == 95)
        let series = try #require(object["series"] as? [[String: Any]])
        #expect(series.count == 1 && series[0]["series_id"] as? String == "m" && series[0]["observations"] as? Int == 36)
        let steps = try #require(series[0]["steps"] as? [[String: Any]])
        #expect(steps.map { $0["t"] as? String } == ["2025-01-31", "2025-02-28"])
        #expect(steps.allSatisfy { Set($0.keys) == ["step", "t", "forecast", "lo", "hi"] })
        let csvRun = try Self.forecast(csv, ["--horizon", "2", "--period", "12", "--level", "95"])
        let first = csvRun.stdout.split(separator: "\n")[1].split(separator: ",")
        #expect(Double(first[3]) == steps[0]["forecast"] as? Double)
    }

    @Test func plantedSeasonalTrendIsForecastWithinToleranceWhateverTheThreads() throws {
        let y = Self.planted(96, seed: 9)
        let series = ["p": Array(y.prefix(78)), "q": Self.planted(60, seed: 10), "r": Self.planted(50, seed: 11)]
        let one = try Self.forecast(Self.csv(series), ["--horizon", "18", "--period", "12", "--threads", "1"])
        let two = try Self.forecast(Self.csv(series), ["--horizon", "18", "--period", "12", "--threads", "2"])
        #expect(one.status == 0 && one.stdout == two.stdout, "\(one.stderr)")
        let rows = one.stdout.split(separator: "\n").dropFirst().filter { $0.hasPrefix("p,") }
        #expect(rows.count == 18)
        var error = 0.0
        for (row, h) in zip(rows, 78..<96) {
            let forecast = try #require(Double(row.split(separator: ",")[3]))
            let x = Double(h)
            let truth: Double = 200 + 0.5 * x + 25 * sin(2 * Double.pi * x / 12)
            error += abs(forecast - truth) / truth
        }
        #expect(error / 18 < 0.03, "mean absolute percentage error \(error / 18)")
    }
}
