public import DecisioningAgents
public import DecisioningCore
import DecisioningLearning
import Foundation

extension Application {
    /// The `k` completed projects most like `projectId` as of `asOf` (the project must have started by
    /// then), with their outcomes and the overrun model's latest probability for the project.
    public func similarProjects(
        _ projectId: String, asOf: Day, k: Int = 20, scope: PrecedentFinder.Scope = .all
    ) throws -> SimilarProjects {
        guard (1...1000).contains(k) else { throw SimilarityError.invalidK(k) }
        let results = try warehouse.query(
            [
                ProjectCase.completedPlan, ProjectCase.runningPlan, ProjectCase.startedPlan, CostLedger.plan(including: [projectId]),
                CostLedger.closePlan,
            ], asOf: asOf)
        let completed = try ProjectCase.cases(results[0], query: "completed projects")
        let running = try ProjectCase.cases(results[1], query: "running projects")
        let started = try ProjectCase.cases(results[2], query: "started projects")
        guard let project = started.first(where: { $0.projectId == projectId }) else {
            throw SimilarityError.unknownProject(
                id: projectId, asOf: asOf.iso, suggestions: Self.closeIds(projectId, among: started.map(\.projectId)))
        }
        // Fitted as a run fits it (completed and running projects, the ledger), so the command and the run's evidence agree;
        // a running project is compared at the point of its schedule it has reached.
        let finder = PrecedentFinder(
            completed: completed, running: running, ledger: try CostLedger(results[3], close: results[4], query: "cost ledger"))
        let isRunning = running.contains { $0.projectId == project.projectId }
        let (probability, runId) = try latestOverrunProbability(projectId, asOf: asOf)
        return SimilarProjects(
            asOf: asOf, project: project, scope: scope,
            precedent: finder.precedent(for: project, k: k, scope: scope, asOf: isRunning ? asOf : nil),
            modelProbability: probability, modelRunId: runId)
    }

    /// Up to three ids that differ from `id` only in case and surrounding spaces, else that share its longest prefix.
    static func closeIds(_ id: String, among ids: [String]) -> [String] {
        let key = id.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let same = ids.filter { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == key }
        if !same.isEmpty { return Array(same.prefix(3)) }
        func shared(_ other: String) -> Int { zip(key, other.lowercased()).prefix { $0 == $1 }.count }
        let best = ids.map(shared).max() ?? 0
        guard best >= 2 else { return [] }
        return Array(ids.filter { shared($0) == best }.sorted().prefix(3))
    }

    /// The overrun model's probability for `projectId` from the latest run as of `asOf` or before that
    /// scored projects, with that run's id; nils when there is no such run or it did not score the
    /// project (it was not running on that run's as-of date). Two index seeks, whatever the history.
    func latestOverrunProbability(_ projectId: String, asOf: Day) throws -> (Double?, String?) {
        guard let (runId, _) = try OverrunScores.latestRun(in: store, asOf: asOf) else { return (nil, nil) }
        let rows = try store.query(
            "SELECT prediction_value FROM model_predictions WHERE prediction_id = ?",
            arguments: [.text(ModelRegistry.predictionId(run: runId, model: OverrunScores.modelId, entity: projectId))],
            columnTypes: [.decimal(precision: 15, scale: 4)], cancellation: nil)
        guard case .decimal(let units)? = rows.first?.first else { return (nil, nil) }
        return (FixedPoint.double(units, scale: 4), runId)
    }

