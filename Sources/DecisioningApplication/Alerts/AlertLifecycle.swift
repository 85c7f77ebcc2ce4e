public import DecisioningAgents
public import DecisioningCore

/// The alerts' state machine, without I/O: what a run's alerts do to the stored ones, and which of
/// those changes are notified.
///
/// - A fingerprint no stored alert has opens.
/// - One raised again updates its last sighting (run, time, message, observed value, occurrences);
///   a higher severity escalates it; a resolved one reopens.
/// - An open or acknowledged alert that a succeeded or degraded run does not raise is resolved
///   (`resolution` "auto"). A cancelled or failed run changes nothing: it may not have evaluated the rules.
/// - Opening notifies. Escalating or reopening notifies when the severity is above the last one
///   notified, or when the last notification is `cooldownSeconds` old or more; otherwise the
///   change is kept but not notified (a flapping alert does not page every run). Resolving notifies
///   and leaves the cooldown's clock alone: it runs from the last opening, escalation or reopening notified.
public struct AlertLifecycle: Sendable {
    public var cooldownSeconds: Double

    public init(cooldownSeconds: Double) { self.cooldownSeconds = cooldownSeconds }

    /// One alert's change: the record to store and, if any, the event to notify.
    public struct Change: Sendable, Equatable {
        public var record: AlertRecord
        public var event: AlertEventType?
        /// The severity before an escalation or a reopening.
        public var previousSeverity: Severity?
        /// True when the change was an event the cooldown kept from being notified.
        public var suppressed: Bool
    }

    /// The changes run `runId` (ended with `status` at `time`, having raised `raised`) makes to
    /// `stored`: every stored alert whose fingerprint was raised, and every open or acknowledged one.
    /// Changes come in the order of `raised`, then resolutions by id.
    public func changes(stored: [String: AlertRecord], raised: [Alert], runId: String, status: RunStatus, at time: Timestamp) -> [Change] {
        guard status == .succeeded || status == .degraded else { return [] }
        // A run may raise one rule about one entity twice (it should not): the most severe counts.
        var order: [String] = []
        var strongest: [String: Alert] = [:]
        for alert in raised {
            let id = AlertFingerprint.of(rule: alert.rule, entityType: alert.entityType, entityId: alert.entityId)
            if let kept = strongest[id] {
                if alert.severity > kept.severity { strongest[id] = alert }
            } else {
                order.append(id)
                strongest[id] = alert
            }
        }
        var changes: [Change] = []
        for id in order {
            guard let alert = strongest[id] else { continue }
            guard var record = stored[id] else {
                var opened = AlertRecord(opening: alert, fingerprint: id, runId: runId, at: time)
                opened.notifiedSeverity = alert.severity
                opened.notifiedAt = time
                changes.append(Change(record: opened, event: .opened, previousSeverity: nil, suppressed: false))
                continue
            }
            let previous = record.severity
            var event: AlertEventType?
            if record.state == .resolved {
                event = .reopened
                record.state = .open
                record.severity = alert.severity
                record.openedAt = time
                record.acknowledgedAt = nil
                record.resolvedAt = nil
                record.resolution = nil
            } else if alert.severity > record.severity {
                event = .escalated
                record.severity = alert.severity
            }
            record.message = alert.message
            record.observed = alert.observed
            record.threshold = alert.threshold
            record.lastRunId = runId
            record.lastSeenAt = time
            record.occurrences += 1
            var suppressed = false
            if event != nil {
                if notifies(record, at: time) {
                    record.notifiedSeverity = record.severity
                    record.notifiedAt = time
                } else {
                    suppressed = true
                    event = nil
                }
            }
            let changed = event != nil || suppressed
            changes.append(Change(record: record, event: event, previousSeverity: changed ? previous : nil, suppressed: suppressed))
        }
        let raisedIds = Set(order)
        for (id, record) in stored.sorted(by: { $0.key < $1.key }) where record.state.isActive && !raisedIds.contains(id) {
            changes.append(
                Change(record: resolved(record, resolution: "auto", at: time), event: .resolved, previousSeverity: nil, suppressed: false))
        }
        return changes
    }

    /// `record` resolved at `time` by `resolution` (`auto` or `user`).
    func resolved(_ record: AlertRecord, resolution: String, at time: Timestamp) -> AlertRecord {
        var record = record
        record.state = .resolved
        record.resolvedAt = time
        record.resolution = resolution
        return record
    }

    /// Whether an escalation or reopening of `record` (already at its new severity) is notified at `time`.
    func notifies(_ record: AlertRecord, at time: Timestamp) -> Bool {
        guard let told = record.notifiedSeverity, let when = record.notifiedAt else { return true }
        if record.severity > told { return true }
        return Double(time.seconds - when.seconds) >= cooldownSeconds
    }
}
