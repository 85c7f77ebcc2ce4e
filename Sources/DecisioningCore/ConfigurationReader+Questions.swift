import Foundation

extension ConfigurationReader {
    /// `questions`: `semantic_model` is an object (inline additions) or the path of a JSON file holding one;
    /// `llm` the optional language model (`languageModel`).
    func questions(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.Questions {
        let o = try object(value, key)
        try checkKeys(o, allowed: ["semantic_model", "llm"], key)
        var questions = Configuration.Questions()
        if let llm = o["llm"] { questions.languageModel = try languageModel(llm, "\(key).llm") }
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

    /// `questions.llm`: `base_url` (http or https, no credentials, no query), `model`, optional `api_key_env` (the
    /// name of an environment variable; a key in the file is refused) and `timeout` (seconds, 0.5 to 120).
    func languageModel(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> Configuration.LanguageModel {
        let o = try object(value, key)
        if o["api_key"] != nil {
            throw fail("\(key).api_key", "keys are not read from the configuration file; name an environment variable with api_key_env")
        }
        try checkKeys(o, allowed: ["base_url", "model", "api_key_env", "timeout"], key)
        for required in ["base_url", "model"] where o[required] == nil {
            throw fail("\(key).\(required)", "missing; questions.llm needs base_url and model")
        }
        let url = try string(o["base_url"] ?? .null, "\(key).base_url")
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), !url.contains("@"), !url.contains("?"), !url.contains("#"),
            !url.contains(where: \.isWhitespace), url.count <= 2_000
        else {
            throw fail(
                "\(key).base_url",
                "expected an http:// or https:// address such as http://127.0.0.1:11434/v1, without credentials, query or spaces")
        }
        let model = try string(o["model"] ?? .null, "\(key).model")
        guard !model.isEmpty, model.count <= 200 else { throw fail("\(key).model", "expected a model name of 1 to 200 characters") }
        var settings = Configuration.LanguageModel(baseURL: url, model: model)
        if let v = o["api_key_env"] {
            let name = try string(v, "\(key).api_key_env")
            guard !name.isEmpty, name.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }) else {
                throw fail("\(key).api_key_env", "expected the name of an environment variable (letters, digits, _), found \(describe(v))")
            }
            settings.apiKeyEnvironmentVariable = name
        }
        if let v = o["timeout"] {
            settings.timeoutSeconds = try number(v, "\(key).timeout", in: 0.5...120, what: "a number of seconds from 0.5 to 120")
        }
        return settings
    }
}
