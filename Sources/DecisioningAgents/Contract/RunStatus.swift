/// Where a run is in its life. A finished run (its `results.json`) is `succeeded` (every agent
/// succeeded), `degraded` (some agent degraded, failed or was skipped, and decisions were still
/// made) or `failed` (no decision); `queued`, `running` and `cancelled` describe runs a service holds.
public enum RunStatus: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case queued, running, succeeded, degraded, failed, cancelled

    public var description: String { rawValue }

    /// Whether the run has ended (it will not change again).
    public var isFinished: Bool { self == .succeeded || self == .degraded || self == .failed || self == .cancelled }
}
