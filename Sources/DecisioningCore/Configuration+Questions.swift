extension Configuration {
    /// What `decisioning ask` reads besides the semantic model shipped with the binary (`questions`).
    public struct Questions: Sendable, Equatable {
        /// Additions and overrides of the shipped semantic model (`questions.semantic_model`): the document
        /// itself, or the one in the file it names. Core only checks that it is a JSON object; the application
        /// layer validates its content and names the key of any problem (`questions.semantic_model.metrics.x.aggregate`).
        public var semanticModel: JSONValue?
        /// The file `questions.semantic_model` named, when it named one (for messages).
        public var semanticModelFile: String?

        public init() {}
    }
}
