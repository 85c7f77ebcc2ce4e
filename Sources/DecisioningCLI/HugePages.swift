import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Transparent huge pages for the allocator's large blocks.
///
/// The column engine allocates arrays of millions of values per operator. With the kernel's usual
/// 4 KiB pages each new array is zeroed and mapped a page at a time, and at scale 1 a `run` spent
/// about a quarter of its CPU in those page faults. glibc asks the kernel for 2 MiB pages for its
/// large blocks when its `glibc.malloc.hugetlb=1` tunable is set, which glibc reads only at process
/// start (`GLIBC_TUNABLES`). So when the kernel grants transparent huge pages on request only
/// (`madvise`, the usual default), the process executes itself again once, at the very start,
/// with that tunable added to the environment, and marked (`DECISIONING_HUGE_PAGES_RESTARTED`) so that
/// it never does so twice, even where glibc drops the tunable (a privileged process). Nothing happens
/// when the tunable is already set, when the kernel uses huge pages always or never, off Linux, or with
/// `DECISIONING_HUGE_PAGES=off` (any value but `on`, `off` or empty also keeps the process as it
/// started). `decisioning doctor` words the `Reason`.
public enum HugePages {
    public static let tunable = "glibc.malloc.hugetlb=1"
    public static let settingPath = "/sys/kernel/mm/transparent_hugepage/enabled"
    public static let optOutVariable = "DECISIONING_HUGE_PAGES"
    /// Set in the environment of the process executed again: one restart at most.
    public static let restartedVariable = "DECISIONING_HUGE_PAGES_RESTARTED"

    /// What to do at start.
    public enum Decision: Equatable, Sendable {
        /// Execute again with `GLIBC_TUNABLES` set to this value.
        case restart(tunables: String)
        /// Carry on as started, for this reason.
        case keep(Reason)
    }

    /// Why the process carries on as it started.
    public enum Reason: Equatable, Sendable {
        /// `GLIBC_TUNABLES` (this value) asks for the allocator's transparent huge pages.
        case requested(tunables: String)
        /// `GLIBC_TUNABLES` (this value) sets `glibc.malloc.hugetlb` to something else: the user's choice.
        case userSet(tunables: String)
        /// This is the process executed again, but the tunable did not reach it (glibc drops it for privileged processes).
        case tunableDropped
        case optedOut
        /// `DECISIONING_HUGE_PAGES` holds this value, neither on nor off.
        case unknownOptOut(String)
        case kernelAlways
        /// The kernel's mode (`never`, or one this code does not know).
        case kernelMode(String)
        /// No readable kernel setting.
        case noKernelSetting
    }

    /// The decision from the environment and the kernel's setting (pure).
    /// - Parameters:
    ///   - tunables: `GLIBC_TUNABLES` as the process found it.
    ///   - optOut: `DECISIONING_HUGE_PAGES`.
    ///   - restarted: whether this process is the one executed again (`restartedVariable` set).
    ///   - kernelSetting: the text of `/sys/kernel/mm/transparent_hugepage/enabled`, nil when unreadable.
    public static func decide(tunables: String?, optOut: String?, restarted: Bool = false, kernelSetting: String?) -> Decision {
        if let tunables, let set = tunables.split(separator: ":").first(where: { $0.hasPrefix("glibc.malloc.hugetlb=") }) {
            return .keep(set == tunable[...] ? .requested(tunables: tunables) : .userSet(tunables: tunables))
        }
        if restarted { return .keep(.tunableDropped) }
        switch optOut?.lowercased() {
        case nil, "", "on": break
        case "off": return .keep(.optedOut)
        default: return .keep(.unknownOptOut(optOut ?? ""))
        }
        guard let mode = kernelSetting.flatMap(selectedMode) else { return .keep(.noKernelSetting) }
        switch mode {
        case "madvise":
            let value = (tunables ?? "").isEmpty ? tunable : "\(tunables ?? ""):\(tunable)"
            return .restart(tunables: value)
        case "always":
            return .keep(.kernelAlways)
        default:
            return .keep(.kernelMode(mode))
        }
    }

    /// The bracketed choice in the kernel's setting, e.g. "madvise" in "always [madvise] never".
    static func selectedMode(_ setting: String) -> String? {
        guard let open = setting.firstIndex(of: "["), let close = setting[open...].firstIndex(of: "]") else { return nil }
        let mode = setting[setting.index(after: open)..<close]
        return mode.isEmpty ? nil : String(mode)
    }

    /// The decision for this process.
    public static func current() -> Decision {
        let environment = ProcessInfo.processInfo.environment
        return decide(
            tunables: environment["GLIBC_TUNABLES"], optOut: environment[optOutVariable], restarted: environment[restartedVariable] != nil,
            kernelSetting: try? String(contentsOfFile: settingPath, encoding: .utf8))
    }

    /// Executes the process again with the tunable when `current()` says so. Call it first thing,
    /// before any thread is started. When the execution fails, the process carries on as it was.
    public static func restartIfWorthwhile() {
        #if os(Linux)
            guard case .restart(let value) = current() else { return }
            let previous = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
            setenv("GLIBC_TUNABLES", value, 1)
            setenv(restartedVariable, "1", 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            if let previous { setenv("GLIBC_TUNABLES", previous, 1) } else { unsetenv("GLIBC_TUNABLES") }
            unsetenv(restartedVariable)
        #endif
    }
}
