import DecisioningCore
public import Foundation

/// Writes a run's files into one directory: `results.json`, and the report and dashboard renderings.
public enum OutputWriter {
    /// Checks, before a run starts, that `base` can hold its output: not empty, a directory (made
    /// with its parents if missing) that this process can write into.
    public static func prepare(base: String) throws(OutputDirectoryError) {
        guard !base.trimmingCharacters(in: .whitespaces).isEmpty else { throw .empty }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw .notADirectory(base) }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            } catch {
                throw .cannotCreate(base, reason: Self.reason(error, path: base))
            }
        }
        guard FileManager.default.isWritableFile(atPath: base) else { throw .notWritable(base) }
    }

    /// What stands in the way of writing at `path`, in words (Foundation on Linux reports only
    /// `NSCocoaErrorDomain Code=512`): a file where a directory is needed, or missing permission.
    static func reason(_ error: any Error, path: String) -> String {
        var ancestor = path
        while !ancestor.isEmpty, ancestor != "/", !FileManager.default.fileExists(atPath: ancestor) {
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        if ancestor.isEmpty { ancestor = "." }
        var isDirectory: ObjCBool = false
        if ancestor != path, FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory), !isDirectory.boolValue {
            return "\(TerminalText.quoted(ancestor)) is a file, not a directory"
        }
        let parent = ancestor == path ? (path as NSString).deletingLastPathComponent : ancestor
        if !FileManager.default.isWritableFile(atPath: parent.isEmpty ? "." : parent) {
            return "no permission to write in \(TerminalText.quoted(parent.isEmpty ? "." : parent))"
        }
        let ns = error as NSError
        if let posix = ns.userInfo[NSUnderlyingErrorKey] as? NSError, posix.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(posix.code)))
        }
        return ns.localizedDescription
    }

    /// - Parameter json: `results.encoded()` when the caller has it already (it is encoded otherwise).
    /// - Returns: the paths written.
    public static func write(_ results: RunResults, json: Data? = nil, to directory: String, formats: [String]) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw OutputDirectoryError.cannotCreate(directory, reason: reason(error, path: directory))
        }
        var written: [String] = []
        func save(_ name: String, _ data: Data) throws {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                try data.write(to: URL(fileURLWithPath: path))
            } catch {
                throw OutputDirectoryError.cannotWrite(path, reason: reason(error, path: path))
            }
            written.append(path)
        }
        if formats.contains("json") { try save("results.json", try json ?? results.encoded()) }
        for rendering in renderings(results) where formats.contains(rendering.format) {
            try save(rendering.name, Data(rendering.content.utf8))
        }
        return written
    }
}

/// Why a run's files cannot go where they were asked to.
public enum OutputDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notADirectory(String)
    case cannotCreate(String, reason: String)
    case notWritable(String)
    case cannotWrite(String, reason: String)

    public var description: String {
        switch self {
        case .empty: return "--out is empty; give a directory, e.g. --out out"
        case .notADirectory(let p):
            return "--out \(TerminalText.quoted(p)) is a file, not a directory; give a directory for the run's files"
        case .cannotCreate(let p, let reason): return "cannot create the output directory \(TerminalText.quoted(p)): \(reason)"
        case .notWritable(let p):
            return "cannot write into the output directory \(TerminalText.quoted(p)); check its permissions or give another --out"
        case .cannotWrite(let p, let reason): return "cannot write \(TerminalText.quoted(p)): \(reason)"
        }
    }
}
