import Foundation

/// This process's threads, resident memory and open file descriptors, as Linux reports them in
/// `/proc/self` (`Threads:` and `VmRSS:` of `/proc/self/status`, the entries of `/proc/self/fd`).
public struct ProcessStatistics: Sendable, Equatable, Codable {
    /// Threads of the process (`Threads:`).
    public var threads: Int
    /// Resident set size in bytes (`VmRSS:`, which the kernel gives in kB).
    public var residentBytes: Int64
    /// Open file descriptors (entries of `/proc/self/fd`, the one that lists them included).
    public var openFiles: Int

    public init(threads: Int, residentBytes: Int64, openFiles: Int) {
        self.threads = threads
        self.residentBytes = residentBytes
        self.openFiles = openFiles
    }

    /// Resident memory in MiB.
    public var residentMiB: Double { Double(residentBytes) / 1_048_576 }

    /// Reads `Threads:` and `VmRSS:` from the text of a `/proc/PID/status` file.
    public init(status: String, openFiles: Int) throws(Unavailable) {
        var threads: Int?
        var kilobytes: Int64?
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2 else { continue }
            switch fields[0] {
            case "Threads:": threads = Int(fields[1])
            case "VmRSS:": kilobytes = Int64(fields[1])
            default: continue
            }
        }
        guard let threads, let kilobytes else {
            throw Unavailable(reason: "no Threads: and VmRSS: lines in the process status")
        }
        self.init(threads: threads, residentBytes: kilobytes * 1024, openFiles: openFiles)
    }

    /// The statistics of this process now.
    public static func current() throws(Unavailable) -> ProcessStatistics {
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/status") else {
            throw Unavailable(reason: "cannot read /proc/self/status (the statistics come from Linux's /proc)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw Unavailable(reason: "cannot read /proc/self/status: \(error)")
        }
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return try ProcessStatistics(status: String(decoding: data, as: UTF8.self), openFiles: descriptors)
    }

    /// Why the statistics could not be read.
    public struct Unavailable: Error, CustomStringConvertible, Equatable {
        public var reason: String
        public var description: String { "process statistics unavailable: \(reason)" }
    }
}