    /// Splits the projects completed by `asOf` (seeded, `testShare` held out), and measures on the
    /// held-out ones the ROC AUC of the k-nearest training projects' overrun rate against the boosted
    /// trees trained on the overrun model's features, and of both averaged; then again with the
    /// held-out projects seen as if running at `progressShare` of their schedule, compared on their burn
    /// rate then (the precedent a run gives a running project).
    public func evaluateSimilarity(
        asOf: Day, k: Int = 20, seed: UInt64 = 42, testShare: Double = 0.2, progressShare: Double = 0.5
    ) throws -> SimilarityEvaluation {
        guard (1...1000).contains(k) else { throw SimilarityError.invalidK(k) }
        let results = try warehouse.query(
            [
                ProjectCase.completedPlan, ProjectFeatures.overrunTrainingPlan, ProjectCase.runningPlan, CostLedger.plan(),
                CostLedger.closePlan,
            ],
            asOf: asOf)
        let completed = try ProjectCase.cases(results[0], query: "completed projects")
        let rows = ProjectFeatures.overrunRows(results[1])
        let labels = ProjectFeatures.overrunLabels(results[1])
        let overran = completed.filter(\.overran).count
        guard rows.count == completed.count, completed.count >= 50, overran >= 5, completed.count - overran >= 5 else {
            throw SimilarityError.tooFewCompleted(found: completed.count, needed: 50)
        }
        var rng = SeededRandom(seed: seed, stream: 16)
        var order = Array(completed.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(0...i)) }
        let testCount = max(1, Int(Double(order.count) * testShare))
        let test = Array(order.prefix(testCount)).sorted()
        let train = Array(order.dropFirst(testCount)).sorted()
        let truth = test.map { completed[$0].overran }

        let clock = ContinuousClock()
        var start = clock.now
        let featurizer = ProjectCaseFeaturizer(fitting: completed + (try ProjectCase.cases(results[2], query: "running projects")))
        let ledger = try CostLedger(results[3], close: results[4], query: "cost ledger")
        let finder = PrecedentFinder(completed: train.map { completed[$0] }, featurizer: featurizer, ledger: ledger)
        let knn = test.map { finder.precedent(for: completed[$0], k: k).outcomeRate ?? 0 }
        let knnSeconds = (clock.now - start).seconds
        // The held-out projects as if they were running at `progressShare` of their schedule: their burn rate then,
        // against the training projects' at the same share.
        start = clock.now
        let halfway = test.map { i in
            (
                project: completed[i],
                progress: completed[i].progress(atShare: progressShare, ledger: ledger)
                    ?? CaseProgress(scheduleShare: progressShare, burnRate: nil)
            )
        }
        let progress = finder.precedents(atShare: progressShare, for: halfway, k: k).map { $0.outcomeRate ?? 0 }
        let progressSeconds = (clock.now - start).seconds

        start = clock.now
        let data = try Dataset(
            featureNames: ProjectFeatures.overrunFeatureNames, rows: train.map { rows[$0] }, labels: train.map { labels[$0] })
        let trees = try GradientBoostedTrees.fit(data, objective: .binaryLogistic, parameters: .init(seed: seed))
        let boosted = test.map { trees.predict(rows[$0]) }
        let treeSeconds = (clock.now - start).seconds

        let blend = zip(Self.ranks(knn), Self.ranks(boosted)).map { ($0 + $1) / 2 }
        let progressBlend = zip(Self.ranks(progress), Self.ranks(boosted)).map { ($0 + $1) / 2 }
        return SimilarityEvaluation(
            asOf: asOf, k: k, seed: seed, trainProjects: train.count, testProjects: test.count,
            testOverrunRate: Double(truth.filter { $0 }.count) / Double(test.count),
            nearestNeighboursAUC: Metrics.rocAUC(scores: knn, labels: truth) ?? 0.5,
            boostedTreesAUC: Metrics.rocAUC(scores: boosted, labels: truth) ?? 0.5,
            blendAUC: Metrics.rocAUC(scores: blend, labels: truth) ?? 0.5,
            nearestNeighboursSeconds: knnSeconds, boostedTreesSeconds: treeSeconds, progressShare: progressShare,
            progressAUC: Metrics.rocAUC(scores: progress, labels: truth) ?? 0.5,
            progressBlendAUC: Metrics.rocAUC(scores: progressBlend, labels: truth) ?? 0.5, progressSeconds: progressSeconds)
    }

    /// Each score's rank scaled to 0…1 (ties share ranks), so scores on different scales average fairly.
    static func ranks(_ scores: [Double]) -> [Double] {
        let top = Double(max(1, scores.count - 1))
        return Metrics.averageRanks(scores).map { ($0 - 1) / top }
    }
}
