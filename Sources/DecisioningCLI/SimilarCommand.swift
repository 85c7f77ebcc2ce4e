import ArgumentParser
import DecisioningAgents
import DecisioningApplication
import DecisioningCore
import Foundation

/// `decisioning similar PROJECT_ID`: thin; the application layer finds the cases (`Application.similarProjects`).
struct SimilarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "similar",
        abstract: "The completed projects most like a project, how they ended, and the overrun model's probability beside them.",
        discussion: """
            Projects are compared by their case vectors (docs/similarity.md): what was known at their start — log budget,
            log planned months, the customer's risk score, days paid late and credit rating, standardized over the projects
            started by --as-of, and one-hot project type and industry. The neighbours are projects completed by --as-of;
            an overrun is an actual cost above 1.10 × budget. JSON: as_of, project, scope, precedent (featurizer, k,
            outcome_rate, average_overrun, cases[]), model_probability, model_run_id; money as decimal strings.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The project's id, exactly as stored.")
    var projectId: String

    @Option(help: "How many similar completed projects (1 to 1000).")
    var k = 20

    @Option(help: "all, same-industry or same-type.")
    var scope: ScopeArgument = .all

    @Option(help: "Projects started (and completed) by this date count (YYYY-MM-DD); default: today.")
    var asOf: DayArgument?

    @Option(help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let app = try global.open(logger: global.makeLogger(), existing: true)
        let found = try app.similarProjects(projectId, asOf: asOf?.day ?? DayArgument.today, k: k, scope: scope.scope)
        switch format {
        case .json: StandardOutput.write(try found.jsonData())
        case .text: print(found.text, terminator: "")
        }
    }
}

/// The neighbours a search may return (`PrecedentFinder.Scope`), as the command line spells them.
enum ScopeArgument: String, ExpressibleByArgument, CaseIterable {
    case all
    case sameIndustry = "same-industry"
    case sameType = "same-type"

    var scope: PrecedentFinder.Scope {
        switch self {
        case .all: return .all
        case .sameIndustry: return .sameIndustry
        case .sameType: return .sameType
        }
    }
}
