public import DecisioningCore
public import DecisioningStore
import Dispatch
import Foundation
import Synchronization

/// A bounded set of connections shaped by the configuration's `connection_pool`: `min` opened up
/// front, at most `max` at once, callers waiting at most `acquireTimeout` seconds for one.
///
/// A connection idle for more than `healthCheckAfter` seconds is pinged before it is handed out;
/// a broken one (lost connection, failed ping) is closed and replaced.
public final class ConnectionPool: Sendable {
    public let options: MySQLConnectionOptions
    public let minConnections: Int
    public let maxConnections: Int
    public let acquireTimeout: Double
    public let healthCheckAfter: Duration
    /// The longest a health check may take; the connection is discarded when it does not answer.
    public let pingTimeout: Double

    private struct State {
        var idle: [MySQLConnection] = []
        var open = 0
        var closed = false
        /// Callers waiting for a connection, first come first served; each is signalled once.
        var waiters: [DispatchSemaphore] = []

        /// Wakes the longest waiter: a connection came back or a slot for a new one opened.
        mutating func wakeOne() { if !waiters.isEmpty { waiters.removeFirst().signal() } }
        mutating func wakeAll() {
            for waiter in waiters { waiter.signal() }
            waiters.removeAll()
        }
    }

    private let state: Mutex<State>

    public init(
        options: MySQLConnectionOptions, pool: Configuration.ConnectionPool, healthCheckAfter: Duration = .seconds(30),
        pingTimeout: Double = 5
    ) throws(StoreError) {
        self.options = options
        minConnections = pool.minConnections
        maxConnections = max(1, pool.maxConnections)
        acquireTimeout = pool.connectionTimeout
        self.healthCheckAfter = healthCheckAfter
        self.pingTimeout = pingTimeout
        var initial = State()
        for _ in 0..<min(minConnections, maxConnections) {
            initial.idle.append(try MySQLConnection(options))
            initial.open += 1
        }
        state = Mutex(initial)
    }

    /// Connections currently open (idle or lent).
    public var openCount: Int { state.withLock { $0.open } }

    /// Lends a connection for `body` and takes it back, discarding it if it broke.
    public func withConnection<T>(_ operation: String, _ body: (MySQLConnection) throws -> T) throws -> T {
        let connection = try acquire(operation)
        defer { release(connection) }
        return try body(connection)
    }

    private enum Step {
        case closed
        case lend(MySQLConnection)
        case connect(remaining: Double)
        case wait(DispatchSemaphore)
        case timedOut
    }

    public func acquire(_ operation: String) throws(StoreError) -> MySQLConnection {
        let deadline = DispatchTime.now() + acquireTimeout
        while true {
            let remaining = Double(Int64(deadline.uptimeNanoseconds) - Int64(DispatchTime.now().uptimeNanoseconds)) / 1e9
            let step = state.withLock { state -> Step in
                if state.closed { return .closed }
                if let connection = state.idle.popLast() { return .lend(connection) }
                if state.open < maxConnections {
                    guard remaining > 0 else { return .timedOut }
                    state.open += 1
                    return .connect(remaining: remaining)
                }
                let waiter = DispatchSemaphore(value: 0)
                state.waiters.append(waiter)
                return .wait(waiter)
            }
            switch step {
            case .closed:
                throw .poolClosed(operation: operation)
            case .timedOut:
                throw .timedOut(operation: operation, seconds: acquireTimeout)
            case .lend(let connection):
                if ContinuousClock.now - connection.lastUsed > healthCheckAfter,
                    !connection.ping(timeout: max(0.05, min(pingTimeout, remaining)))
                {
                    discard()
                    continue
                }
                return connection
            case .connect(let remaining):
                do {
                    // The handshake, too, ends by the deadline (Connector/C counts whole seconds).
                    var options = self.options
                    options.connectTimeout = max(1, min(options.connectTimeout, remaining))
                    return try MySQLConnection(options)
                } catch {
                    discard()
                    throw error
                }
            case .wait(let waiter):
                if waiter.wait(timeout: deadline) == .timedOut {
                    // Still listed: nobody signalled it, the time is up. Not listed: a signal raced the
                    // timeout and is the caller's to use, one more look.
                    let stillWaiting = state.withLock { state -> Bool in
                        guard let index = state.waiters.firstIndex(where: { $0 === waiter }) else { return false }
                        state.waiters.remove(at: index)
                        return true
                    }
                    if stillWaiting { throw .timedOut(operation: operation, seconds: acquireTimeout) }
                }
            }
        }
    }

    public func release(_ connection: MySQLConnection) {
        if connection.isBroken {
            discard()
            return
        }
        state.withLock { state in
            if state.closed {
                state.open -= 1
            } else {
                state.idle.append(connection)
            }
            state.wakeOne()
        }
    }

    /// Closes every idle connection: after one was found lost (a server restart, a failover), the
    /// others from the same time are likely lost too, and the next caller gets a new one.
    public func dropIdleConnections() {
        let dropped = state.withLock { state -> [MySQLConnection] in
            let dropped = state.idle
            state.open -= state.idle.count
            state.idle.removeAll()
            state.wakeAll()
            return dropped
        }
        // Closed here, outside the lock: closing writes to the socket.
        withExtendedLifetime(dropped) {}
    }

    private func discard() {
        state.withLock { state in
            state.open -= 1
            state.wakeOne()
        }
    }

    /// Stops the statement running on `connection` (`KILL QUERY`), from a connection of its own so
    /// that a full pool cannot delay it. Every step is bounded (a server that stalls must not hold
    /// the canceller); returns false when the KILL could not be sent.
    @discardableResult
    public func cancelStatement(on connection: MySQLConnection) -> Bool {
        var options = self.options
        options.connectTimeout = min(options.connectTimeout, 5)
        options.readTimeout = 5
        guard let killer = try? MySQLConnection(options) else { return false }
        return (try? killer.execute("KILL QUERY \(connection.serverThreadId)")) != nil
    }

    /// Closes the idle connections; lent ones close when returned.
    public func close() {
        state.withLock { $0.closed = true }
        dropIdleConnections()
    }
}
