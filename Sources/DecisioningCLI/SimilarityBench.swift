import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningSynth
import Foundation

/// `decisioning bench similarity`: does precedent help? The held-out ROC AUC of the k nearest
/// completed projects' overrun rate against the boosted trees on the same split (`Application.evaluateSimilarity`).
struct SimilarityBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similarity",
        abstract: "Held-out ROC AUC of the k-nearest completed projects' overrun rate against the boosted trees, on one seeded split.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Scale to generate when the database is empty.")
    var scale: Double = 1

    @Option(help: "The as-of date of the data.")
    var asOf: DayArgument = DayArgument(argument: "2026-11-25")!

    @Option(help: "Neighbours (1 to 1000).")
    var k = 20

    @Option(help: "The split's seed.")
    var seed: UInt64 = 42

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: false)
        if try app.isEmpty() {
            FileHandle.standardError.write(Data("generating scale \(scale) …\n".utf8))
            _ = try app.generate(Generator(spec: GeneratorSpec(scale: scale, seed: 42, asOf: asOf.day)))
        }
        let e = try app.evaluateSimilarity(asOf: asOf.day, k: k, seed: seed)
        switch format {
        case .json: try StandardOutput.writeJSON(e)
        case .text:
            print(
                String(
                    format: """
                        %d completed projects by %@ (%d train, %d held out, %.1f%% of them overran), k = %d, seed %llu
                        | scorer | held-out ROC AUC | seconds |
                        |---|---|---|
                        | k-NN overrun rate of the %d most similar | %.4f | %.3f |
                        | boosted trees (overrun model features) | %.4f | %.3f |
                        | average of both ranks | %.4f | |
                        | k-NN with the burn rate at %.0f%% of the schedule | %.4f | %.3f |
                        | average of that and the boosted trees | %.4f | |
                        """, e.trainProjects + e.testProjects, e.asOf.iso, e.trainProjects, e.testProjects, e.testOverrunRate * 100, e.k,
                    e.seed, e.k, e.nearestNeighboursAUC, e.nearestNeighboursSeconds, e.boostedTreesAUC, e.boostedTreesSeconds, e.blendAUC,
                    e.progressShare * 100, e.progressAUC, e.progressSeconds, e.progressBlendAUC))
        }
    }
}
