import Dispatch
import Foundation
import Synchronization

/// Calls `expire` once `seconds` have passed, unless `finish()` came first.
///
/// Every deadline of the process is kept by one thread (`DeadlineKeeper`): not Dispatch's workers
/// or Swift's cooperative pool, which can all be busy with the very work being timed. `expire`
/// should be quick (shut a socket down); once `finish()` has returned it neither runs nor is running.
public final class Deadline: Sendable {
    enum Phase {
        case pending
        case expiring(waiter: DispatchSemaphore?)
        case expired
        case finished
    }

    private let phase = Mutex(Phase.pending)
    private let expire: @Sendable () -> Void
    private let id: Int

    public init(seconds: Double, expire: @escaping @Sendable () -> Void) {
        self.expire = expire
        id = DeadlineKeeper.shared.nextId()
        DeadlineKeeper.shared.add(self, id: id, due: DispatchTime.now() + max(0, seconds))
    }

    /// Ends the watch; returns true when `expire` had already run (waiting for it if it is running).
    @discardableResult
    public func finish() -> Bool {
        DeadlineKeeper.shared.remove(id)
        let wait = phase.withLock { phase -> (DispatchSemaphore?, Bool) in
            switch phase {
            case .pending:
                phase = .finished
                return (nil, false)
            case .expiring(let waiter):
                let semaphore = waiter ?? DispatchSemaphore(value: 0)
                phase = .expiring(waiter: semaphore)
                return (semaphore, true)
            case .expired:
                return (nil, true)
            case .finished:
                return (nil, false)
            }
        }
        wait.0?.wait()
        return wait.1
    }

    /// Called by the keeper when the time is up.
    func fire() {
        let run = phase.withLock { phase -> Bool in
            guard case .pending = phase else { return false }
            phase = .expiring(waiter: nil)
            return true
        }
        guard run else { return }
        expire()
        let waiter = phase.withLock { phase -> DispatchSemaphore? in
            defer { phase = .expired }
            if case .expiring(let waiter) = phase { return waiter }
            return nil
        }
        waiter?.signal()
    }
}

/// The one thread that fires every `Deadline` of the process, started with the first one.
final class DeadlineKeeper: Sendable {
    static let shared = DeadlineKeeper()

    private struct State {
        var entries: [Int: (due: DispatchTime, deadline: Deadline)] = [:]
        var nextId = 0
        var started = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    func nextId() -> Int {
        state.withLock { state in
            defer { state.nextId += 1 }
            return state.nextId
        }
    }

    func add(_ deadline: Deadline, id: Int, due: DispatchTime) {
        let start = state.withLock { state -> Bool in
            state.entries[id] = (due, deadline)
            defer { state.started = true }
            return !state.started
        }
        if start {
            let thread = Thread { [self] in keep() }
            thread.name = "decisioning.deadlines"
            thread.stackSize = 1 << 20
            thread.start()
        }
        wake.signal()
    }

    func remove(_ id: Int) {
        _ = state.withLock { $0.entries.removeValue(forKey: id) }
    }

    private func keep() {
        while true {
            let now = DispatchTime.now()
            let (due, next) = state.withLock { state -> ([Deadline], DispatchTime?) in
                var due: [Deadline] = []
                var next: DispatchTime?
                for (id, entry) in state.entries {
                    if entry.due <= now {
                        due.append(entry.deadline)
                        state.entries[id] = nil
                    } else if next.map({ entry.due < $0 }) ?? true {
                        next = entry.due
                    }
                }
                return (due, next)
            }
            for deadline in due { deadline.fire() }
            if due.isEmpty {
                if let next {
                    _ = wake.wait(timeout: next)
                } else {
                    wake.wait()
                }
            }
        }
    }
}
