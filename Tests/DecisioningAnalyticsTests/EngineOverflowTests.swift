import DecisioningAnalytics
import DecisioningCore
import Foundation
import Testing

/// The column engine keeps BIGINT and DECIMAL values in 64 bits. Arithmetic beyond that range must
/// fail the query with the typed overflow error (or widen where the result fits, as AVG does), and
/// comparisons with constants beyond it must still be decided exactly: never a wrapped value.
/// References are computed exactly with `Int128`.
@Suite("Column engine integer overflow")
struct EngineOverflowTests {
    static let asOf = Day(iso: "2025-01-01")!
    /// 9999999999999.99, the largest DECIMAL(15,2) value, in units of 0.01.
    static let maxMoney: Int64 = 999_999_999_999_999

    /// A one-table engine over integer-stored columns given as units (nil: NULL).
    static func engine(_ table: String, _ columns: [(String, ColumnType, [Int64?])], nullFill: Int64 = 0) -> Executor {
        let rowCount = columns.first?.2.count ?? 0
        var fields: [Field] = []
        var stored: [Column] = []
        for (name, type, values) in columns {
            let dataType = DataType(type)!
            fields.append(Field(name, dataType))
            let valid = values.map { $0 != nil }
            stored.append(
                Column(
                    type: dataType, storage: .ints(ColumnValues(values.map { $0 ?? nullFill })), valid: valid.contains(false) ? valid : nil)
            )
        }
        let schema = TableSchema(name: table, columns: columns.map { ColumnSchema($0.0, $0.1) }, primaryKey: [])
        return Executor(
            tables: [table: ColumnTable(name: table, fields: fields, columns: stored, rowCount: rowCount)],
            asOf: asOf, catalog: TableCatalog([schema]))
    }

    static func overflowError(_ body: () throws -> Void) -> PlanError? {
        do {
            try body()
            return nil
        } catch let error as PlanError {
            return error.isIntegerOverflow ? error : nil
        } catch {
            return nil
        }
    }

    // MARK: - (a) SUM fails loudly

    @Test("SUM of 10,000 × 9999999999999.99 fails with the overflow error, not a wrapped value")
    func sumOverflowFails() throws {
        let executor = Self.engine(
            "financial_metrics",
            [
                ("g", .integer, (0..<10_000).map { Int64($0 % 2) }),
                ("revenue", .money, Array(repeating: Self.maxMoney, count: 10_000)),
            ])
        let plan = Plan.scan("financial_metrics", ["revenue"]).aggregate([.sum("total_revenue", col("revenue"))])
        var wrapped: [[Value]]? = nil
        let error = Self.overflowError { wrapped = try executor.run(plan).rows }
        #expect(wrapped == nil, "the engine returned \(String(describing: wrapped)) instead of failing")
        let e = try #require(error)
        #expect(e.message.hasPrefix("integer overflow: SUM(revenue) AS total_revenue exceeds the range of DECIMAL with 2 decimal places"))
        #expect(e.message.contains("92233720368547758.07"))
        #expect(e.message.contains("--on sql"))

        // Per group the sums (5,000 each) do fit: exact, no error.
        let grouped = try executor.run(
            Plan.scan("financial_metrics", ["g", "revenue"]).aggregate(by: ["g"], [.sum("total", col("revenue"))]).sort(.asc("g")))
        #expect(grouped.rows == [[.integer(0), .decimal(Self.maxMoney * 5000)], [.integer(1), .decimal(Self.maxMoney * 5000)]])

        // A conditional sum goes through its own path and fails the same way.
        let conditional = Plan.scan("financial_metrics", ["g", "revenue"])
            .aggregate([.sum("s", when(col("g") >= .literal(.integer(0)), then: col("revenue"), else: .decimal("0.00")))])
        #expect(Self.overflowError { _ = try executor.run(conditional) } != nil)
    }

