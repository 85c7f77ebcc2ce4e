import CMariaDB
public import DecisioningCore
public import DecisioningStore

/// A server-side prepared statement: values travel bound in the binary protocol, never spliced
/// into SQL text. Results are fetched row by row (unbuffered) and decoded by the caller's types.
public final class MySQLStatement {
    let connection: MySQLConnection
    let handle: UnsafeMutablePointer<MYSQL_STMT>
    let operation: String
    public let parameterCount: Int

    init(connection: MySQLConnection, sql: String, operation: String? = nil) throws(StoreError) {
        self.connection = connection
        self.operation = operation ?? MySQLConnection.summary(sql)
        guard let handle = mysql_stmt_init(connection.handle) else { throw connection.error(self.operation) }
        self.handle = handle
        let status = sql.utf8CString.withUnsafeBufferPointer { mysql_stmt_prepare(handle, $0.baseAddress, UInt(sql.utf8.count)) }
        guard status == 0 else {
            let error = MySQLConnection.error(
                code: Int32(mysql_stmt_errno(handle)), message: String(cString: mysql_stmt_error(handle)),
                operation: self.operation, connection: connection)
            mysql_stmt_close(handle)
            throw error
        }
        parameterCount = Int(mysql_stmt_param_count(handle))
    }

    deinit { mysql_stmt_close(handle) }

    func statementError() -> StoreError {
        MySQLConnection.error(
            code: Int32(mysql_stmt_errno(handle)), message: String(cString: mysql_stmt_error(handle)),
            operation: operation, connection: connection)
    }

    /// Executes with `values` bound; `scales` gives each `.decimal` value's scale (its column's).
    /// - Returns: the affected-row count.
    @discardableResult
    public func execute(_ values: [Value], scales: [Int?]? = nil) throws(StoreError) -> UInt64 {
        try bindAndExecute(values, scales: scales)
        if mysql_stmt_field_count(handle) > 0 { _ = mysql_stmt_free_result(handle) }
        return mysql_stmt_affected_rows(handle)
    }

    /// Executes and decodes every row with `columnTypes`.
    public func query(_ values: [Value], columnTypes: [ColumnType]) throws(StoreError) -> [[Value]] {
        var rows: [[Value]] = []
        try query(values, columnTypes: columnTypes) { rows.append($0) }
        return rows
    }

    /// Executes and hands each decoded row to `body` as it arrives.
    public func query(_ values: [Value], columnTypes: [ColumnType], _ body: ([Value]) throws(StoreError) -> Void) throws(StoreError) {
        try bindAndExecute(values, scales: nil)
        defer { _ = mysql_stmt_free_result(handle) }
        let fieldCount = Int(mysql_stmt_field_count(handle))
        guard fieldCount == columnTypes.count else {
            throw .engine(
                operation: operation, code: 0, message: "the statement returns \(fieldCount) columns, \(columnTypes.count) types were given"
            )
        }
        let results = ResultBuffers(types: columnTypes)
        defer { results.deallocate() }
        guard mysql_stmt_bind_result(handle, results.binds) == 0 else { throw statementError() }
        while true {
            let status = mysql_stmt_fetch(handle)
            if status == MYSQL_NO_DATA { break }
            if status == 1 { throw statementError() }
            if status == MYSQL_DATA_TRUNCATED { try results.refetchTruncated(handle) }
            try body(try results.decodeRow(operation: operation))
        }
    }

    /// Executes and returns the first result set as text, then drains any further result sets
    /// (stored procedures return several).
    func allResults(_ values: [Value]) throws(StoreError) -> [[String?]] {
        try bindAndExecute(values, scales: nil)
        var first: [[String?]]?
        repeat {
            let fieldCount = Int(mysql_stmt_field_count(handle))
            if fieldCount > 0 {
                let results = ResultBuffers(types: Array(repeating: .longText, count: fieldCount))
                defer { results.deallocate() }
                guard mysql_stmt_bind_result(handle, results.binds) == 0 else { throw statementError() }
                var rows: [[String?]] = []
                while true {
                    let status = mysql_stmt_fetch(handle)
                    if status == MYSQL_NO_DATA { break }
                    if status == 1 { throw statementError() }
                    if status == MYSQL_DATA_TRUNCATED { try results.refetchTruncated(handle) }
                    rows.append(
                        try results.decodeRow(operation: operation).map { value -> String? in
                            if case .text(let s) = value { return s }
                            return nil
                        })
                }
                if first == nil { first = rows }
            }
            _ = mysql_stmt_free_result(handle)
            let next = mysql_stmt_next_result(handle)
            if next > 0 { throw statementError() }
            if next != 0 { break }
        } while true
        return first ?? []
    }

