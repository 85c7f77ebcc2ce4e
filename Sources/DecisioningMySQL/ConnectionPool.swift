public import DecisioningCore
public import DecisioningStore
import Foundation

/// A bounded set of connections shaped by the configuration's `connection_pool`: `min` opened up
/// front, at most `max` at once, callers waiting at most `acquireTimeout` seconds for one.
///
/// A connection idle for more than `healthCheckAfter` seconds is pinged before it is handed out;
/// a broken one (lost connection, failed ping) is closed and replaced.
public final class ConnectionPool: @unchecked Sendable {
    public let options: MySQLConnectionOptions
    public let minConnections: Int
    public let maxConnections: Int
    public let acquireTimeout: Double
    public let healthCheckAfter: Duration
    /// The longest a health check may take; the connection is discarded when it does not answer.
    public let pingTimeout: Double
    private let condition = NSCondition()
    private var idle: [MySQLConnection] = []
    private var open = 0
    private var closed = false

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
        for _ in 0..<min(minConnections, maxConnections) {
            idle.append(try MySQLConnection(options))
            open += 1
        }
    }

    /// Connections currently open (idle or lent).
    public var openCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return open
    }

    /// Lends a connection for `body` and takes it back, discarding it if it broke.
    public func withConnection<T>(_ operation: String, _ body: (MySQLConnection) throws -> T) throws -> T {
        let connection = try acquire(operation)
        defer { release(connection) }
        return try body(connection)
    }

    public func acquire(_ operation: String) throws(StoreError) -> MySQLConnection {
        let deadline = Date(timeIntervalSinceNow: acquireTimeout)
        condition.lock()
        while true {
            if closed {
                condition.unlock()
                throw .unsupported("\(operation): the connection pool is closed")
            }
            if let connection = idle.popLast() {
                condition.unlock()
                if ContinuousClock.now - connection.lastUsed > healthCheckAfter,
                    !connection.ping(timeout: max(0.05, min(pingTimeout, deadline.timeIntervalSinceNow)))
                {
                    discard()
                    condition.lock()
                    continue
                }
                return connection
            }
            if open < maxConnections {
                let remaining = deadline.timeIntervalSinceNow
                guard remaining > 0 else {
                    condition.unlock()
                    throw .timedOut(operation: operation, seconds: acquireTimeout)
                }
                open += 1
                condition.unlock()
                do {
                    // The handshake, too, ends by the deadline (Connector/C counts whole seconds).
                    var options = self.options
                    options.connectTimeout = max(1, min(options.connectTimeout, remaining))
                    return try MySQLConnection(options)
                } catch {
                    discard()
                    throw error
                }
            }
            if !condition.wait(until: deadline) {
                condition.unlock()
                throw .timedOut(operation: operation, seconds: acquireTimeout)
            }
        }
    }

    public func release(_ connection: MySQLConnection) {
        if connection.isBroken {
            discard()
            return
        }
        condition.lock()
        if closed {
            open -= 1
        } else {
            idle.append(connection)
        }
        condition.signal()
        condition.unlock()
    }

    /// Closes every idle connection: after one was found lost (a server restart, a failover), the
    /// others from the same time are likely lost too, and the next caller gets a new one.
    public func dropIdleConnections() {
        condition.lock()
        let dropped = idle
        open -= idle.count
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
        // Closed here, outside the lock: closing writes to the socket.
        withExtendedLifetime(dropped) {}
    }

    private func discard() {
        condition.lock()
        open -= 1
        condition.signal()
        condition.unlock()
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
        condition.lock()
        closed = true
        condition.unlock()
        dropIdleConnections()
    }
}
