// The configuration parser: `Configuration.parse(Data)` on arbitrary bytes (JSON text of the seed's shape).
//
// Properties: it returns a Configuration or throws ConfigurationError (typed throws; no trap, no other
// error); parsing is deterministic; canonicalDescription can be computed; a MySQL data source's URL
// carries no password (its user has no ':' that would read as USER:PASSWORD in the URL's text form,
// which `DatabaseURL(parsing:)` refuses) and its pool bounds are ordered.
import DecisioningCore
import Foundation
import FuzzSupport

/// The process entry point: SwiftPM makes `main` an alias of `fuzz_config_main` (see Package.swift).
@_cdecl("fuzz_config_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let first: Result<Configuration, ConfigurationError>
    do throws(ConfigurationError) {
        first = .success(try Configuration.parse(bytes))
    } catch {
        check(!error.key.isEmpty, "ConfigurationError without a key: \(error)")
        first = .failure(error)
    }
    let second: Result<Configuration, ConfigurationError>
    do throws(ConfigurationError) { second = .success(try Configuration.parse(bytes)) } catch { second = .failure(error) }
    switch (first, second) {
    case (.success(let a), .success(let b)):
        check(a == b, "two parses of the same bytes differ")
        check(a.canonicalDescription == b.canonicalDescription, "canonicalDescription differs between equal configurations")
        checkSources(a)
    case (.failure(let a), .failure(let b)):
        // The message may list dictionary keys in hash order; the key it names must not vary.
        check(
            a.key == b.key || a.key.hasPrefix("agents.") || a.key.hasPrefix("data_sources") || a.key.contains("thresholds")
                || a.key.contains("features"),
            "two parses fail at different keys: \(a) / \(b)")
    default:
        fail("two parses of the same bytes disagree: \(first) / \(second)")
    }
    return 0
}

func checkSources(_ config: Configuration) {
    for source in config.dataSources {
        check(!source.name.isEmpty, "a data source without a name")
        guard let url = source.url else { fail("data source \(source.name) without a URL") }
        switch url {
        case .sqlite(let path):
            check(source.type == "sqlite", "type \(source.type) with a sqlite URL")
            check(!path.isEmpty, "empty sqlite path")
        case .mysql(let endpoint):
            check(source.type != "sqlite", "type sqlite with a mysql URL")
            check((1...65535).contains(endpoint.port), "port \(endpoint.port)")
            check(
                !endpoint.user.contains(":"),
                "data source \(source.name): user '\(endpoint.user)' makes the URL \(url) read as USER:PASSWORD (DatabaseURL(parsing:) refuses it)"
            )
            check(source.pool.minConnections <= source.pool.maxConnections, "pool min > max")
            check(source.pool.connectionTimeout > 0, "pool timeout \(source.pool.connectionTimeout)")
        }
    }
    for (name, agent) in config.agents {
        check(Configuration.agentNames.contains(name), "unknown agent \(name) accepted")
        check(agent.timeout > 0 && agent.timeout.isFinite, "agent \(name) timeout \(agent.timeout)")
        check(agent.retries >= 0, "agent \(name) retries \(agent.retries)")
    }
    check(config.workflow.maxConcurrentAgents >= 1, "max_concurrent_agents \(config.workflow.maxConcurrentAgents)")
}
