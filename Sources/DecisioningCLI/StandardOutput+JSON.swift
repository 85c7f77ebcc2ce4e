import Foundation

extension StandardOutput {
    /// `value` as one JSON document with snake_case keys in sorted order (the commands' JSON contract).
    static func writeJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        write(try encoder.encode(value))
    }
}
