extension Configuration {
    /// What `decisioning ask` reads besides the semantic model shipped with the binary (`questions`).
    public struct Questions: Sendable, Equatable {
        /// Additions and overrides of the shipped semantic model (`questions.semantic_model`): the document
        /// itself, or the one in the file it names. Core only checks that it is a JSON object; the application
        /// layer validates its content and names the key of any problem (`questions.semantic_model.metrics.x.aggregate`).
        public var semanticModel: JSONValue?
        /// The file `questions.semantic_model` named, when it named one (for messages).
        public var semanticModelFile: String?
        /// An OpenAI-compatible chat model that may read questions before the deterministic interpreter
        /// (`questions.llm`); nil: only the deterministic interpreter reads them.
        public var languageModel: LanguageModel?

        public init() {}
    }

    /// `questions.llm`: where the optional language model reads questions. It only turns a question into a typed
    /// request; it never computes a figure, and on any failure the deterministic interpreter answers.
    public struct LanguageModel: Sendable, Equatable {
        /// The API's root (`base_url`), e.g. `http://127.0.0.1:11434/v1`; `/chat/completions` is appended.
        public var baseURL: String
        /// The model's name on that server (`model`).
        public var model: String
        /// The environment variable holding the API key (`api_key_env`); nil: no `Authorization` header.
        /// The key itself is never read from the configuration file.
        public var apiKeyEnvironmentVariable: String?
        /// Seconds one request may take (`timeout`) before the deterministic interpreter answers instead.
        public var timeoutSeconds: Double = 10

        public init(baseURL: String, model: String, apiKeyEnvironmentVariable: String? = nil, timeoutSeconds: Double = 10) {
            self.baseURL = baseURL
            self.model = model
            self.apiKeyEnvironmentVariable = apiKeyEnvironmentVariable
            self.timeoutSeconds = timeoutSeconds
        }

        /// The address requests go to: `base_url` without a trailing slash, then `/chat/completions`.
        public var completionsURL: String {
            var base = baseURL
            while base.hasSuffix("/") { base.removeLast() }
            return base + "/chat/completions"
        }
    }
}
