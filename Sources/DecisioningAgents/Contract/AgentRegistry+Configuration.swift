public import DecisioningCore
public import Foundation

extension AgentRegistry {
    /// Parses a configuration document, accepting under `agents` the registered agents and the
    /// thresholds each declares; every error names its key.
    public func parseConfiguration(_ data: Data) throws(ConfigurationError) -> Configuration {
        try Configuration.parse(data, agents: configurationSchemas)
    }

    /// Reads and parses the configuration file `file` (see `parseConfiguration`).
    public func loadConfiguration(file: String) throws(ConfigurationError) -> Configuration {
        try Configuration.load(file: file, agents: configurationSchemas)
    }

    /// `configuration` with the settings of every registered agent spelled out (the defaults for
    /// those it does not mention), so that equal effective settings describe and digest alike.
    func effective(_ configuration: Configuration) -> Configuration {
        var effective = configuration
        for name in names where effective.agents[name] == nil { effective.agents[name] = Configuration.Agent() }
        return effective
    }
}
