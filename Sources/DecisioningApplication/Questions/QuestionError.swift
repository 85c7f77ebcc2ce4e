/// A request the planner cannot turn into a plan: the interpreter validates against the same model, so this
/// means the request was built by hand (or the model changed under it). Each message says what to use instead.
public enum QuestionError: Error, CustomStringConvertible, Equatable, Sendable {
    case unknownMetric(String)
    case unknownDimension(String)
    case unknownFilter(String)
    case noDates(String)
    case noPlan(String)

    public var description: String {
        switch self {
        case .unknownMetric(let m): return "unknown metric '\(m)'; use a key of the semantic model's metrics (docs/questions.md)"
        case .unknownDimension(let d): return "unknown dimension '\(d)'; use a key of the semantic model's dimensions"
        case .unknownFilter(let f): return "unknown filter '\(f)'; use a dimension member, a filter or a threshold of the semantic model"
        case .noDates(let m): return "\(m) has no dates: ask for it without a period, a trend or a comparison"
        case .noPlan(let i): return "a \(i) question is answered without a plan"
        }
    }
}
