import DecisioningCore

/// The agents the configuration tests name. Core knows no agents (the registry in DecisioningAgents
/// declares them); these stand in for them, with thresholds of every kind the reader checks.
enum ConfigurationSchemas {
    static let agents: [Configuration.AgentSchema] = [
        .init(name: "discovery_agent"),
        .init(name: "intelligence_agent"),
        .init(name: "strategy_agent", thresholds: ["correlation": .init(0...1, default: 0.3, unit: "absolute Pearson r")]),
        .init(
            name: "decision_agent",
            thresholds: [
                "max_project_alerts": .init(0...10_000, default: 20, unit: "alerts", wholeNumber: true),
                "data_quality_score": .init(0...100, default: 95, unit: "points of the 0–100 score"),
                "margin_drop_points": .init(0...100, default: 5, unit: "percentage points"),
                "cost_of_capital": .init(0...1, default: 0.08, unit: "a yearly rate, 0.08 = 8%"),
            ]),
    ]
}
