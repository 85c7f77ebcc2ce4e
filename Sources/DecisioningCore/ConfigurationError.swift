/// A configuration problem, naming the offending key (`agents.discovery_agent.timeout`) or option.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var key: String
    public var message: String

    public init(file: String? = nil, key: String, message: String) {
        self.file = file
        self.key = key
        self.message = message
    }

    public var description: String {
        (file.map { "\($0): " } ?? "") + "\(key): \(message)"
    }
}
