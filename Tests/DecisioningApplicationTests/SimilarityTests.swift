import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import DecisioningSynth
import Foundation
import Testing

/// Similar past cases: the case vectors, the precedent search and its measure, against planted truth.
@Suite struct SimilarityTests {
    static let asOf = Day(iso: "2026-11-25")!

    /// One company for the suite (overruns planted from customer risk, payment delay, type and budget).
    static let generated: Result<(Application, GroundTruth), any Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("similarity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let app = try Application.open(.sqlite(path: dir.appendingPathComponent("s.sqlite").path), configuration: Configuration())
        let generation = try app.generate(Generator(spec: GeneratorSpec(scale: 0.04, seed: 11, asOf: asOf)), keepTruth: false)
        return (app, generation.truth)
    }

    func cases() throws -> (completed: [ProjectCase], started: [ProjectCase]) {
        let (app, _) = try Self.generated.get()
        let results = try app.warehouse.query([ProjectCase.completedPlan, ProjectCase.startedPlan], asOf: Self.asOf)
        return (try ProjectCase.cases(results[0], query: "completed"), try ProjectCase.cases(results[1], query: "started"))
    }

    @Test func theFeaturesAreStandardizedOverTheFitAndCategoriesCountOneDeviation() throws {
        let (_, started) = try cases()
        let featurizer = ProjectCaseFeaturizer(fitting: started)
        let vectors = started.map(featurizer.vector)
        #expect(
            featurizer.dimension == ProjectCaseFeaturizer.numericFeatures.count + featurizer.fit.types.count
                + featurizer.fit.industries.count)
        for f in ProjectCaseFeaturizer.numericFeatures.indices {
            let column = vectors.map { Double($0[f]) }
            let mean = column.reduce(0, +) / Double(column.count)
            #expect(abs(mean) < 0.05, "feature \(ProjectCaseFeaturizer.numericFeatures[f]) has mean \(mean)")
        }
        // Two projects alike but for their type are exactly one (squared) unit apart.
        var a = started[0]
        var b = a
        a.projectType = featurizer.fit.types[0]
        b.projectType = featurizer.fit.types[1]
        let d = zip(featurizer.vector(a), featurizer.vector(b)).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(abs(d - 1) < 1e-5)
        // A missing number is the mean (0), never NaN; an unknown rating too.
        a.customerRisk = nil
        a.creditRating = "not a rating"
        let v = featurizer.vector(a)
        #expect(v.allSatisfy { $0.isFinite })
        #expect(v[2] == 0 && v[4] == 0)
    }

    @Test func aPrecedentIsTheNearestCompletedProjectsNeverItselfAndItsRateCountsTheirOverruns() throws {
        let (completed, started) = try cases()
        let finder = PrecedentFinder(completed: completed, featurizer: ProjectCaseFeaturizer(fitting: started))
        let project = completed[17]
        let precedent = finder.precedent(for: project, k: 25)
        #expect(precedent.cases.count == 25)
        #expect(!precedent.cases.contains { $0.projectId == project.projectId })
        #expect(precedent.cases.map(\.distance) == precedent.cases.map(\.distance).sorted())
        #expect(precedent.outcomeRate == Double(precedent.cases.filter(\.overran).count) / 25)
        // Nothing left out is nearer than the farthest case returned (exact search).
        let query = finder.featurizer.vector(project)
        let farthest = precedent.cases.last?.distance ?? 0
        let returned = Set(precedent.cases.map(\.projectId))
        for other in completed where other.projectId != project.projectId && !returned.contains(other.projectId) {
            let d = zip(query, finder.featurizer.vector(other)).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }.squareRoot()
            #expect(d >= farthest - 1e-5)
        }
        // A scope is applied during the search: still k cases, all of the same industry.
        let sameIndustry = finder.precedent(for: project, k: 25, scope: .sameIndustry)
        #expect(sameIndustry.cases.count == 25)
        #expect(sameIndustry.cases.allSatisfy { $0.industry == project.industry })
    }

    @Test func theNearestCasesOverrunRatePredictsThePlantedOverrunsOnHeldOutProjects() throws {
        let (app, truth) = try Self.generated.get()
        let evaluation = try app.evaluateSimilarity(asOf: Self.asOf, k: 20, seed: 3)
        let measured = evaluation.trainProjects + evaluation.testProjects
        #expect(measured <= truth.overrun.completedProjects && Double(measured) >= 0.95 * Double(truth.overrun.completedProjects))
        // Overruns are planted from what the case vectors hold: precedent must rank them well above chance,
        // close to the boosted trees on the same split.
        #expect(evaluation.nearestNeighboursAUC > 0.65, "k-NN AUC \(evaluation.nearestNeighboursAUC)")
        #expect(evaluation.nearestNeighboursAUC > evaluation.boostedTreesAUC - 0.08)
        // Seen halfway through their schedule, the held-out projects' burn rate then tells much of how they end.
        #expect(evaluation.progressAUC > evaluation.nearestNeighboursAUC + 0.05, "on progress \(evaluation.progressAUC)")
    }

    /// The COST ledger of the completed projects and of `including`.
    func ledger(including ids: [String] = []) throws -> CostLedger {
        let (app, _) = try Self.generated.get()
        let results = try app.warehouse.query([CostLedger.plan(including: ids), CostLedger.closePlan], asOf: Self.asOf)
        return try CostLedger(results[0], close: results[1], query: "ledger")
    }

    @Test func theLedgerSaysWhatAProjectHadBookedByAnyDay() throws {
        let (completed, _) = try cases()
        let ledger = try ledger()
        // The generator books a project's COST rows to add up to its actual cost, cent for cent.
        for project in completed.prefix(200) {
            let end = try #require(project.end)
            let booked = try #require(ledger.booked(project.projectId, by: end.adding(days: 40)))
            #expect(abs(booked - Double(project.actualCost.minorUnits) / 100) < 0.01, "\(project.projectId)")
            #expect(ledger.booked(project.projectId, by: project.start.adding(days: -40)) == 0)
            // Bookings only grow, and the whole schedule's burn rate is the cost over the budget.
            let half = try #require(project.progress(atShare: 0.5, ledger: ledger)?.burnRate)
            let whole = try #require(project.progress(atShare: 1, ledger: ledger)?.burnRate)
            #expect(half * 0.5 <= whole + 1e-9)
        }
        #expect(ledger.booked("no such project", by: Self.asOf) == nil)
    }

    /// Planted: the anomalous running projects have booked 1.6–3× their budget share so far. Compared on
    /// progress, their precedents are completed projects that had spent as fast at the same point of their
    /// schedule, and most of those overran; by the features known at the start alone, far fewer did.
    @Test func aRunningProjectIsComparedWithCompletedOnesThatSpentAlikeAtTheSamePointOfTheirSchedule() throws {
        let (app, truth) = try Self.generated.get()
        let (completed, _) = try cases()
        let running = try ProjectCase.cases(try app.warehouse.query([ProjectCase.runningPlan], asOf: Self.asOf)[0], query: "running")
        let anomalous = Set(truth.anomalousProjects)
        let ledger = try ledger(including: running.map(\.projectId))
        let finder = PrecedentFinder(completed: completed, running: running, ledger: ledger)
        // Progress is measured where the ledger was closed (the month before the as-of date): days after it are not booked yet.
        let closed = try #require(ledger.closedThrough)
        #expect(closed < Self.asOf && closed.adding(days: 31) >= Self.asOf)
        let planted = running.filter {
            anomalous.contains($0.projectId) && ($0.scheduleShare(on: closed) ?? 0) >= PrecedentFinder.minimumShare
        }
        #expect(planted.count >= 20)
        var onProgress: [Double] = []
        var atStart: [Double] = []
        for project in planted {
            let precedent = finder.precedent(for: project, k: 20, asOf: Self.asOf)
            let progress = try #require(precedent.progress)
            #expect(precedent.featurizer == "project-case@1+burn")
            #expect(progress.scheduleShare == project.scheduleShare(on: closed))
            #expect((progress.burnRate ?? 0) > 1.4, "\(project.projectId) burns \(progress.burnRate ?? 0)")
            // Each case's burn rate is its own at the same share of its schedule.
            for found in precedent.cases.prefix(3) {
                let other = try #require(completed.first { $0.projectId == found.projectId })
                #expect(found.burnRate == other.progress(atShare: progress.scheduleShare, ledger: ledger)?.burnRate)
            }
            #expect((progress.casesBurnRate ?? 0) > 1.2)
            onProgress.append(precedent.outcomeRate ?? 0)
            atStart.append(finder.precedent(for: project, k: 20).outcomeRate ?? 0)
        }
        let progressRate = onProgress.reduce(0, +) / Double(onProgress.count)
        let startRate = atStart.reduce(0, +) / Double(atStart.count)
        #expect(progressRate >= 0.7, "outcome rate on progress \(progressRate)")
        #expect(progressRate >= startRate + 0.2, "on progress \(progressRate), at the start \(startRate)")
        // `similar` compares a running project the same way, and says so.
        let first = try #require(planted.first)
        let found = try app.similarProjects(first.projectId, asOf: Self.asOf, k: 20)
        #expect(found.precedent == finder.precedent(for: first, k: 20, asOf: Self.asOf))
        #expect(found.text.contains("of the schedule (it has booked"))
        // Before a tenth of the schedule, or with no ledger, the case vector alone decides.
        let young = try #require(running.first { ($0.scheduleShare(on: closed) ?? 0) < PrecedentFinder.minimumShare })
        #expect(finder.precedent(for: young, k: 5, asOf: Self.asOf).progress == nil)
        #expect(PrecedentFinder(completed: completed, running: running).precedent(for: first, k: 5, asOf: Self.asOf).progress == nil)
    }

    @Test func similarNamesTheRunsProbabilityAndRefusesAnUnknownIdWithTheCloseOnes() throws {
        let (app, _) = try Self.generated.get()
        let (completed, started) = try cases()
        let running = try #require(started.first { $0.status == "ACTIVE" })
        let found = try app.similarProjects(running.projectId, asOf: Self.asOf, k: 5)
        #expect(found.precedent.cases.count == 5)
        #expect(found.modelProbability == nil)  // no run yet
        #expect(found.text.contains("Of the 5 completed projects most like it"))
        let json = try JSONSerialization.jsonObject(with: found.jsonData()) as? [String: Any]
        let precedent = try #require(json?["precedent"] as? [String: Any])
        #expect((precedent["cases"] as? [Any])?.count == 5)
        #expect(completed.count > 100)
        #expect(
            throws: SimilarityError.unknownProject(
                id: " \(running.projectId.lowercased())", asOf: "2026-11-25", suggestions: [running.projectId])
        ) {
            try app.similarProjects(" \(running.projectId.lowercased())", asOf: Self.asOf)
        }
        #expect(throws: SimilarityError.invalidK(0)) { try app.similarProjects(running.projectId, asOf: Self.asOf, k: 0) }
    }

    @Test func aRefreshStoresFloat32VectorsAndRecomputesOnlyTheProjectsThatChanged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("embeddings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("e.sqlite").path
        let app = try Application.open(.sqlite(path: path), configuration: Configuration())
        _ = try app.generate(Generator(spec: GeneratorSpec(scale: 0.01, seed: 5, asOf: Self.asOf)), keepTruth: false)
        let first = try app.refreshProjectCaseEmbeddings(asOf: Self.asOf)
        #expect(first.computed > 500 && first.unchanged == 0 && first.removed == 0)
        let again = try app.refreshProjectCaseEmbeddings(asOf: Self.asOf)
        #expect(again.computed == 0 && again.unchanged == first.computed && again.removed == 0)

        let ids = try app.store.query(
            "SELECT project_id FROM projects WHERE start_date <= '2026-11-25' ORDER BY project_id LIMIT 2", arguments: [],
            columnTypes: [.text(maxLength: 50)], cancellation: nil
        ).map { $0[0] }
        try app.store.writeBatch(cancellation: nil) { writer in
            try writer.execute("UPDATE projects SET budget_amount = budget_amount * 3 WHERE project_id = ?", arguments: [ids[0]])
            try writer.execute("DELETE FROM projects WHERE project_id = ?", arguments: [ids[1]])
        }
        let changed = try app.refreshProjectCaseEmbeddings(asOf: Self.asOf)
        #expect(changed.computed == 1 && changed.removed == 2 && changed.unchanged == first.computed - 2)

        // Little-endian float32 blobs of the featurizer's dimension, one row per project, never JSON.
        let rows = try app.store.query(
            "SELECT entity_id, length(embedding_vector), typeof(embedding_vector) FROM business_embeddings WHERE entity_type = 'PROJECT'",
            arguments: [], columnTypes: [.text(maxLength: 50), .integer, .text(maxLength: 10)], cancellation: nil)
        #expect(rows.count == first.computed - 1)
        #expect(rows.allSatisfy { $0[1] == .integer(Int64(4 * (changed.dimension ?? 0))) && $0[2] == .text("blob") })

        // Customers too, under their own model, beside the projects' rows.
        let customers = try app.refreshCustomerCaseEmbeddings(asOf: Self.asOf)
        let customerCount = try app.store.rowCount("customer_analytics")
        #expect(customers.computed == customerCount && customers.entityType == "CUSTOMER")
        #expect(
            customers.dimension == CustomerCaseFeaturizer.numericFeatures.count
                + Set(
                    try app.store.query(
                        "SELECT DISTINCT industry FROM customer_analytics WHERE industry IS NOT NULL", arguments: [],
                        columnTypes: [.text(maxLength: 100)], cancellation: nil
                    ).map { "\($0[0])" }
                ).count)
        #expect(try app.refreshCustomerCaseEmbeddings(asOf: Self.asOf).computed == 0)
        #expect(try app.refreshProjectCaseEmbeddings(asOf: Self.asOf).removed == 0, "customers' rows are not the projects' to remove")

        // A refit on changed data is another model: every vector is rewritten under the new name.
        let refit = try app.refreshProjectCaseEmbeddings(asOf: Self.asOf, refit: true)
        #expect(refit.model != first.model && refit.computed == rows.count && refit.removed == rows.count)
    }
}
