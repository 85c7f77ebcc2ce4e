import DecisioningAnalytics
import DecisioningCore
import DecisioningStore
import Foundation
import Testing

@Suite struct ZZDebugDump {
    @Test func dump() throws {
        guard let spec = ProcessInfo.processInfo.environment["DIFFDEBUG"] else { return }
        let parts = spec.split(separator: ":").map { Int($0)! }
        let dataset = RandomDataset(seed: UInt64(parts[0]))
        let path = "/tmp/difftest-debug/d\(parts[0]).sqlite"
        try? FileManager.default.removeItem(atPath: path)
        let store = try SQLiteStore(path: path)
        for t in dataset.tables { try TemporaryStore.load(t.schema, rows: t.rows, into: store) }
        let c = RandomPlanCase(dataset: UInt64(parts[0]), plan: parts[1])
        let node = c.node(dataset)
        let r = try SQLRenderer(dialect: .sqlite, asOf: c.asOf, catalog: dataset.catalog).render(node.plan)
        try (r.pasteable + "\n").write(toFile: "/tmp/difftest-debug/q.sql", atomically: true, encoding: .utf8)
        print(PlanText.describe(node.plan))
        print(node.plan)
    }
}
