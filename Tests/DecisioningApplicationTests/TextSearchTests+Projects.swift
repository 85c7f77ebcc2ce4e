import DecisioningApplication
import DecisioningCore
import DecisioningEmbedding
import DecisioningSynth
import Foundation
import Testing

/// `search --entity projects`: projects found by their descriptions (the generator plants a scope theme
/// in each), kept in business_embeddings beside the projects' case vectors without either touching the other.
extension TextSearchTests {
    /// Each project's planted theme, read from its description.
    static func descriptionThemes(_ app: Application) throws -> [String: ProjectDescriptions.Theme] {
        var themes: [String: ProjectDescriptions.Theme] = [:]
        for row in try app.store.query(
            "SELECT project_id, description FROM projects", arguments: [], columnTypes: [.text(maxLength: 50), .longText],
            cancellation: nil)
        {
            let text = row[1].description
            themes[row[0].description] = ProjectDescriptions.Theme.allCases.first { theme in
                ProjectDescriptions.vocabulary(theme).contains { text.contains($0) }
            }
        }
        return themes
    }

    @Test(.enabled(if: TextSearchTests.enabled)) func aParaphraseFindsTheProjectsOfItsPlantedScope() throws {
        let app = try Self.company.get()
        let embedder = try Self.embedder()
        let themes = try Self.descriptionThemes(app)
        let projects = try app.store.rowCount("projects")
        #expect(projects > 100 && themes.count == projects, "every generated project has a description of one theme")
        for (query, theme) in [
            ("moving off old mainframe computers to the cloud", ProjectDescriptions.Theme.legacyMigration),
            ("getting ready for the regulator and the auditors", .compliance),
            ("an app where customers manage their own accounts online", .customerPortal),
            ("reporting and analytics for the managers", .dataPlatform),
            ("machines and robots doing the manual work in the factory", .automation),
            ("new servers and wifi for the offices", .network),
        ] {
            let result = try app.searchText(query, entity: .projects, k: 10, embedder: embedder)
            #expect(result.hits.count == 10)
            #expect(Set(result.hits.map(\.entityId)).count == 10, "one hit per project")
            #expect(result.hits.allSatisfy { $0.entityType == "PROJECT" })
            let precision = Double(result.hits.filter { themes[$0.entityId] == theme }.count) / 10
            #expect(precision >= 0.8, "\(query): \(result.hits.map(\.text))")
            // Scope is written in descriptions, not in event notes.
            #expect(result.hits.filter { $0.source == .description }.count >= 8)
            for hit in result.hits where hit.source == .description {
                #expect(hit.eventId == nil && hit.eventType == nil)
            }
        }
    }

    @Test(.enabled(if: TextSearchTests.enabled)) func anEventSearchNeverAnswersWithADescription() throws {
        let app = try Self.company.get()
        let embedder = try Self.embedder()
        // The wording of a description: the events' search still answers with notes only.
        let result = try app.searchText("Move the core ledger off the ageing mainframe", entity: .events, k: 20, embedder: embedder)
        #expect(result.hits.count == 20)
        #expect(result.hits.allSatisfy { $0.source == .note && $0.eventId != nil && $0.eventType != nil })
        let json = try JSONSerialization.jsonObject(with: try result.jsonData()) as? [String: Any]
        let first = (json?["hits"] as? [[String: Any]])?.first
        #expect(first?["source"] as? String == "note")
    }

    @Test(.enabled(if: TextSearchTests.enabled)) func descriptionVectorsAndCaseVectorsLeaveEachOtherAlone() throws {
        let app = try Self.company.get()
        let embedder = try Self.embedder()
        func count(_ family: String) throws -> Int {
            let rows = try app.store.query(
                "SELECT COUNT(*) FROM business_embeddings WHERE entity_type = 'PROJECT' AND embedding_model LIKE ?",
                arguments: [.text(family + "%")], columnTypes: [.integer], cancellation: nil)
            guard case .integer(let n) = rows.first?.first else { return -1 }
            return Int(n)
        }
        let cases = try app.refreshProjectCaseEmbeddings(asOf: Self.asOf, refit: false)
        let described = try app.refreshProjectDescriptionEmbeddings(embedder: embedder)
        #expect(described.unchanged + described.computed == (try app.store.rowCount("projects")))
        let caseRows = try count("project-case")
        let textRows = try count(String(embedder.model.prefix { $0 != "@" && $0 != "#" }))
        #expect(caseRows == cases.unchanged + cases.computed && caseRows > 100)
        #expect(textRows == described.unchanged + described.computed && textRows > 100)
        // Refreshing either again changes nothing of the other.
        let casesAgain = try app.refreshProjectCaseEmbeddings(asOf: Self.asOf, refit: false)
        #expect(casesAgain.computed == 0 && casesAgain.removed == 0)
        #expect(try count(String(embedder.model.prefix { $0 != "@" && $0 != "#" })) == textRows)
        let again = try app.refreshProjectDescriptionEmbeddings(embedder: embedder)
        #expect(again.computed == 0 && again.removed == 0 && again.unchanged == textRows)
        #expect(try count("project-case") == caseRows)
        // A changed description is embedded alone, and found by its new meaning.
        let project = try app.store.query(
            "SELECT project_id FROM projects ORDER BY project_id LIMIT 1", arguments: [], columnTypes: [.text(maxLength: 50)],
            cancellation: nil)[0][0]
        try app.store.writeBatch(cancellation: nil) { writer in
            try writer.execute(
                "UPDATE projects SET description = ? WHERE project_id = ?",
                arguments: [.text("Plant ten thousand trees along the river and restore the wetland habitat."), project])
        }
        let changed = try app.refreshProjectDescriptionEmbeddings(embedder: embedder)
        #expect(changed.computed == 1 && changed.removed == 1)
        let found = try app.searchText("reforestation and nature conservation", entity: .projects, k: 1, embedder: embedder)
        #expect(found.hits.first?.entityId == project.description)
        #expect(found.hits.first?.source == .description)
    }
}
