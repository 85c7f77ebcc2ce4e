import Dispatch
import Synchronization

/// A value computed once, by the first caller that needs it, and kept for the others. A caller that
/// needs it while another is computing it waits for that computation instead of doing the same work
/// beside it (on two cores, a second computation halves the speed of both), and while it waits it
/// calls its own `check` every 50 ms, so its cancellation and timeout still stop it. Only a value
/// computed in full is kept: when the computation fails, the error goes to its caller alone, and the
/// next caller (one that was waiting, or a later one) computes the value anew. Meant for values that are
/// the same whoever computes them (`RunMemo`), computed by work that never waits on its waiters.
public final class ComputedOnce<Value: Sendable>: Sendable {
    private enum State {
        case idle
        /// A caller is computing; each waiter's semaphore is signalled when it ends, value or failure.
        case computing([DispatchSemaphore])
        case done(Value)
    }

    private enum Step {
        case kept(Value)
        case wait(DispatchSemaphore)
        case compute
    }

    private let state = Mutex<State>(.idle)

    public init() {}

    /// The kept value, or the one `make` computes (then kept), or the one another caller is computing.
    /// - Parameters:
    ///   - check: called every 50 ms while waiting for another caller; what it throws ends the wait.
    ///   - make: computes the value.
    public func value(check: () throws -> Void, _ make: () throws -> Value) throws -> Value {
        while true {
            let step = state.withLock { state -> Step in
                switch state {
                case .done(let value):
                    return .kept(value)
                case .computing(var waiters):
                    let waiter = DispatchSemaphore(value: 0)
                    waiters.append(waiter)
                    state = .computing(waiters)
                    return .wait(waiter)
                case .idle:
                    state = .computing([])
                    return .compute
                }
            }
            switch step {
            case .kept(let value):
                return value
            case .wait(let waiter):
                // Woken when the computation ends; then the value is kept, or the state is idle again and this caller computes.
                while waiter.wait(timeout: .now() + .milliseconds(50)) == .timedOut { try check() }
            case .compute:
                let made: Value
                do {
                    made = try make()
                } catch {
                    finish(.idle)
                    throw error
                }
                finish(.done(made))
                return made
            }
        }
    }

    /// Ends the computation with `next` (a value, or idle after a failure) and wakes every waiter.
    private func finish(_ next: State) {
        let waiters = state.withLock { state -> [DispatchSemaphore] in
            defer { state = next }
            guard case .computing(let waiters) = state else { return [] }
            return waiters
        }
        for waiter in waiters { waiter.signal() }
    }
}
