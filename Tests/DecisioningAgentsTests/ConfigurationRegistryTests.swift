import DecisioningAgents
import DecisioningCore
import Foundation
import Testing

/// The configuration as the flow reads it: validated against the standard agents, each with its own thresholds.
@Suite struct ConfigurationRegistryTests {
    func error(_ json: String) -> ConfigurationError? {
        do {
            _ = try AgentRegistry.standard.parseConfiguration(Data(json.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func agentNamesComeFromTheRegistry() throws {
        let unknown = try #require(error(#"{"agents": {"discovery_agnet": {}}}"#))
        #expect(
            unknown.description
                == "agents.discovery_agnet: unknown key; expected one of: discovery_agent, intelligence_agent, strategy_agent, decision_agent, visualization_agent, executive_agent"
        )
        for name in AgentRegistry.standard.names { #expect(error(#"{"agents": {"\#(name)": {"timeout": 5}}}"#) == nil) }
    }

    @Test func thresholdsAreTheAgentsOwn() throws {
        let bogus = try #require(error(#"{"agents": {"decision_agent": {"thresholds": {"bogus": 1}}}}"#))
        #expect(
            bogus.description
                == "agents.decision_agent.thresholds.bogus: unknown threshold; expected one of: cost_of_capital, data_quality_score, health_score, late_revenue_share, margin_drop_points, max_project_alerts, revenue_growth_pct"
        )
        let huge = try #require(error(#"{"agents": {"decision_agent": {"thresholds": {"cost_of_capital": 1e308}}}}"#))
        #expect(
            huge.description
                == "agents.decision_agent.thresholds.cost_of_capital: expected a number from 0 to 1 (a yearly rate, 0.08 = 8%), found 1e+308"
        )
        #expect(
            error(#"{"agents": {"decision_agent": {"thresholds": {"max_project_alerts": 2.5}}}}"#)?.description
                == "agents.decision_agent.thresholds.max_project_alerts: expected a whole number from 0 to 10000 (alerts), found 2.5")
        #expect(
            error(#"{"agents": {"strategy_agent": {"thresholds": {"automl_seconds": 0}}}}"#)?.description
                == "agents.strategy_agent.thresholds.automl_seconds: expected a number from 0.001 to 86400 (seconds), found 0")
        #expect(
            error(#"{"agents": {"executive_agent": {"thresholds": {"correlation": 0.3}}}}"#)?.description
                == "agents.executive_agent.thresholds.correlation: unknown threshold; this agent reads no thresholds")
        #expect(
            error(#"{"agents": {"discovery_agent": {"thresholds": {"correlation": 0.3}}}}"#)?.description
                == "agents.discovery_agent.thresholds.correlation: unknown threshold; expected one of: precedent_k")
        let fine = try AgentRegistry.standard.parseConfiguration(
            Data(#"{"agents": {"strategy_agent": {"thresholds": {"correlation": 0.5, "overrun_probability": 0.7}}}}"#.utf8))
        #expect(fine.agent("strategy_agent").thresholds == ["correlation": 0.5, "overrun_probability": 0.7])
    }
}
