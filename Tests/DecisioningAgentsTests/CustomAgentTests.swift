import DecisioningAgents
import DecisioningCore
import Foundation
import Testing

/// An agent the library does not know, defined here: revenue per project started, from Intelligence's
/// and Discovery's outputs read through their keys. Nothing in the library names it.
struct RevenuePerProjectAgent: Agent {
    struct Output: Codable, Sendable, Equatable {
        var revenue: Money
        var projects: Int64
        var revenuePerProject: Money
        var healthScore: Double
        var belowMinimum: Bool
    }

    static let key = AgentKey<Output>("revenue_per_project_agent")
    var key: AgentKey<Output> { Self.key }
    let requires: [any AgentDependency] = [IntelligenceAgent.key]
    let uses: [any AgentDependency] = [DiscoveryAgent.key]
    var thresholds: [String: Configuration.Threshold] {
        ["minimum_revenue_per_project": Configuration.Threshold(0...1e12, default: 0, unit: "dollars")]
    }

    func run(_ context: AgentContext) throws -> AgentOutput<Output> {
        guard let intelligence = context.input(IntelligenceAgent.key) else { throw AgentError("Intelligence produced no output") }
        guard let discovery = context.input(DiscoveryAgent.key), discovery.landscape.totalProjects > 0 else {
            throw AgentError("Discovery counted no projects")
        }
        let projects = discovery.landscape.totalProjects
        let perProject = Money(minorUnits: intelligence.trend.totalRevenue.minorUnits / projects)
        let minimum = context.threshold(Self.key, "minimum_revenue_per_project", default: 0)
        let output = Output(
            revenue: intelligence.trend.totalRevenue, projects: projects, revenuePerProject: perProject,
            healthScore: intelligence.health.score, belowMinimum: Double(perProject.minorUnits) / 100 < minimum)
        return AgentOutput(
            data: output,
            insights: [Insight(title: "Revenue per project \(Figure.money(perProject).formatted)", detail: "", evidence: [])],
            confidence: 1)
    }
}

@Suite struct CustomAgentTests {
    static let registry = AgentRegistry.standard.registering(RevenuePerProjectAgent())

    @Test func aNewAgentRunsInTheFlowAndReadsItsInputsThroughKeys() async throws {
        let fixture = try await FlowFixtureCache.shared.fixture()
        let configuration = try Self.registry.parseConfiguration(
            Data(#"{"agents": {"revenue_per_project_agent": {"timeout": 60, "thresholds": {"minimum_revenue_per_project": 1e9}}}}"#.utf8))
        let results = try await FlowRunner(store: fixture.store, configuration: configuration, registry: Self.registry)
            .run(analysis: "strategic_business_health", asOf: Day(iso: "2026-11-25")!)

        #expect(results.agents.map(\.agent) == AgentRegistry.standard.names + ["revenue_per_project_agent"])
        let result = try #require(results.result(RevenuePerProjectAgent.key))
        #expect(result.status == .succeeded, "\(result.error ?? result.fallback ?? "")")
        let output = try #require(results.output(RevenuePerProjectAgent.key))
        let intelligence = try #require(results.output(IntelligenceAgent.key))
        let discovery = try #require(results.output(DiscoveryAgent.key))
        #expect(output.revenue == intelligence.trend.totalRevenue)
        #expect(output.projects == discovery.landscape.totalProjects)
        #expect(output.revenuePerProject.minorUnits == intelligence.trend.totalRevenue.minorUnits / discovery.landscape.totalProjects)
        #expect(output.healthScore == intelligence.health.score)
        #expect(output.belowMinimum, "the threshold from the configuration reached the agent")
        #expect(result.insights.first?.title.hasPrefix("Revenue per project $") == true)
        // A key reads only its own agent's result, and only as its own type.
        #expect(results.agent("intelligence_agent")?.output(RevenuePerProjectAgent.key) == nil)
        // The standard agents' results are the same as without the new agent.
        #expect(results.decisions.map(\.title) == fixture.first.decisions.map(\.title))
        #expect(results.run.status == .succeeded)

        // results.json carries the output under `data.revenue_per_project`, and reads back, typed, through the key:
        // decoded with the registry that knows the agent, or kept as JSON by one that does not.
        let json = try results.encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        let agents = try #require(object["agents"] as? [[String: Any]])
        let data = try #require(agents.last?["data"] as? [String: Any])
        #expect(Array(data.keys) == ["revenue_per_project"])
        #expect((data["revenue_per_project"] as? [String: Any])?["revenue_per_project"] as? String == output.revenuePerProject.description)
        for registry in [Self.registry, AgentRegistry.standard] {
            let decoded = try RunResults.decoder(registry: registry).decode(RunResults.self, from: json)
            #expect(decoded.output(RevenuePerProjectAgent.key) == output)
            #expect(try decoded.encoded() == json)
        }
    }

    @Test func theConfigurationAcceptsTheAgentsOfItsRegistry() throws {
        let document = Data(#"{"agents": {"revenue_per_project_agent": {"thresholds": {"minimum_revenue_per_project": 5}}}}"#.utf8)
        let configuration = try Self.registry.parseConfiguration(document)
        #expect(configuration.agent("revenue_per_project_agent").thresholds == ["minimum_revenue_per_project": 5])
        let refused = #expect(throws: ConfigurationError.self) { try AgentRegistry.standard.parseConfiguration(document) }
        #expect(refused?.key == "agents.revenue_per_project_agent")
        #expect(
            refused?.message
                == "unknown key; expected one of: discovery_agent, intelligence_agent, strategy_agent, decision_agent, visualization_agent, executive_agent"
        )
        let outOfRange = #expect(throws: ConfigurationError.self) {
            try Self.registry.parseConfiguration(
                Data(#"{"agents": {"revenue_per_project_agent": {"thresholds": {"minimum_revenue_per_project": -1}}}}"#.utf8))
        }
        #expect(
            outOfRange?.description
                == "agents.revenue_per_project_agent.thresholds.minimum_revenue_per_project: expected a number from 0 to 1000000000000 (dollars), found -1"
        )
    }
}
