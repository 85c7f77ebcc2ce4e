public import DecisioningCore

public struct Decision: Sendable, Codable {
    public var id: String
    public var rank: Int
    public var title: String
    public var category: String
    public var rationale: String
    public var expectedImpact: Money
    public var urgency: Severity
    public var risk: Severity
    public var confidence: Double
    public var score: Double
    public var evidence: [Evidence]

    public init(
        id: String, rank: Int, title: String, category: String, rationale: String, expectedImpact: Money, urgency: Severity, risk: Severity,
        confidence: Double, score: Double, evidence: [Evidence]
    ) {
        self.id = id
        self.rank = rank
        self.title = title
        self.category = category
        self.rationale = rationale
        self.expectedImpact = expectedImpact
        self.urgency = urgency
        self.risk = risk
        self.confidence = confidence
        self.score = score
        self.evidence = evidence
    }
}

public struct Alert: Sendable, Codable {
    public var id: String
    public var severity: Severity
    public var rule: String
    public var message: String
    public var entityType: String?
    public var entityId: String?
    public var observed: Double?
    public var threshold: Double?

    public init(
        id: String, severity: Severity, rule: String, message: String, entityType: String? = nil, entityId: String? = nil,
        observed: Double? = nil, threshold: Double? = nil
    ) {
        self.id = id
        self.severity = severity
        self.rule = rule
        self.message = message
        self.entityType = entityType
        self.entityId = entityId
        self.observed = observed
        self.threshold = threshold
    }
}

public struct DecisionData: Sendable, Codable {
    public var decisions: [Decision]
    public var alerts: [Alert]
    public var predictionsStored: Int

    public init(decisions: [Decision], alerts: [Alert], predictionsStored: Int) {
        self.decisions = decisions
        self.alerts = alerts
        self.predictionsStored = predictionsStored
    }
}
