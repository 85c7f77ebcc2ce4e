import DecisioningVectors

extension VectorsCommand {
    /// Runs `body`; an error about one input row (`VectorSearchError.row`) is reported with the file
    /// the rows came from.
    static func naming<T>(_ file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as VectorSearchError where error.row != nil {
            throw CommandError("\(file): \(error.message)")
        }
    }
}
