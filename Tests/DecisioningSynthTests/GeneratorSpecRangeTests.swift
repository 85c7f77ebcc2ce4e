import DecisioningCore
import DecisioningSynth
import Foundation
import Testing

/// As-of dates and scales the generator cannot honour are refused before any work, never a trap.
@Suite struct GeneratorSpecRangeTests {
    func message(scale: Double = 0.01, asOf: String) -> String? {
        do {
            try GeneratorSpec(scale: scale, seed: 1, asOf: Day(iso: asOf)!).validate()
            return nil
        } catch {
            return error.description
        }
    }

    @Test func asOfIsBounded() {
        #expect(message(asOf: "2500-01-01")?.contains("to 2073-12-31 (at most 50 years of history), found 2500-01-01") == true)
        #expect(message(asOf: "2023-02-01")?.contains("found 2023-02-01") == true)
        #expect(message(asOf: "2073-12-31") == nil)
        #expect(message(asOf: "2026-06-30") == nil)
    }

    @Test func scaleIsBounded() {
        #expect(message(scale: -1, asOf: "2026-06-30")?.contains("found -1.0") == true)
        #expect(message(scale: .nan, asOf: "2026-06-30")?.contains("found nan") == true)
        #expect(message(scale: 101, asOf: "2026-06-30") != nil)
    }

    @Test func theLatestAsOfGeneratesWithoutTrapping() throws {
        let company = try Generator(spec: GeneratorSpec(scale: 0.001, seed: 9, asOf: Day(iso: "2073-12-31")!))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let truth = try company.export(toDirectory: dir)
        #expect((truth.counts["financial_metrics"] ?? 0) > 0)
    }
}
