import Foundation

/// Writes a run's files into one directory: `results.json`, and the report and dashboard renderings.
public enum OutputWriter {
    /// - Returns: the paths written.
    public static func write(_ results: RunResults, to directory: String, formats: [String]) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var written: [String] = []
        func save(_ name: String, _ data: Data) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            try data.write(to: URL(fileURLWithPath: path))
            written.append(path)
        }
        if formats.contains("json") { try save("results.json", try results.encoded()) }
        for rendering in renderings(results) where formats.contains(rendering.format) {
            try save(rendering.name, Data(rendering.content.utf8))
        }
        return written
    }
}
