import DecisioningAnalytics
public import DecisioningCore

/// The deterministic interpreter: words → a typed request against the semantic model (docs/questions.md).
///
/// It reads time phrases first (`TimePhrases`), corrects misspelt words towards the model's vocabulary, matches
/// the longest known phrases, then decides the kind of question from its cues. It never guesses: a question
/// with several plausible readings is `ambiguous`, one without a metric it knows is `unsupported`.
public struct QuestionInterpreter: Sendable {
    public let model: SemanticModel
    public let asOf: Day
    let vocabulary: QuestionVocabulary

    /// - Parameter members: the members of each categorical dimension found in the data (`industry`: `Media`, …),
    ///   which questions may name as filters.
    public init(model: SemanticModel, members: [String: [String]], asOf: Day) {
        self.model = model
        self.asOf = asOf
        self.vocabulary = QuestionVocabulary(model: model, members: members)
    }

    struct Match {
        var meanings: [QuestionVocabulary.Meaning]
        var range: Range<Int>
        var singular: Bool
    }

    static let examples = [
        "revenue by industry last quarter", "top 5 customers by revenue this year",
        "how did margin rate change versus the same quarter last year", "monthly cost in 2026", "why did margin fall",
        "revenue next quarter", "which running projects will overrun", "what should we do first",
    ]

    public func interpret(_ question: String) -> QuestionReading {
        var tokens = QuestionText.words(question)
        guard !tokens.isEmpty else {
            return .unsupported(reason: "the question is empty", suggestions: Self.examples)
        }
        // Spelling first, so that time phrases and the model's phrases both see the corrected words.
        var corrections: [String: String] = [:]
        for (i, t) in tokens.enumerated() {
            if let fixed = vocabulary.correction(t) {
                corrections[t] = fixed
                tokens[i] = fixed
            }
        }
        let time = TimePhrases(tokens, asOf: asOf)
        var matches: [Match] = []
        var unknown: [String] = []
        var i = 0
        while i < tokens.count {
            if time.consumed.contains(i) {
                i += 1
                continue
            }
            if let phrase = vocabulary.match(tokens, at: i, skip: time.consumed) {
                matches.append(Match(meanings: phrase.meanings, range: i..<(i + phrase.words.count), singular: phrase.singular))
                i += phrase.words.count
                continue
            }
            let t = tokens[i]
            if !QuestionVocabulary.stopWords.contains(t) && Double(t) == nil && QuestionText.integer(t) == nil
                && !vocabulary.words.contains(t)
            {
                unknown.append(t)
            }
            i += 1
        }
        var reading = QuestionAssembly(interpreter: self, tokens: tokens, matches: matches, time: time, unknown: unknown)
        return reading.run(corrections: corrections)
    }
}