    private func bindAndExecute(_ values: [Value], scales: [Int?]?) throws(StoreError) {
        guard values.count == parameterCount else {
            throw .engine(operation: operation, code: 0, message: "\(values.count) values for \(parameterCount) parameters")
        }
        let parameters = try ParameterBuffers(values, scales: scales, operation: operation)
        defer { parameters.deallocate() }
        if parameterCount > 0, mysql_stmt_bind_param(handle, parameters.binds) != 0 { throw statementError() }
        guard mysql_stmt_execute(handle) == 0 else { throw statementError() }
    }
}

/// The bound values of one execution: `MYSQL_BIND`s pointing into one arena, which lives until the
/// statement has executed.
struct ParameterBuffers {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let arena: UnsafeMutableRawPointer
    let count: Int

    init(_ values: [Value], scales: [Int?]?, operation: String) throws(StoreError) {
        count = values.count
        binds = .allocate(capacity: max(1, count))
        binds.initialize(repeating: MYSQL_BIND(), count: max(1, count))
        var encoded: [[UInt8]?] = []
        encoded.reserveCapacity(count)
        var size = 0
        for (i, value) in values.enumerated() {
            let bytes: [UInt8]?
            switch value {
            case .text(let s), .json(let s): bytes = Array(s.utf8)
            case .decimal(let units):
                guard let scale = scales?[i] ?? nil else {
                    throw .invalidArgument("\(operation): parameter \(i + 1) is a decimal whose scale is unknown; bind it as text")
                }
                bytes = Array(FixedPoint.format(units, scale: scale).utf8)
            case .vector(let v): bytes = v.flatMap { f in withUnsafeBytes(of: f.bitPattern.littleEndian) { Array($0) } }
            default: bytes = nil
            }
            encoded.append(bytes)
            size += ((bytes?.count ?? 0) + 64 + 15) & ~15
        }
        arena = .allocate(byteCount: max(size, 8), alignment: 16)
        var offset = 0
        for (i, value) in values.enumerated() {
            let slot = arena + offset
            var bind = MYSQL_BIND()
            switch value {
            case .null:
                bind.buffer_type = MYSQL_TYPE_NULL
            case .integer(let v):
                slot.storeBytes(of: v, as: Int64.self)
                bind.buffer_type = MYSQL_TYPE_LONGLONG
                bind.buffer = slot
            case .boolean(let b):
                slot.storeBytes(of: b ? 1 : 0, as: Int8.self)
                bind.buffer_type = MYSQL_TYPE_TINY
                bind.buffer = slot
            case .double(let d):
                slot.storeBytes(of: d, as: Double.self)
                bind.buffer_type = MYSQL_TYPE_DOUBLE
                bind.buffer = slot
            case .date(let day):
                let (y, m, d) = day.civil
                slot.bindMemory(to: MYSQL_TIME.self, capacity: 1).initialize(
                    to: MYSQL_TIME(
                        year: UInt32(y), month: UInt32(m), day: UInt32(d), hour: 0, minute: 0, second: 0, second_part: 0, neg: 0,
                        time_type: MYSQL_TIMESTAMP_DATE))
                bind.buffer_type = MYSQL_TYPE_DATE
                bind.buffer = slot
            case .timestamp(let t):
                let (y, m, d) = t.day.civil
                let s = Int(t.seconds - Int64(t.day.number) * 86_400)
                slot.bindMemory(to: MYSQL_TIME.self, capacity: 1).initialize(
                    to: MYSQL_TIME(
                        year: UInt32(y), month: UInt32(m), day: UInt32(d), hour: UInt32(s / 3600), minute: UInt32(s / 60 % 60),
                        second: UInt32(s % 60), second_part: 0, neg: 0, time_type: MYSQL_TIMESTAMP_DATETIME))
                bind.buffer_type = MYSQL_TYPE_DATETIME
                bind.buffer = slot
            case .text, .json, .decimal, .vector:
                let bytes = encoded[i]!
                bytes.withUnsafeBytes { raw in
                    if let base = raw.baseAddress { (slot + 8).copyMemory(from: base, byteCount: raw.count) }
                }
                slot.storeBytes(of: UInt(bytes.count), as: UInt.self)
                bind.buffer_type = {
                    if case .vector = value { return MYSQL_TYPE_BLOB }
                    return MYSQL_TYPE_STRING
                }()
                bind.buffer = slot + 8
                bind.buffer_length = UInt(bytes.count)
                bind.length = (slot).assumingMemoryBound(to: UInt.self)
            }
            binds[i] = bind
            offset += (encoded[i]?.count ?? 0) + 64
            offset = (offset + 15) & ~15
        }
    }

