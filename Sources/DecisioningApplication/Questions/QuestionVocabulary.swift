/// The phrases a question may use, each with what it means, built from the semantic model and the members of
/// its dimensions found in the data.
struct QuestionVocabulary: Sendable {
    enum Meaning: Sendable, Hashable {
        case metric(String)
        case dimension(String)
        case filter(String)
        /// A member of a dimension: (dimension key, value as stored).
        case member(String, String)
        case threshold(String)
        case cue(QuestionCue)
    }

    struct Phrase: Sendable {
        var words: [String]
        var meanings: [Meaning]
        /// The phrase is the dimension's singular form ("industry", not "industries").
        var singular: Bool
    }

    /// Phrases by their first word, longest first.
    private(set) var byFirstWord: [String: [Phrase]] = [:]
    /// Every word of every phrase, and the grammar's words: what typos are corrected towards.
    private(set) var words: Set<String> = []

    static let stopWords: Set<String> = [
        "what", "whats", "is", "was", "were", "the", "a", "an", "of", "in", "for", "on", "to", "and", "me", "show", "give", "tell", "did",
        "do", "does", "how", "has", "have", "had", "our", "we", "my", "with", "from", "at", "it", "its", "are", "be", "been", "there",
        "all", "total", "overall", "please", "much", "i", "you", "that", "these", "those", "than", "as", "so", "make", "made", "get",
        "got", "about", "s", "us", "can", "could", "would", "should", "will", "which", "who", "whom", "where", "when", "into", "during",
        "same", "sum", "value", "amount", "figure", "figures", "number", "level", "levels", "rank", "ranked", "ranking", "sorted",
        "order", "ordered", "much", "see", "look", "looking", "happened", "happen", "compare", "doing", "perform", "performed",
        "performance", "bring", "brought", "generate", "generated", "make", "book", "booked",
        "then", "vs", "between", "since", "until", "through", "period", "time", "latest", "recent", "ones", "one", "any", "some",
        "every", "by", "per", "this", "last", "next", "year", "quarter", "month", "company", "business", "us", "their", "they",
        "them", "had", "having", "go", "went", "did", "current", "currently", "now", "today", "where", "there", "both",
    ]

    private var phrases: [[String]: Phrase] = [:]

    mutating func add(_ text: String, _ meaning: Meaning, singular: Bool = false) {
        let words = QuestionText.words(text)
        guard !words.isEmpty else { return }
        if var existing = phrases[words] {
            if !existing.meanings.contains(meaning) { existing.meanings.append(meaning) }
            existing.singular = existing.singular || singular
            phrases[words] = existing
        } else {
            phrases[words] = Phrase(words: words, meanings: [meaning], singular: singular)
        }
    }

    init(model: SemanticModel, members: [String: [String]]) {
        for (key, metric) in model.metrics.sorted(by: { $0.key < $1.key }) {
            add(key.replacingOccurrences(of: "_", with: " "), .metric(key))
            add(metric.label, .metric(key))
            for s in metric.synonyms { add(s, .metric(key)) }
        }
        for (key, dimension) in model.dimensions.sorted(by: { $0.key < $1.key }) {
            add(key.replacingOccurrences(of: "_", with: " "), .dimension(key), singular: true)
            add(dimension.label, .dimension(key), singular: true)
            for s in dimension.synonyms { add(s, .dimension(key)) }
        }
        // Members before the model's named filters: "completed" is the status COMPLETED.
        for (key, values) in members.sorted(by: { $0.key < $1.key }) {
            for value in values {
                let text = value.replacingOccurrences(of: "_", with: " ")
                if key == "credit_rating" {
                    add("rated \(text)", .member(key, value))
                    add("\(text) rated", .member(key, value))
                    add("rating \(text)", .member(key, value))
                    if text.count >= 2 { add(text, .member(key, value)) }
                } else {
                    add(text, .member(key, value))
                }
            }
        }
        for (key, filter) in model.filters.sorted(by: { $0.key < $1.key }) {
            for p in filter.phrases { add(p, .filter(key)) }
        }
        for (key, threshold) in model.thresholds.sorted(by: { $0.key < $1.key }) {
            for p in threshold.phrases { add(p, .threshold(key)) }
        }
        for cue in QuestionCue.allCases {
            for p in cue.phrases { add(p, .cue(cue)) }
        }
        for phrase in phrases.values {
            byFirstWord[phrase.words[0], default: []].append(phrase)
            words.formUnion(phrase.words)
        }
        for key in byFirstWord.keys {
            byFirstWord[key]?.sort {
                $0.words.count != $1.words.count ? $0.words.count > $1.words.count : $0.words.lexicographicallyPrecedes($1.words)
            }
        }
        words.formUnion(Self.stopWords)
        words.formUnion(TimePhrases.vocabulary)
    }

    /// The longest phrase starting at `i` that uses none of `skip`.
    func match(_ tokens: [String], at i: Int, skip: Set<Int>) -> Phrase? {
        guard let candidates = byFirstWord[tokens[i]] else { return nil }
        for phrase in candidates where i + phrase.words.count <= tokens.count {
            let range = i..<(i + phrase.words.count)
            if Array(tokens[range]) == phrase.words && skip.isDisjoint(with: range) { return phrase }
        }
        return nil
    }

    /// The known word nearest to `word` (edit distance 1 for 4–6 letters, 2 from 7), or nil.
    /// Ties go to the word sharing the longer prefix, then the alphabetically first: the same input always reads the same.
    func correction(_ word: String) -> String? {
        guard word.count >= 4, Double(word) == nil, !words.contains(word) else { return nil }
        let allowed = word.count >= 7 ? 2 : 1
        var best: (distance: Int, prefix: Int, word: String)?
        for candidate in words where abs(candidate.count - word.count) <= allowed && candidate.count >= 3 {
            let d = QuestionText.editDistance(word, candidate)
            guard d <= allowed else { continue }
            let prefix = zip(word, candidate).prefix { $0 == $1 }.count
            if let b = best {
                if d < b.distance || (d == b.distance && (prefix > b.prefix || (prefix == b.prefix && candidate < b.word))) {
                    best = (d, prefix, candidate)
                }
            } else {
                best = (d, prefix, candidate)
            }
        }
        return best?.word
    }
}
