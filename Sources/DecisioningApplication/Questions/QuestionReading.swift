/// What the interpreter made of a question.
public enum QuestionReading: Sendable {
    /// One reading; `corrections` maps each misspelt word to the word of the model it was read as.
    case request(QuestionRequest, corrections: [String: String])
    /// Several readings are plausible (at most three, most likely first); none is answered.
    case ambiguous([QuestionRequest], reason: String)
    /// Nothing the model knows answers it; `suggestions` are questions it does answer.
    case unsupported(reason: String, suggestions: [String])
}
