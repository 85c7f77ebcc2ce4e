extension ConfigurationReader {
    func service(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.Service {
        let o = try object(value, key)
        try checkKeys(
            o,
            allowed: [
                "listen", "shutdown_grace_seconds", "max_ingest_bytes", "rate_limit_per_minute", "metrics_require_key", "lease_seconds",
                "analysis_fresh_seconds",
            ],
            key)
        var service = Configuration.Service()
        if let v = o["listen"] {
            let listen = try string(v, "\(key).listen")
            guard ListenAddress(parsing: listen) != nil else {
                throw fail("\(key).listen", "expected HOST:PORT with a port from 1 to 65535, found \(describe(v))")
            }
            service.listen = listen
        }
        if let v = o["shutdown_grace_seconds"] {
            service.shutdownGraceSeconds = try number(
                v, "\(key).shutdown_grace_seconds", in: 0...86_400, what: "a number of seconds from 0 to 86400")
        }
        if let v = o["max_ingest_bytes"] {
            service.maxIngestBytes = try integer(
                v, "\(key).max_ingest_bytes", min: 1, max: 1 << 40, what: "a whole number of bytes from 1 to 2^40")
        }
        if let v = o["rate_limit_per_minute"] {
            service.rateLimitPerMinute = try integer(
                v, "\(key).rate_limit_per_minute", min: 1, max: 1_000_000, what: "a whole number of requests from 1 to 1000000")
        }
        if let v = o["metrics_require_key"] { service.metricsRequireKey = try bool(v, "\(key).metrics_require_key") }
        if let v = o["lease_seconds"] {
            service.leaseSeconds = try number(v, "\(key).lease_seconds", in: 5...86_400, what: "a number of seconds from 5 to 86400")
        }
        if let v = o["analysis_fresh_seconds"] {
            service.analysisFreshSeconds = try number(
                v, "\(key).analysis_fresh_seconds", in: 1...3_600, what: "a number of seconds from 1 to 3600")
        }
        return service
    }

    func schedule(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> [String] {
        guard case .array(let list) = value else { throw fail(key, "expected an array of cron expressions, found \(describe(value))") }
        var expressions: [String] = []
        for (i, item) in list.enumerated() {
            let text = try string(item, "\(key)[\(i)]")
            do {
                _ = try CronExpression(parsing: text)
            } catch {
                throw fail("\(key)[\(i)]", "\(error)")
            }
            expressions.append(text)
        }
        return expressions
    }

    func alerts(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.Alerts {
        let o = try object(value, key)
        try checkKeys(o, allowed: ["cooldown_seconds", "webhooks"], key)
        var alerts = Configuration.Alerts()
        if let v = o["cooldown_seconds"] {
            alerts.cooldownSeconds = try number(
                v, "\(key).cooldown_seconds", in: 0...31_536_000, what: "a number of seconds from 0 to 31536000")
        }
        if let v = o["webhooks"] {
            guard case .array(let list) = v else { throw fail("\(key).webhooks", "expected an array, found \(describe(v))") }
            for (i, item) in list.enumerated() {
                let hook = try webhook(item, "\(key).webhooks[\(i)]")
                if alerts.webhooks.contains(where: { $0.name == hook.name }) {
                    throw fail(
                        "\(key).webhooks[\(i)].name",
                        "\"\(TerminalText.quoted(hook.name))\" is used by an earlier webhook; names must differ")
                }
                alerts.webhooks.append(hook)
            }
        }
        return alerts
    }

    func webhook(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.Webhook {
        let o = try object(value, key)
        try checkKeys(o, allowed: ["name", "url", "secret_env", "min_severity", "events", "max_attempts", "timeout_seconds"], key)
        if o["secret"] != nil {
            throw fail("\(key).secret", "secrets are not read from the configuration file; name an environment variable with secret_env")
        }
        for required in ["name", "url", "secret_env"] where o[required] == nil {
            throw fail("\(key).\(required)", "missing; a webhook needs name, url and secret_env")
        }
        let url = try string(o["url"] ?? .null, "\(key).url")
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), !url.contains("@") else {
            throw fail("\(key).url", "expected an http:// or https:// URL without credentials in it")
        }
        var hook = Configuration.Webhook(
            name: try string(o["name"] ?? .null, "\(key).name"), url: url,
            secretEnvironmentVariable: try string(o["secret_env"] ?? .null, "\(key).secret_env"))
        if let v = o["min_severity"] {
            let severity = try string(v, "\(key).min_severity")
            guard Configuration.Webhook.severities.contains(severity) else {
                throw fail(
                    "\(key).min_severity",
                    "expected one of: \(Configuration.Webhook.severities.joined(separator: ", ")), found \(describe(v))")
            }
            hook.minSeverity = severity
        }
        if let v = o["events"] {
            guard case .array(let list) = v else { throw fail("\(key).events", "expected an array of event types, found \(describe(v))") }
            for (i, item) in list.enumerated() {
                let event = try string(item, "\(key).events[\(i)]")
                guard Configuration.Webhook.eventTypes.contains(event) else {
                    throw fail(
                        "\(key).events[\(i)]",
                        "expected one of: \(Configuration.Webhook.eventTypes.joined(separator: ", ")), found \(describe(item))")
                }
                hook.events.append(event)
            }
        }
        if let v = o["max_attempts"] {
            hook.maxAttempts = try integer(v, "\(key).max_attempts", min: 1, max: 100, what: "a whole number of attempts from 1 to 100")
        }
        if let v = o["timeout_seconds"] {
            hook.timeoutSeconds = try number(v, "\(key).timeout_seconds", in: 0.1...300, what: "a number of seconds from 0.1 to 300")
        }
        return hook
    }
}
