import DecisioningCore
import DecisioningSynth
import Foundation
import Testing

/// `--actual-cost at-completion` changes running projects' actual_cost and nothing else; the default
/// keeps actual_cost equal to the ledger's COST rows.
@Suite struct ActualCostConventionTests {
    static let spec = GeneratorSpec(scale: 0.005, seed: 5, asOf: Day(iso: "2026-06-30")!)

    static func export(_ convention: ActualCostConvention) throws -> [String: Data] {
        var spec = Self.spec
        spec.actualCost = convention
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("decisioning-eac-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Generator(spec: spec).export(toDirectory: directory)
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
        return files
    }

    /// The CSV's records as fields (RFC 4180 quotes), header first.
    static func records(_ data: Data?) -> [[String]] {
        var out: [[String]] = []
        for line in String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n") {
            var fields: [String] = []
            var field = ""
            var quoted = false
            var chars = Array(line)[...]
            while let c = chars.popFirst() {
                if quoted {
                    if c == "\"" {
                        if chars.first == "\"" {
                            field.append("\"")
                            chars.removeFirst()
                        } else {
                            quoted = false
                        }
                    } else {
                        field.append(c)
                    }
                } else if c == "\"" {
                    quoted = true
                } else if c == "," {
                    fields.append(field)
                    field = ""
                } else {
                    field.append(c)
                }
            }
            fields.append(field)
            out.append(fields)
        }
        return out
    }

    /// Cents of a decimal field ("1234.50").
    static func cents(_ s: String) -> Int64 {
        if case .success(let v) = FixedPoint.parse(s, precision: 18, scale: 2) { return v }
        return 0
    }

    /// COST booked per project and the months booked.
    static func ledger(_ files: [String: Data]) -> [String: (cost: Int64, months: Int)] {
        var out: [String: (cost: Int64, months: Int)] = [:]
        for r in records(files["financial_metrics.csv"]).dropFirst() where r[2] == "COST" {
            out[r[1], default: (0, 0)].cost += cents(r[3])
            out[r[1], default: (0, 0)].months += 1
        }
        return out
    }

    @Test func theDefaultIsToDateAndActualCostIsTheLedgersCost() throws {
        #expect(Self.spec.actualCost == .toDate)
        let files = try Self.export(.toDate)
        let ledger = Self.ledger(files)
        let projects = Self.records(files["projects.csv"])
        let column = try #require(projects[0].firstIndex(of: "actual_cost"))
        #expect(projects.count > 400)
        for p in projects.dropFirst() { #expect(Self.cents(p[column]) == ledger[p[0]]?.cost ?? 0, "\(p[0])") }
        let truth = try JSONSerialization.jsonObject(with: try #require(files["truth.json"])) as? [String: Any]
        #expect(truth?["actual_cost_convention"] as? String == "to-date")
    }

    @Test func atCompletionChangesOnlyRunningProjectsActualCost() throws {
        let toDate = try Self.export(.toDate)
        let atCompletion = try Self.export(.atCompletion)
        for name in ["customer_analytics.csv", "financial_metrics.csv", "business_events.jsonl"] {
            #expect(toDate[name] == atCompletion[name], "\(name) must not change with the convention")
        }
        let before = Self.records(toDate["projects.csv"])
        let after = Self.records(atCompletion["projects.csv"])
        #expect(before.count == after.count)
        let header = before[0]
        let cost = try #require(header.firstIndex(of: "actual_cost"))
        let status = try #require(header.firstIndex(of: "status"))
        let budget = try #require(header.firstIndex(of: "budget_amount"))
        let start = try #require(header.firstIndex(of: "start_date"))
        let end = try #require(header.firstIndex(of: "end_date"))
        let ledger = Self.ledger(toDate)
        var changed = 0
        var inBand = 0
        var compared = 0
        var running = 0
        for (a, b) in zip(before.dropFirst(), after.dropFirst()) {
            var sameElsewhere = a
            sameElsewhere[cost] = b[cost]
            #expect(sameElsewhere == b, "only actual_cost may change: \(a[0])")
            let isRunning = ["ACTIVE", "IN_PROGRESS", "ON_HOLD"].contains(a[status])
            if !isRunning { #expect(a[cost] == b[cost], "\(a[0]) (\(a[status])) must keep its final cost") }
            guard isRunning, let s = Day(iso: a[start]), let e = Day(iso: a[end]) else { continue }
            running += 1
            if a[cost] != b[cost] { changed += 1 }
            // A credible estimate: at least what is booked, and between the two earned-value estimates.
            let booked = Double(ledger[a[0]]?.cost ?? 0)
            let eac = Double(Self.cents(b[cost]))
            let planned = max(1, (Double(s.days(until: e) + 1) / 30.4375).rounded())
            let share = min(1, Double(ledger[a[0]]?.months ?? 0) / planned)
            #expect(eac >= booked, "\(a[0]): estimate \(eac) below the booked \(booked)")
            guard share > 0 else { continue }
            compared += 1
            let b1 = booked + Double(Self.cents(a[budget])) * (1 - share)
            let b2 = booked / share
            if eac >= min(b1, b2) * 0.95 && eac <= max(b1, b2) * 1.05 { inBand += 1 }
        }
        #expect(running > 100)
        #expect(Double(changed) >= 0.9 * Double(running), "\(changed) of \(running) running projects changed")
        #expect(compared > 100 && Double(inBand) >= 0.95 * Double(compared), "\(inBand) of \(compared) between the two estimates")
        // The truth records the convention and nothing else changes in it.
        let truthBefore = try JSONSerialization.jsonObject(with: try #require(toDate["truth.json"])) as? [String: Any]
        var truthAfter = try JSONSerialization.jsonObject(with: try #require(atCompletion["truth.json"])) as? [String: Any]
        #expect(truthAfter?["actual_cost_convention"] as? String == "at-completion")
        truthAfter?["actual_cost_convention"] = "to-date"
        #expect(NSDictionary(dictionary: truthBefore ?? [:]).isEqual(to: truthAfter ?? [:]))
    }

    @Test func aTruthFileFromBeforeTheOptionStillLoads() throws {
        var json = String(decoding: try #require(try Self.export(.toDate)["truth.json"]), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"actual_cost_convention\" : \"to-date\",", with: "")
        #expect(!json.contains("actual_cost_convention"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("old-\(UUID().uuidString).truth.json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try GroundTruth.load(path: path).actualCostConvention == nil)
    }
}