    func deallocate() {
        binds.deallocate()
        arena.deallocate()
    }
}

/// Fetch buffers for one result row: integers and doubles in their binary form, everything else
/// as text that grows when a value does not fit.
final class ResultBuffers {
    let types: [ColumnType]
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let lengths: UnsafeMutablePointer<UInt>
    let nulls: UnsafeMutablePointer<my_bool>
    let errors: UnsafeMutablePointer<my_bool>
    var buffers: [UnsafeMutableRawPointer]
    var capacities: [Int]

    init(types: [ColumnType]) {
        self.types = types
        let n = max(1, types.count)
        binds = .allocate(capacity: n)
        binds.initialize(repeating: MYSQL_BIND(), count: n)
        lengths = .allocate(capacity: n)
        lengths.initialize(repeating: 0, count: n)
        nulls = .allocate(capacity: n)
        nulls.initialize(repeating: 0, count: n)
        errors = .allocate(capacity: n)
        errors.initialize(repeating: 0, count: n)
        buffers = []
        capacities = []
        for (i, type) in types.enumerated() {
            let capacity: Int
            var bind = MYSQL_BIND()
            switch type {
            case .integer, .boolean:
                capacity = 8
                bind.buffer_type = MYSQL_TYPE_LONGLONG
            case .double:
                capacity = 8
                bind.buffer_type = MYSQL_TYPE_DOUBLE
            default:
                capacity = 128
                bind.buffer_type = MYSQL_TYPE_STRING
            }
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
            buffers.append(buffer)
            capacities.append(capacity)
            bind.buffer = buffer
            bind.buffer_length = UInt(capacity)
            bind.length = lengths + i
            bind.is_null = nulls + i
            bind.error = errors + i
            binds[i] = bind
        }
    }

    /// Fetches again, into larger buffers, the text columns that did not fit, and binds the larger
    /// buffers for the rows that follow: Connector/C keeps its own copy of the binds, which would
    /// otherwise go on pointing at the freed buffers.
    func refetchTruncated(_ statement: UnsafeMutablePointer<MYSQL_STMT>) throws(StoreError) {
        // A number that does not fit its binary form (a SUM beyond Int64) must not come back clamped.
        for i in 0..<types.count where errors[i] != 0 && binds[i].buffer_type != MYSQL_TYPE_STRING {
            throw .typeMismatch(
                table: "query", column: "column \(i + 1)", expected: types[i], found: "a value outside the range of a 64-bit number")
        }
        for i in 0..<types.count where errors[i] != 0 && binds[i].buffer_type == MYSQL_TYPE_STRING {
            let needed = Int(lengths[i])
            buffers[i].deallocate()
            buffers[i] = .allocate(byteCount: needed + 1, alignment: 8)
            capacities[i] = needed + 1
            binds[i].buffer = buffers[i]
            binds[i].buffer_length = UInt(needed + 1)
            guard mysql_stmt_fetch_column(statement, binds + i, UInt32(i), 0) == 0 else {
                throw .engine(
                    operation: "fetch", code: Int32(mysql_stmt_errno(statement)), message: String(cString: mysql_stmt_error(statement)))
            }
        }
        guard mysql_stmt_bind_result(statement, binds) == 0 else {
            throw .engine(
                operation: "fetch", code: Int32(mysql_stmt_errno(statement)), message: String(cString: mysql_stmt_error(statement)))
        }
    }

    func decodeRow(operation: String) throws(StoreError) -> [Value] {
        var row: [Value] = []
        row.reserveCapacity(types.count)
        for (i, type) in types.enumerated() {
            if nulls[i] != 0 {
                row.append(.null)
                continue
            }
            switch type {
            case .integer: row.append(.integer(buffers[i].load(as: Int64.self)))
            case .boolean: row.append(.boolean(buffers[i].load(as: Int64.self) != 0))
            case .double: row.append(.double(buffers[i].load(as: Double.self)))
            default:
                let bytes = UnsafeBufferPointer(start: buffers[i].assumingMemoryBound(to: UInt8.self), count: Int(lengths[i]))
                row.append(try MySQLValueDecoder.decode(bytes, as: type, table: operation, column: "column \(i + 1)"))
            }
        }
        return row
    }

    func deallocate() {
        binds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        errors.deallocate()
        for buffer in buffers { buffer.deallocate() }
    }
}
