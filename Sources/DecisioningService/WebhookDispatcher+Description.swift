/// What the service group logs of the dispatcher at start and stop: its settings, never the
/// environment it reads secrets from (the default description would print every variable).
extension WebhookDispatcher: CustomStringConvertible {
    public var description: String { "WebhookDispatcher(\(settings))" }
}

extension WebhookDispatcher.Settings: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "poll every \(pollInterval), \(concurrency) at a time, secrets from \(environment.count) environment variables (not shown)"
    }

    public var debugDescription: String { description }
}
