/// Why similar cases could not be found; each case says what to do.
public enum SimilarityError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No project with this id had started by the as-of date.
    case unknownProject(id: String, asOf: String, suggestions: [String])
    /// k outside 1...1000.
    case invalidK(Int)
    /// Too few completed projects with outcomes on both sides to measure anything.
    case tooFewCompleted(found: Int, needed: Int)

    public var description: String {
        switch self {
        case .unknownProject(let id, let asOf, let suggestions):
            let hint = suggestions.isEmpty ? "." : "; did you mean " + suggestions.map { "\"\($0)\"" }.joined(separator: ", ") + "?"
            return
                "no project \"\(id)\" had started by \(asOf) (ids are matched exactly, spaces and case included)\(hint) Pass the id as stored, or a later --as-of."
        case .invalidK(let k): return "k must be between 1 and 1000, found \(k)"
        case .tooFewCompleted(let found, let needed):
            return
                "the evaluation needs at least \(needed) completed projects with overruns and without; found \(found): pass a later --as-of or generate a larger company"
        }
    }
}
