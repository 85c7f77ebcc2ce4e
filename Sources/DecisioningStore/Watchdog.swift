import Foundation

/// Calls `expire` once `seconds` have passed, on a thread of its own, unless `finish()` came first.
///
/// A thread rather than Dispatch: Dispatch's workers (on Linux, Swift's cooperative pool too) can
/// all be busy with the very work being timed, and a deadline must not wait for them. `expire` runs
/// under the watchdog's lock, so once `finish()` has returned it neither runs nor is running.
public final class Watchdog: @unchecked Sendable {
    private let condition = NSCondition()
    private var finished = false
    private var expired = false

    public init(seconds: Double, name: String, expire: @escaping @Sendable () -> Void) {
        let deadline = Date(timeIntervalSinceNow: seconds)
        let thread = Thread { [self] in
            condition.lock()
            defer { condition.unlock() }
            while !finished {
                if !condition.wait(until: deadline) {
                    if !finished {
                        expired = true
                        expire()
                    }
                    return
                }
            }
        }
        thread.name = name
        thread.start()
    }

    /// Ends the watch; returns true when `expire` had already run.
    @discardableResult
    public func finish() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        finished = true
        condition.signal()
        return expired
    }
}
