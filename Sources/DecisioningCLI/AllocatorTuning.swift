import CAllocator
import Foundation

/// Lets glibc's allocator keep the memory it was given, so that a process's later arrays reuse
/// pages instead of mapping fresh ones, which the kernel zeroes first.
///
/// By default glibc maps each block of 128 KiB or more on its own and unmaps it when it is freed
/// (the threshold rises only after blocks that large were freed), and it returns the top of a heap
/// to the kernel once more than its trim threshold is free there. The column engine allocates and
/// frees arrays of megabytes per operator and an ingest's page cache grows its heap as the load
/// goes: at scale 1 the kernel's page zeroing took most of a cold `query`'s time, and one ingest
/// made 125,000 `mprotect` calls. So at start the CLI sets the mapping threshold to 32 MiB (the
/// largest glibc's own adjustment reaches) and keeps 16 MiB free at the top of each heap (a
/// quarter of a thread's 64 MiB heap, so `malloc_trim` still gives the rest back). A parameter the
/// user sets (`GLIBC_TUNABLES`, or glibc's older `MALLOC_…_` variables; a trim threshold counts for
/// the pad) is left alone; `DECISIONING_MALLOC_TUNING=off` keeps glibc's defaults (any value but
/// `on`, `off` or empty does too, and `doctor` says why).
public enum AllocatorTuning {
    public static let optOutVariable = "DECISIONING_MALLOC_TUNING"
    /// The block size `probe()` allocates: under the tuned threshold, far above glibc's default one.
    public static let probeBytes = 20 << 20

    /// The allocator parameters set, by their `GLIBC_TUNABLES` names.
    public enum Parameter: String, CaseIterable, Equatable, Sendable {
        case mmapThreshold = "glibc.malloc.mmap_threshold"
        case topPad = "glibc.malloc.top_pad"

        /// The value set, in bytes.
        public var bytes: Int {
            switch self {
            case .mmapThreshold: 32 << 20
            case .topPad: 16 << 20
            }
        }

        /// The names by which a user sets this parameter, or one that decides the same thing: tunables
        /// and glibc's older environment variables.
        var userNames: (tunables: [String], variables: [String]) {
            switch self {
            case .mmapThreshold: (["glibc.malloc.mmap_threshold"], ["MALLOC_MMAP_THRESHOLD_"])
            case .topPad: (["glibc.malloc.top_pad", "glibc.malloc.trim_threshold"], ["MALLOC_TOP_PAD_", "MALLOC_TRIM_THRESHOLD_"])
            }
        }
    }

    public enum Decision: Equatable, Sendable {
        /// Set these parameters; the user sets the others (`userSet`).
        case set([Parameter], userSet: [Parameter])
        /// Leave the allocator as glibc configured it, for this reason.
        case keep(Reason)
    }

    public enum Reason: Equatable, Sendable {
        /// The user sets every parameter.
        case userSet
        case optedOut
        /// `DECISIONING_MALLOC_TUNING` holds this value, neither on nor off.
        case unknownOptOut(String)
    }

    /// Where a block of `probeBytes` came from, in this process, now.
    public enum Probe: Equatable, Sendable {
        case heap
        case mapped
        /// Not glibc's allocator, or no memory.
        case unknown
    }

    /// The decision from the environment (pure).
    /// - Parameters:
    ///   - tunables: `GLIBC_TUNABLES` as the process found it.
    ///   - optOut: `DECISIONING_MALLOC_TUNING`.
    ///   - variables: the names of the environment variables that are set (glibc's `MALLOC_…_` among them).
    public static func decide(tunables: String?, optOut: String?, variables: Set<String> = []) -> Decision {
        switch optOut?.lowercased() {
        case nil, "", "on": break
        case "off": return .keep(.optedOut)
        default: return .keep(.unknownOptOut(optOut ?? ""))
        }
        let named = Set((tunables ?? "").split(separator: ":").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        let isUserSet = { (parameter: Parameter) in
            parameter.userNames.tunables.contains(where: named.contains)
                || parameter.userNames.variables.contains(where: variables.contains)
        }
        let userSet = Parameter.allCases.filter(isUserSet)
        let toSet = Parameter.allCases.filter { !isUserSet($0) }
        return toSet.isEmpty ? .keep(.userSet) : .set(toSet, userSet: userSet)
    }

    /// The decision for this process.
    public static func current() -> Decision {
        let environment = ProcessInfo.processInfo.environment
        return decide(tunables: environment["GLIBC_TUNABLES"], optOut: environment[optOutVariable], variables: Set(environment.keys))
    }

    /// Sets what `current()` says. Call it first thing, before the allocations it is for.
    /// - Returns: whether the allocator took every value (false off glibc).
    @discardableResult
    public static func apply() -> Bool {
        guard case .set(let parameters, _) = current() else { return true }
        var took = true
        for parameter in parameters {
            let bytes = Int32(parameter.bytes)
            switch parameter {
            case .mmapThreshold: took = allocator_set_mmap_threshold(bytes) == 1 && took
            case .topPad: took = allocator_set_top_pad(bytes) == 1 && took
            }
        }
        return took
    }

    /// Allocates and frees a block of `probeBytes`, telling where it came from: what the process's
    /// allocator does now, whatever was decided (it reads glibc's block flag).
    public static func probe() -> Probe {
        switch allocator_probe_mapped(probeBytes) {
        case 0: .heap
        case 1: .mapped
        default: .unknown
        }
    }
}
