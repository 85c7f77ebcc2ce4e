import Foundation

/// One agent's output inside an `AgentResult`, whatever the agent: results.json carries it as an
/// object with one member named after the agent (`{"discovery": {…}}`). Read it through the
/// agent's key (`result.output(DiscoveryAgent.key)`).
///
/// Decoded from results.json, the output of an agent the decoder's registry knows is decoded into
/// its type at once; any other is kept as JSON, decoded on access and encoded back unchanged.
public struct AgentPayload: Sendable, Codable {
    /// The member name in results.json (`discovery`, `intelligence`, …).
    public let dataKey: String
    private let content: Content

    private enum Content: Sendable {
        case typed(any Codable & Sendable)
        case json(RawJSON)
    }

    public init<Output>(_ key: AgentKey<Output>, _ output: Output) {
        dataKey = key.dataKey
        content = .typed(output)
    }

    /// The output, when it is of type `Output`.
    public func output<Output: Codable & Sendable>(as type: Output.Type = Output.self) -> Output? {
        switch content {
        case .typed(let value):
            return value as? Output
        case .json(let json):
            guard let data = try? JSONEncoder().encode(json) else { return nil }
            return try? RunResults.decoder().decode(Output.self, from: data)
        }
    }

    private struct Member: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Member.self)
        guard container.allKeys.count == 1, let member = container.allKeys.first else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "an agent's data has exactly one member, named after the agent; found \(container.allKeys.count)"))
        }
        // The decoder's key strategy may have turned `data_quality` into `dataQuality`: the agent's own
        // data key is compared both ways.
        dataKey = member.stringValue
        let registry = AgentRegistry.userInfoKey.flatMap { decoder.userInfo[$0] as? AgentRegistry }
        if let agent = registry?.agent(dataKey: member.stringValue) {
            content = .typed(try agent.decodeOutput(from: try container.superDecoder(forKey: member)))
        } else {
            content = .json(try container.decode(RawJSON.self, forKey: member))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Member.self)
        switch content {
        case .typed(let value): try container.encode(value, forKey: Member(dataKey))
        case .json(let json): try container.encode(json, forKey: Member(dataKey))
        }
    }
}
