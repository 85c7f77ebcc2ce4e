import DecisioningCore

/// A series file `forecast` refuses: where (file, line, field) and what is wrong, with what to do.
public struct ForecastInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    /// 1-based line of the file; 0 when the error is about the whole file.
    public let line: Int
    /// The column the error is about (`series_id`, `t`, `value`), if one.
    public let field: String?
    public let message: String

    public init(file: String, line: Int, field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        let place = line > 0 ? "\(TerminalText.quoted(file)):\(line)" : TerminalText.quoted(file)
        let column = field.map { " field '\($0)':" } ?? ""
        return "\(place):\(column) \(message)"
    }
}
