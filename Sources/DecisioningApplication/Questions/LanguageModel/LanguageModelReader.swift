public import DecisioningCore
import Foundation

/// The optional language-model interpreter (`questions.llm`): asks an OpenAI-compatible `/chat/completions` to
/// turn a question into the typed request, first with a strict JSON schema, then, if the server refuses schemas,
/// as a plain JSON object; the request is then checked against the semantic model (`QuestionRequestCheck`).
/// It never computes a figure, and every failure is a reason, on which the deterministic interpreter answers.
public struct LanguageModelReader: Sendable {
    public let settings: Configuration.LanguageModel
    let transport: any ChatCompletionTransport
    /// The API key read from `settings.apiKeyEnvironmentVariable`; never printed.
    let apiKey: String?
    /// Why the key cannot be used (unset, or holding spaces or control characters, which would end up in an
    /// HTTP client's error text instead of a header); nil when it can, or when none is configured.
    let keyProblem: String?

    /// The most bytes of a question sent.
    static let maxQuestion = 2_000

    /// - Parameter environment: where `api_key_env` is looked up (nil: the process's environment).
    public init(settings: Configuration.LanguageModel, transport: any ChatCompletionTransport, environment: [String: String]? = nil) {
        self.settings = settings
        self.transport = transport
        let variables = environment ?? ProcessInfo.processInfo.environment
        guard let name = settings.apiKeyEnvironmentVariable else {
            (apiKey, keyProblem) = (nil, nil)
            return
        }
        let value = variables[name] ?? ""
        if value.isEmpty {
            (apiKey, keyProblem) = (nil, "questions.llm.api_key_env names \(name), which is not set")
        } else if value.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            (apiKey, keyProblem) = (
                nil, "the value of \(name) holds spaces or control characters (a line end from a .env file?); set the key alone"
            )
        } else {
            (apiKey, keyProblem) = (value, nil)
        }
    }

    /// The reader `configuration` asks for (`questions.llm`), or nil when it asks for none.
    public static func configured(_ configuration: Configuration, transport: any ChatCompletionTransport) -> LanguageModelReader? {
        configuration.questions.languageModel.map { LanguageModelReader(settings: $0, transport: transport) }
    }

    /// What became of asking the model.
    public enum Reading: Sendable, Equatable {
        /// A request that passed the checks.
        case request(QuestionRequest)
        /// Why the model's reading is not used (said in the answer's `interpreter_note`).
        case refused(String)
    }

    /// The model's reading of `question`, checked against `prompt`'s semantic model and members. A reason never
    /// holds the API key, even when the server's message quotes it.
    public func read(_ question: String, prompt: LanguageModelPrompt) async -> Reading {
        switch await unredactedRead(question, prompt: prompt) {
        case .request(let request): return .request(request)
        case .refused(let reason): return .refused(shown(reason))
        }
    }

    /// A reason as shown in a note, a page or a log line: without the key (nor its escaped forms), on one line with
    /// control characters escaped, and at most 300 characters (it may quote a hostile server or model).
    func shown(_ reason: String) -> String {
        var text = reason
        if let apiKey, apiKey.count >= 4 {
            for form in [apiKey, apiKey.debugDescription.dropFirst().dropLast().description] {
                text = text.replacingOccurrences(of: form, with: "[the API key]")
            }
        }
        text = TerminalText.escaped(text)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    func unredactedRead(_ question: String, prompt: LanguageModelPrompt) async -> Reading {
        if let keyProblem { return .refused(keyProblem) }
        // One deadline for both attempts: a server that refuses schemas gets the time that is left, not a second timeout.
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int64(settings.timeoutSeconds * 1000))
        var reply = await exchange(question, prompt: prompt, schema: true, timeout: settings.timeoutSeconds)
        if case .response(let status, let body) = reply, Self.refusesSchemas(status: status, body: body) {
            let left = (deadline - clock.now).seconds
            reply =
                left > 0.05
                ? await exchange(question, prompt: prompt, schema: false, timeout: left) : .timedOut(seconds: settings.timeoutSeconds)
            if case .timedOut = reply { reply = .timedOut(seconds: settings.timeoutSeconds) }
        }
        let content: String
        switch reply {
        case .timedOut(let seconds):
            return .refused("the language model did not answer within \(Self.seconds(seconds))")
        case .failed(let reason):
            return .refused("the language model could not be reached (\(reason))")
        case .response(let status, let body):
            guard (200..<300).contains(status) else {
                return .refused("the language model answered HTTP \(status)\(serverMessage(body).map { ": \($0)" } ?? "")")
            }
            guard let text = Self.content(of: body) else {
                return .refused("the language model's answer has no choices[0].message.content")
            }
            content = text
        }
        guard let json = try? StrictJSON.parse(Array(Self.unfenced(content).utf8)) else {
            return .refused("the language model's answer is not a JSON object")
        }
        if case .object(let o) = json, o["intent"] == .string(LanguageModelPrompt.unsupportedIntent) {
            return .refused("the language model found no reading in the semantic model's terms")
        }
        let request: QuestionRequest
        do {
            request = try QuestionRequest(json: json)
        } catch {
            return .refused("the language model's request is malformed: \(error)")
        }
        do {
            return .request(try QuestionRequestCheck(model: prompt.model, members: prompt.members, asOf: prompt.asOf).checked(request))
        } catch {
            return .refused("the language model's request was refused: \(error)")
        }
    }

    /// Whether the model answers at all (`decisioning doctor`): one short request for a JSON object, and what came
    /// of it in one line, with the time it took; the key is never in it.
    public func probe() async -> String {
        if let keyProblem { return "not asked: \(keyProblem)" }
        let body: JSONValue = .object([
            "model": .string(settings.model), "temperature": .number(0), "max_tokens": .number(20),
            "messages": .array([.object(["role": .string("user"), "content": .string("Answer with the JSON object {\"ok\": true}.")])]),
            "response_format": .object(["type": .string("json_object")]),
        ])
        let clock = ContinuousClock()
        let start = clock.now
        let reply = await transport.post(
            url: settings.completionsURL, headers: headers(), body: (try? JSONEncoder().encode(body)).map { Array($0) } ?? [],
            timeoutSeconds: settings.timeoutSeconds)
        let seconds = String(format: "%.2f s", (clock.now - start).seconds)
        let line: String
        switch reply {
        case .response(let status, let body) where (200..<300).contains(status):
            line =
                Self.content(of: body) == nil
                ? "answered HTTP \(status) in \(seconds) without choices[0].message.content" : "answered in \(seconds)"
        case .response(let status, let body):
            line = "answered HTTP \(status) in \(seconds)\(serverMessage(body).map { ": \($0)" } ?? "")"
        case .timedOut(let s): line = "did not answer within \(Self.seconds(s))"
        case .failed(let reason): line = "could not be reached (\(reason))"
        }
        return shown(line)
    }

    /// The request's headers: JSON both ways, and the API key when there is one.
    func headers() -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let apiKey { headers.append(("Authorization", "Bearer \(apiKey)")) }
        return headers
    }

    /// One request within `timeout` seconds: the system message, the question, and the answer's format.
    func exchange(_ question: String, prompt: LanguageModelPrompt, schema: Bool, timeout: Double) async -> ChatExchange {
        let format: JSONValue =
            schema
            ? .object([
                "type": .string("json_schema"),
                "json_schema": .object(["name": .string("question_request"), "strict": .bool(true), "schema": prompt.schema]),
            ])
            : .object(["type": .string("json_object")])
        let body: JSONValue = .object([
            "model": .string(settings.model),
            "temperature": .number(0),
            "messages": .array([
                .object(["role": .string("system"), "content": .string(prompt.instructions)]),
                .object(["role": .string("user"), "content": .string(String(question.prefix(Self.maxQuestion)))]),
            ]),
            "response_format": format,
        ])
        let bytes = (try? JSONEncoder().encode(body)).map { Array($0) } ?? []
        return await transport.post(url: settings.completionsURL, headers: headers(), body: bytes, timeoutSeconds: timeout)
    }

    /// Whether a 400 or 422 says the server does not take `json_schema` (then `json_object` is tried).
    static func refusesSchemas(status: Int, body: [UInt8]) -> Bool {
        guard status == 400 || status == 422 else { return false }
        let text = String(decoding: body.prefix(4_096), as: UTF8.self).lowercased()
        return text.contains("json_schema") || text.contains("response_format") || text.contains("schema")
    }

    /// `choices[0].message.content` of a chat completion: a string, or a list of text parts joined.
    static func content(of body: [UInt8]) -> String? {
        guard case .object(let o)? = try? StrictJSON.parse(body), case .array(let choices)? = o["choices"],
            case .object(let first)? = choices.first, case .object(let message)? = first["message"]
        else { return nil }
        switch message["content"] {
        case .string(let content)?: return content
        case .array(let parts)?:
            let texts = parts.compactMap { part -> String? in
                if case .object(let p) = part, case .string(let text)? = p["text"] { text } else { nil }
            }
            return texts.isEmpty ? nil : texts.joined()
        default: return nil
        }
    }

    /// `error.message` of an error answer, without our key and then cut to 200 characters (the cut must not leave a
    /// piece of the key that redaction would no longer find).
    func serverMessage(_ body: [UInt8]) -> String? {
        guard case .object(let o)? = try? StrictJSON.parse(body), case .object(let error)? = o["error"],
            case .string(let message)? = error["message"]
        else { return nil }
        var line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        if let apiKey, apiKey.count >= 4 { line = line.replacingOccurrences(of: apiKey, with: "[the API key]") }
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }

    /// The JSON inside a Markdown code fence, which some servers add in `json_object` mode.
    static func unfenced(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasPrefix("```") else { return t }
        t.removeFirst(3)
        if let newline = t.firstIndex(of: "\n") { t = String(t[t.index(after: newline)...]) }
        if t.hasSuffix("```") { t.removeLast(3) }
        return t.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}
