public struct ExecutiveData: Sendable, Codable {
    public var headline: String
    public var keyNumbers: [NamedFigure]
    public var topDecisions: [String]
    public var risks: [String]
    public var nextSteps: [String]

    public init(headline: String, keyNumbers: [NamedFigure], topDecisions: [String], risks: [String], nextSteps: [String]) {
        self.headline = headline
        self.keyNumbers = keyNumbers
        self.topDecisions = topDecisions
        self.risks = risks
        self.nextSteps = nextSteps
    }
}
