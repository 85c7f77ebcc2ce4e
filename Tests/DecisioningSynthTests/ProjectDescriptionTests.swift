import DecisioningCore
import DecisioningSynth
import Testing

/// Every generated project has a description with one planted theme; most migrations move a legacy system.
@Suite struct ProjectDescriptionTests {
    static func theme(of text: String) -> [ProjectDescriptions.Theme] {
        ProjectDescriptions.Theme.allCases.filter { theme in ProjectDescriptions.vocabulary(theme).contains { text.contains($0) } }
    }

    @Test func everyProjectIsDescribedWithOneThemeAndMigrationsMostlyMoveALegacySystem() throws {
        let rows = try GeneratedCompany.shared.rows(
            "SELECT project_type, description FROM projects", [.text(maxLength: 50), .longText])
        #expect(rows.count > 1000)
        var migrations = 0
        var legacy = 0
        var seen = Set<ProjectDescriptions.Theme>()
        for row in rows {
            let text = row[1].text
            let themes = Self.theme(of: text)
            // One scope and one detail of the same theme: the theme is unambiguous.
            #expect(themes.count == 1, "\(text)")
            seen.formUnion(themes)
            #expect(text.contains(" client, including "))
            if row[0].text == "MIGRATION" {
                migrations += 1
                if themes == [.legacyMigration] { legacy += 1 }
            }
        }
        #expect(seen == Set(ProjectDescriptions.Theme.allCases))
        #expect(migrations > 50)
        let share = Double(legacy) / Double(migrations)
        #expect(share > 0.65 && share < 0.9, "legacy share among migrations \(share)")
    }
}
