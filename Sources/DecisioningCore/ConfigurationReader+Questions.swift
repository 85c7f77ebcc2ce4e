import Foundation

extension ConfigurationReader {
    /// `questions`: `semantic_model` is an object (inline additions) or the path of a JSON file holding one.
    func questions(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.Questions {
        let o = try object(value, key)
        try checkKeys(o, allowed: ["semantic_model"], key)
        var questions = Configuration.Questions()
        guard let model = o["semantic_model"] else { return questions }
        let path = "\(key).semantic_model"
        switch model {
        case .object:
            questions.semanticModel = model
        case .string(let file) where !file.isEmpty:
            guard let data = FileManager.default.contents(atPath: file) else {
                throw fail(path, "cannot read \(TerminalText.quoted(file)); give the path of a JSON semantic model, or the model itself")
            }
            let parsed: JSONValue
            do {
                parsed = try StrictJSON.parse(Array(data))
            } catch {
                throw fail(path, "\(TerminalText.quoted(file)) is not valid JSON: \(error)")
            }
            guard case .object = parsed else {
                throw fail(path, "\(TerminalText.quoted(file)) holds \(describe(parsed)); expected an object")
            }
            questions.semanticModel = parsed
            questions.semanticModelFile = file
        default:
            throw fail(path, "expected an object (the model's additions) or the path of a JSON file, found \(describe(model))")
        }
        return questions
    }
}