    @Test("SUM whose running total overflows but whose result fits is exact")
    func sumIntermediateOverflowCancels() throws {
        let values: [Int64?] = [.max, .max, 5, nil, -.max, -.max, -3]
        let executor = Self.engine("t", [("g", .integer, values.map { _ in 0 }), ("x", .integer, values)], nullFill: .max)
        let rows = try executor.run(Plan.scan("t", ["x"]).aggregate([.sum("s", col("x"))])).rows
        #expect(rows == [[.integer(2)]])
        // Through the grouped loop as well.
        let grouped = try executor.run(Plan.scan("t", ["g", "x"]).aggregate(by: ["g"], [.sum("s", col("x"))])).rows
        #expect(grouped == [[.integer(0), .integer(2)]])
    }

    // MARK: - (b) AVG widens

    @Test("AVG of 10,000 × 9999999999999.99 is exactly 9999999999999.99")
    func avgWidens() throws {
        let n = 10_000
        let executor = Self.engine(
            "financial_metrics",
            [
                ("g", .integer, (0..<n).map { Int64($0 % 3) }),
                ("revenue", .money, Array(repeating: Self.maxMoney, count: n)),
                ("loss", .money, Array(repeating: -Self.maxMoney, count: n)),
            ])
        let rows = try executor.run(
            Plan.scan("financial_metrics", ["revenue", "loss"])
                .aggregate([.avg("a", col("revenue")), .avg("l", col("loss"))])
        ).rows
        #expect(rows == [[.double(9999999999999.99), .double(-9999999999999.99)]])
        let grouped = try executor.run(Plan.scan("financial_metrics", ["g", "revenue"]).aggregate(by: ["g"], [.avg("a", col("revenue"))]))
            .rows
        #expect(grouped.map { $0[1] } == Array(repeating: .double(9999999999999.99), count: 3))
    }

    // MARK: - (c) Property: exact or the overflow error, never another value

    /// Values that stress 64 bits: near ±Int64.max / 10000, near ±Int64.max / k, near √Int64.max
    /// (for products), small, and anything at all.
    static func value(_ rng: inout SeededRandom) -> Int64 {
        let sign: Int64 = rng.chance(0.5) ? 1 : -1
        switch rng.int(0...5) {
        case 0: return sign * (Int64.max / 10_000 - Int64(rng.int(0...1000)))
        case 1: return sign * (Int64.max / Int64(rng.int(1...40)) - Int64(rng.int(0...1000)))
        case 2: return sign * (3_037_000_499 - Int64(rng.int(-50_000...50_000)))
        case 3: return Int64(rng.int(-1_000_000...1_000_000))
        case 4: return Int64(bitPattern: rng.next())
        default: return sign * Int64(rng.int(0...Int(Int64.max / 2)))
        }
    }

    @available(macOS 15.0, *)
    static func fits(_ v: Int128) -> Int64? { Int64(exactly: v) }

