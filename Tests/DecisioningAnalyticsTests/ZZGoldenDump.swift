import DecisioningAnalytics
import DecisioningCore
import Foundation
import Testing

@Suite struct ZZGoldenDump {
    @Test func dump() throws {
        guard ProcessInfo.processInfo.environment["GOLDENDUMP"] != nil else { return }
        let asOf = Day(iso: "2026-11-25")!
        var out = ""
        for analysis in Analyses.all() {
            for part in analysis.parts {
                for dialect in SQLDialect.allCases {
                    let r = try SQLRenderer(dialect: dialect, asOf: asOf).render(part.plan)
                    let indent = "            "
                    let sql = r.sql.split(separator: "\n", omittingEmptySubsequences: false).map { indent + $0 }.joined(separator: "\n")
                    out += "        \"\(analysis.name)/\(part.name)/\(dialect.rawValue)\": Golden(\n"
                    out += "            sql: \"\"\"\n\(sql)\n            \"\"\",\n"
                    out += "            bindings: \"\(RendererGoldenTests.describe(r.bindings))\"),\n"
                }
            }
        }
        try out.write(toFile: "/tmp/difftest-debug/golden.txt", atomically: true, encoding: .utf8)
    }
}
