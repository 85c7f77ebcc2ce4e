import CAllocator
import Foundation

/// Lets glibc's allocator keep the memory it was given, so that a process's later arrays reuse
/// pages instead of mapping fresh ones, which the kernel zeroes first.
///
/// By default glibc maps each block of 128 KiB or more on its own and unmaps it when it is freed
/// (the threshold rises only after blocks that large were freed), and it returns a heap's top to the
/// kernel once 128 KiB are free there. The column engine allocates and frees arrays of megabytes
/// per operator and an ingest's page cache grows its heap as the load goes: at scale 1 the
/// kernel's page zeroing took most of a cold `query`'s time, and one ingest made 125,000 `mprotect`
/// calls. So at start the CLI sets the mapping threshold to 32 MiB (the largest glibc's own
/// adjustment reaches) and keeps 64 MiB free at the top of each heap. A parameter that
/// `GLIBC_TUNABLES` sets is the user's choice and is left alone; `DECISIONING_MALLOC_TUNING=off`
/// keeps glibc's defaults (any value but `on`, `off` or empty does too, and `doctor` says why).
public enum AllocatorTuning {
    public static let optOutVariable = "DECISIONING_MALLOC_TUNING"

    /// The allocator parameters set, by their `GLIBC_TUNABLES` names.
    public enum Parameter: String, CaseIterable, Equatable, Sendable {
        case mmapThreshold = "glibc.malloc.mmap_threshold"
        case topPad = "glibc.malloc.top_pad"

        /// The value set, in bytes.
        public var bytes: Int {
            switch self {
            case .mmapThreshold: 32 << 20
            case .topPad: 64 << 20
            }
        }
    }

    public enum Decision: Equatable, Sendable {
        /// Set these parameters; `GLIBC_TUNABLES` sets the others (`userSet`).
        case set([Parameter], userSet: [Parameter])
        /// Leave the allocator as glibc configured it, for this reason.
        case keep(Reason)
    }

    public enum Reason: Equatable, Sendable {
        /// `GLIBC_TUNABLES` sets every parameter itself.
        case userSet
        case optedOut
        /// `DECISIONING_MALLOC_TUNING` holds this value, neither on nor off.
        case unknownOptOut(String)
    }

    /// The decision from the environment (pure).
    /// - Parameters:
    ///   - tunables: `GLIBC_TUNABLES` as the process found it.
    ///   - optOut: `DECISIONING_MALLOC_TUNING`.
    public static func decide(tunables: String?, optOut: String?) -> Decision {
        switch optOut?.lowercased() {
        case nil, "", "on": break
        case "off": return .keep(.optedOut)
        default: return .keep(.unknownOptOut(optOut ?? ""))
        }
        let named = Set((tunables ?? "").split(separator: ":").compactMap { $0.split(separator: "=", maxSplits: 1).first.map(String.init) })
        let userSet = Parameter.allCases.filter { named.contains($0.rawValue) }
        let toSet = Parameter.allCases.filter { !named.contains($0.rawValue) }
        return toSet.isEmpty ? .keep(.userSet) : .set(toSet, userSet: userSet)
    }

    /// The decision for this process.
    public static func current() -> Decision {
        let environment = ProcessInfo.processInfo.environment
        return decide(tunables: environment["GLIBC_TUNABLES"], optOut: environment[optOutVariable])
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
}