    @Test("SUM is the exact sum when it fits and the overflow error otherwise")
    @available(macOS 15.0, *)
    func sumProperty() throws {
        var rng = SeededRandom(seed: 2024, stream: 1)
        var errors = 0
        var exact = 0
        for trial in 0..<400 {
            let n = rng.int(1...60)
            let values: [Int64?] = (0..<n).map { _ in rng.chance(0.1) ? nil : Self.value(&rng) }
            let groups: [Int64?] = (0..<n).map { _ in Int64(rng.int(0...2)) }
            let executor = Self.engine("t", [("g", .integer, groups), ("m", .money, values)], nullFill: Int64(bitPattern: rng.next()))
            for grouped in [false, true] {
                let plan =
                    grouped
                    ? Plan.scan("t", ["g", "m"]).aggregate(by: ["g"], [.sum("s", col("m"))]).sort(.asc("g"))
                    : Plan.scan("t", ["m"]).aggregate([.sum("s", col("m"))])
                let keys: [Int64] = grouped ? Array(Set(groups.compactMap { $0 })).sorted() : [0]
                let sums = keys.map { k in
                    zip(groups, values).reduce(into: (Int128(0), false)) { acc, row in
                        if let v = row.1, !grouped || row.0 == k {
                            acc.0 += Int128(v)
                            acc.1 = true
                        }
                    }
                }
                let expectedFit = sums.allSatisfy { Self.fits($0.0) != nil }
                var got: [[Value]]? = nil
                let error = Self.overflowError { got = try executor.run(plan).rows }
                if expectedFit {
                    let expected: [[Value]] = zip(keys, sums).map { k, s in
                        let v: Value = s.1 ? .decimal(Self.fits(s.0)!) : .null
                        return grouped ? [.integer(k), v] : [v]
                    }
                    #expect(got == expected, "trial \(trial) grouped \(grouped): \(values)")
                    exact += 1
                } else {
                    #expect(
                        error != nil && got == nil, "trial \(trial) grouped \(grouped): expected overflow, got \(String(describing: got))")
                    errors += 1
                }
            }
        }
        // The generator must exercise both outcomes.
        #expect(errors > 50 && exact > 50, "errors \(errors), exact \(exact)")
    }

    @Test(
        "a + b, a - b, a * b, -a and a + integer are exact when they fit and the overflow error otherwise",
        arguments: ["+", "-", "*", "neg", "+int", "-int", "*int"])
    @available(macOS 15.0, *)
    func arithmeticProperty(_ operation: String) throws {
        var rng = SeededRandom(seed: 77, stream: UInt64(operation.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) }))
        var errors = 0
        var exact = 0
        // Column a is money (scale 2); b money; i a plain integer (rescaled by 100 for + and -).
        for trial in 0..<300 {
            let n = rng.int(1...6)
            // Products overflow unless magnitudes are spread: shift operands right by a random amount.
            let spread = operation.hasPrefix("*")
            func draw(_ rng: inout SeededRandom) -> Int64? {
                if rng.chance(0.1) { return nil }
                let v = Self.value(&rng)
                return spread && rng.chance(0.7) ? v >> Int64(rng.int(0...62)) : v
            }
            var a: [Int64?] = (0..<n).map { _ in draw(&rng) }
            let b: [Int64?] = (0..<n).map { _ in draw(&rng) }
            var i: [Int64?] = (0..<n).map { _ in draw(&rng).map { $0 / (rng.chance(0.5) ? 1 : 100) } }
            if trial % 10 == 0 {
                // An integer whose rescaling alone overflows while the sum fits.
                i[0] = 92_233_720_368_547_759
                a[0] = -1000
            } else if trial % 10 == 5 {
                a[0] = .min
            }
            let executor = Self.engine(
                "t", [("a", .money, a), ("b", .money, b), ("i", .integer, i)], nullFill: Int64(bitPattern: rng.next()))
            let expr: Expr
            let reference: (Int128, Int128, Int128) -> Int128
            let uses: (Bool, Bool, Bool)
            switch operation {
            case "+":
                expr = col("a") + col("b")
                reference = { a, b, _ in a + b }
                uses = (true, true, false)
            case "-":
                expr = col("a") - col("b")
                reference = { a, b, _ in a - b }
                uses = (true, true, false)
            case "*":
                expr = col("a") * col("b")
                reference = { a, b, _ in a * b }
                uses = (true, true, false)
            case "neg":
                expr = -col("a")
                reference = { a, _, _ in -a }
                uses = (true, false, false)
            case "+int":
                expr = col("a") + col("i")
                reference = { a, _, i in a + i * 100 }
                uses = (true, false, true)
            case "-int":
                expr = col("i") - col("a")
                reference = { a, _, i in i * 100 - a }
                uses = (true, false, true)
            default:
                expr = col("a") * col("i")
                reference = { a, _, i in a * i }
                uses = (true, false, true)
            }
            let expected: [Int128?] = (0..<n).map { r in
                if uses.0 && a[r] == nil || uses.1 && b[r] == nil || uses.2 && i[r] == nil { return nil }
                return reference(Int128(a[r] ?? 0), Int128(b[r] ?? 0), Int128(i[r] ?? 0))
            }
            let plan = Plan.scan("t", ["a", "b", "i"]).project([NamedExpr("r", expr)])
            var got: [[Value]]? = nil
            let error = Self.overflowError { got = try executor.run(plan).rows }
            if expected.allSatisfy({ $0 == nil || Self.fits($0!) != nil }) {
                let rows: [[Value]] = expected.map { [$0.map { .decimal(Self.fits($0)!) } ?? .null] }
                #expect(got == rows, "trial \(trial): a \(a) b \(b) i \(i)")
                exact += 1
            } else {
                #expect(
                    error != nil && got == nil, "trial \(trial): expected overflow, got \(String(describing: got)); a \(a) b \(b) i \(i)")
                if let error { #expect(error.message.contains("exceeds the range of DECIMAL with")) }
                errors += 1
            }
        }
        #expect(errors > 20 && exact > 20, "errors \(errors), exact \(exact)")
    }

    @Test("An overflow in a NULL row or an untaken CASE branch is not an error")
    func overflowOnlyWhereUsed() throws {
        // NULL slots hold a value that would overflow: they must not count.
        let executor = Self.engine("t", [("a", .money, [nil, 5, 7]), ("i", .integer, [1, 92_233_720_368_547_759, nil])], nullFill: .max)
        let sum = try executor.run(Plan.scan("t", ["a", "i"]).project([NamedExpr("r", col("a") * .literal(.integer(2)))])).rows
        #expect(sum == [[.null], [.decimal(10)], [.decimal(14)]])
        // i is rescaled to money only in rows where the first branch is taken.
        let chosen = when(col("i") < .literal(.integer(1000)), then: col("i"), else: col("a"))
        let rows = try executor.run(Plan.scan("t", ["a", "i"]).project([NamedExpr("r", chosen)])).rows
        #expect(rows == [[.decimal(100)], [.decimal(5)], [.decimal(7)]])
        // Taking it for the huge value fails.
        let taken = when(col("i") > .literal(.integer(1000)), then: col("i"), else: col("a"))
        let error = Self.overflowError { _ = try executor.run(Plan.scan("t", ["a", "i"]).project([NamedExpr("r", taken)])) }
        #expect(error?.message.hasPrefix("integer overflow: CASE WHEN i > 1000 THEN i ELSE a END exceeds") == true)
    }

    // MARK: - (d) Comparisons with constants beyond the column's range

    /// Amounts (money, scale 2) near the 64-bit limits, and one NULL.
    static let amounts: [Int64?] = [
        .max, 922_337_203_685_477_581, 922_337_203_685_477_580, 1_000_000_000_000_000_000,
        0, -922_337_203_685_477_580, -922_337_203_685_477_581, -.max, .min, nil, 123,
    ]

    @available(macOS 15.0, *)
    static func expectedRows(_ op: ComparisonOperator, _ literal: Int128, literalScale: Int) -> [Int] {
        amounts.indices.filter { r in
            guard let u = amounts[r] else { return false }
            // Compare at the larger scale, exactly.
            let common = max(2, literalScale)
            let x = Int128(u) * Int128(FixedPoint.powersOfTen[common - 2])
            let y = literal * Int128(FixedPoint.powersOfTen[common - literalScale])
            switch op {
            case .equal: return x == y
            case .notEqual: return x != y
            case .less: return x < y
            case .lessOrEqual: return x <= y
            case .greater: return x > y
            case .greaterOrEqual: return x >= y
            }
        }
    }

    static func flip(_ op: ComparisonOperator) -> ComparisonOperator {
        switch op {
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        default: return op
        }
    }

    @Test("amount compared with constants beyond its range or with more decimals selects exactly")
    @available(macOS 15.0, *)
    func comparisonsBeyondRange() throws {
        let ids = Self.amounts.indices.map { Int64($0) }
        let executor = Self.engine(
            "t",
            [
                ("id", .integer, ids), ("amount", .money, Self.amounts),
                ("fine", .decimal(precision: 18, scale: 3), Self.amounts.map { _ in 9_223_372_036_854_775_807 }),
            ])
        let operators: [ComparisonOperator] = [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual]
        // (constant, its units, its scale)
        let constants: [(Expr, Int128, Int)] = [
            (.decimalLiteral(units: 9_223_372_036_854_775_807, scale: 3), 9_223_372_036_854_775_807, 3),
            (.decimalLiteral(units: 9_223_372_036_854_775_800, scale: 3), 9_223_372_036_854_775_800, 3),
            (.decimalLiteral(units: -9_223_372_036_854_775_801, scale: 3), -9_223_372_036_854_775_801, 3),
            (.literal(.integer(92_233_720_368_547_759)), 92_233_720_368_547_759, 0),
            (.literal(.integer(-92_233_720_368_547_759)), -92_233_720_368_547_759, 0),
            (.literal(.integer(Int64.max)), Int128(Int64.max), 0),
            (.literal(.integer(92_233_720_368_547_758)), 92_233_720_368_547_758, 0),
        ]
        for (constant, units, scale) in constants {
            for op in operators {
                let expected = Self.expectedRows(op, units, literalScale: scale).map { Value.integer(Int64($0)) }
                let predicate = Expr.compare(op, col("amount"), constant)
                // The selection fast path, with the constant on either side.
                let filtered = try executor.run(Plan.scan("t", ["id", "amount"]).filter(predicate)).rows.map { $0[0] }
                #expect(filtered == expected, "amount \(op.rawValue) \(constant)")
                let flipped = try executor.run(Plan.scan("t", ["id", "amount"]).filter(.compare(Self.flip(op), constant, col("amount"))))
                    .rows.map { $0[0] }
                #expect(flipped == expected, "\(constant) \(Self.flip(op).rawValue) amount")
                // The vectorised comparison kernel, as a projected boolean.
                let projected = try executor.run(
                    Plan.scan("t", ["id", "amount"]).project([NamedExpr("id", col("id")), NamedExpr("p", predicate)])
                )
                .rows.filter { $0[1] == Value.boolean(true) }.map { $0[0] }
                #expect(projected == expected, "projected amount \(op.rawValue) \(constant)")
            }
        }
        // Against a column with more decimals (9223372036854775.807 in every row).
        for op in operators {
            let expected = Self.expectedRows(op, 9_223_372_036_854_775_807, literalScale: 3).map { Value.integer(Int64($0)) }
            let rows = try executor.run(Plan.scan("t", ["id", "amount", "fine"]).filter(.compare(op, col("amount"), col("fine")))).rows.map
            { $0[0] }
            #expect(rows == expected, "amount \(op.rawValue) fine")
        }
        // Ranges whose bounds are beyond the column's range.
        let huge = Expr.literal(.integer(92_233_720_368_547_759))
        let negativeHuge = Expr.literal(.integer(-92_233_720_368_547_759))
        let nonNull = Self.amounts.indices.filter { Self.amounts[$0] != nil }.map { Value.integer(Int64($0)) }
        let all = try executor.run(Plan.scan("t", ["id", "amount"]).filter(col("amount").between(negativeHuge, huge))).rows.map { $0[0] }
        #expect(all == nonNull)
        let none = try executor.run(
            Plan.scan("t", ["id", "amount"]).filter(col("amount") > huge && col("amount") < .literal(.integer(100)))
        ).rows
        #expect(none.isEmpty)
        let top = try executor.run(
            Plan.scan("t", ["id", "amount"]).filter(
                col("amount") > .decimalLiteral(units: 9_223_372_036_854_775_806, scale: 2) && col("amount") < huge)
        ).rows.map { $0[0] }
        #expect(top == [Value.integer(0)])
    }

    @Test("A join key that does not fit at the common scale matches nothing")
    func joinKeyBeyondRange() throws {
        // 92233720368547759 × 100 wraps to -9223372036854775716, a valid money amount on the right.
        let left = TableSchema(name: "l", columns: [ColumnSchema("k", .integer)], primaryKey: [])
        let right = TableSchema(name: "r", columns: [ColumnSchema("d", .money)], primaryKey: [])
        let executor = Executor(
            tables: [
                "l": ColumnTable(
                    name: "l", fields: [Field("k", .integer)],
                    columns: [Column(type: .integer, storage: .ints([92_233_720_368_547_759, 3]), valid: nil)], rowCount: 2),
                "r": ColumnTable(
                    name: "r", fields: [Field("d", .decimal(scale: 2))],
                    columns: [Column(type: .decimal(scale: 2), storage: .ints([-9_223_372_036_854_775_716, 300]), valid: nil)], rowCount: 2),
            ],
            asOf: Self.asOf, catalog: TableCatalog([left, right]))
        let rows = try executor.run(Plan.scan("l", ["k"]).join(Plan.scan("r", ["d"]), on: "k", equals: "d")).rows
        #expect(rows == [[.integer(3), .decimal(300)]])
    }
}
