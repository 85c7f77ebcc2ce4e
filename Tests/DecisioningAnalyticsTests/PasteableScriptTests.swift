import DecisioningCore
import DecisioningStore
import Foundation
import Testing

@testable import DecisioningAnalytics

/// The SQLite script `sql --pasteable` prints gives the figures `query` shows: decimals at their
/// scale (2339087755.00, not the stored units 233908775500), exactly.
@Suite struct PasteableScriptTests {
    @Test func theSQLiteScriptShowsDecimalsAtTheirScale() throws {
        let company = DifferentialCompany.shared
        let asOf = DifferentialCompany.asOf
        var decimalColumns = 0
        for analysis in Analyses.all() {
            for part in analysis.parts {
                let rendered = try SQLRenderer(dialect: .sqlite, asOf: asOf).render(part.plan)
                let plain = try company.store.query(
                    rendered.sql, arguments: rendered.bindings, columnTypes: rendered.fields.map { _ in .longText })
                let pasted = try company.store.query(
                    SQLiteDialect.scaledBack(rendered), arguments: rendered.bindings, columnTypes: rendered.fields.map { _ in .longText })
                #expect(pasted.count == plain.count, "\(analysis.name)/\(part.name)")
                let engine = try company.warehouse.query(part.plan, asOf: asOf)
                for (i, field) in rendered.fields.enumerated() {
                    guard case .decimal(let scale) = field.type, scale > 0 else {
                        #expect(pasted.map { $0[i] } == plain.map { $0[i] }, "\(analysis.name)/\(part.name).\(field.name)")
                        continue
                    }
                    decimalColumns += 1
                    // The engine's answer, formatted at the scale, is what the script must print.
                    let expected = engine.rows.map { row -> Value in
                        if case .decimal(let units) = row[i] { return .text(FixedPoint.format(units, scale: scale)) }
                        return row[i]
                    }
                    #expect(Set(pasted.map { $0[i] }) == Set(expected), "\(analysis.name)/\(part.name).\(field.name)")
                }
            }
        }
        #expect(decimalColumns >= 5)
    }
}
