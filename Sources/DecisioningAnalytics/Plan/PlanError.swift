/// Why a plan cannot run: found before it runs (an invalid plan), or while it runs (a value beyond
/// the engine's range). The kinds can grow without breaking callers that switch on a known few.
public struct PlanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a value callers compare (`error.kind == .integerOverflow`).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidPlan = "invalid plan"
            case integerOverflow = "integer overflow"
        }

        private let base: Base

        /// The plan refers to something that does not exist or mixes types; fix the plan.
        public static let invalidPlan = Kind(base: .invalidPlan)
        /// A value left the 64-bit range the column engine computes in.
        public static let integerOverflow = Kind(base: .integerOverflow)

        public var description: String { base.rawValue }
    }

    public var kind: Kind
    public var message: String

    public init(_ message: String, kind: Kind = .invalidPlan) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
