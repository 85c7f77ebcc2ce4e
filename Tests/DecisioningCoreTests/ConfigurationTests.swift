import DecisioningCore
import Foundation
import Testing

@Suite struct ConfigurationTests {
    func parse(_ json: String) throws(ConfigurationError) -> Configuration {
        try Configuration.parse(Data(json.utf8), agents: ConfigurationSchemas.agents)
    }

    func error(_ json: String) -> ConfigurationError? {
        do {
            _ = try parse(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsTheSeedShape() throws {
        let config = try parse(
            """
            {
              "data_sources": [{
                "name": "heatwave_primary", "type": "mysql_heatwave", "enabled": true,
                "config": {"host": "db.example", "port": 3306, "database": "decisioning_heatwave", "user": "decisioning_agent",
                           "use_heatwave_engine": true, "connection_pool": {"min_connections": 2, "max_connections": 20, "connection_timeout": 30}},
                "features": {"analytics_acceleration": true, "ml_capabilities": true, "vector_search": true, "real_time_processing": true}
              }],
              "agents": {"discovery_agent": {"enabled": true, "timeout": 120, "heatwave_optimized": true},
                         "intelligence_agent": {"enabled": true, "timeout": 180, "parallel_queries": true, "use_ml_predictions": true}},
              "workflow": {"max_concurrent_agents": 4},
              "output": {"directory": "reports", "formats": ["json", "html"]}
            }
            """)
        let source = try #require(config.primaryDataSource)
        #expect(source.url?.description == "mysql://decisioning_agent@db.example:3306/decisioning_heatwave")
        #expect(source.pool.maxConnections == 20)
        #expect(config.agent("intelligence_agent").timeout == 180)
        #expect(config.agent("strategy_agent").timeout == 120)
        #expect(config.workflow.maxConcurrentAgents == 4)
        #expect(config.output.formats == ["json", "html"])
    }

    @Test func theServiceSettingsAreReadAndBounded() throws {
        let config = try parse(#"{"service": {"analysis_fresh_seconds": 5, "lease_seconds": 30, "rate_limit_per_minute": 10}}"#)
        #expect(config.service.analysisFreshSeconds == 5 && config.service.leaseSeconds == 30 && config.service.rateLimitPerMinute == 10)
        #expect(Configuration().service.analysisFreshSeconds == 30)
        #expect(
            error(#"{"service": {"analysis_fresh_seconds": 0}}"#)?.description
                == "service.analysis_fresh_seconds: expected a number of seconds from 1 to 3600, found 0")
        #expect(error(#"{"service": {"analysis_fresh_seconds": "30"}}"#)?.key == "service.analysis_fresh_seconds")
        #expect(error(#"{"service": {"analysis_fresh": 30}}"#)?.key == "service.analysis_fresh")
    }

    @Test func errorsNameTheKey() {
        #expect(
            error(#"{"agents": {"discovery_agent": {"timeout": "abc"}}}"#)?.description
                == #"agents.discovery_agent.timeout: expected a number of seconds from 0.001 to 86400 (a day), found "abc""#)
        #expect(error(#"{"agents": {"discovery_agnet": {}}}"#)?.key == "agents.discovery_agnet")
        #expect(
            error(#"{"workflow": {"max_concurrent_agents": 0}}"#)?.description
                == "workflow.max_concurrent_agents: expected a whole number from 1 to 64, found 0")
        #expect(
            error(#"{"data_sources": [{"name": "x", "type": "oracle"}]}"#)?.description
                == #"data_sources[0].type: expected sqlite, mysql or mysql_heatwave, found "oracle""#)
        #expect(
            error(#"{"data_sources": [{"name": "x", "type": "mysql", "config": {"host": "h", "user": "u"}}]}"#)?.key
                == "data_sources[0].config.database")
        #expect(error(#"{"output": {"formats": ["pdf"]}}"#)?.key == "output.formats[0]")
        #expect(error("{not json")?.key == "(document)")
        #expect(
            error(#"{"workflow": {"max_concurrent_agents": true}}"#)?.description
                == "workflow.max_concurrent_agents: expected a whole number from 1 to 64, found true")
    }

    @Test func passwordsAreRefused() {
        let e = error(
            #"{"data_sources": [{"name": "x", "type": "mysql", "config": {"host": "h", "user": "u", "database": "d", "password": "hunter2"}}]}"#
        )
        #expect(e?.key == "data_sources[0].config.password")
        #expect(e?.description.contains("hunter2") == false)
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "mysql://u:secret@h:3306/d") }
    }

    @Test func databaseURLs() throws {
        #expect(try DatabaseURL(parsing: "sqlite:data/x.sqlite") == .sqlite(path: "data/x.sqlite"))
        let url = try DatabaseURL(parsing: "mysql://app@127.0.0.1:3307/dec?tls=required")
        guard case .mysql(let endpoint) = url else {
            Issue.record("expected mysql")
            return
        }
        #expect(endpoint.port == 3307)
        #expect(endpoint.options["tls"] == "required")
        #expect(url.description == "mysql://app@127.0.0.1:3307/dec?tls=required")
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "postgres://x") }
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "mysql://app@host:99999/d") }
    }
}
