import DecisioningCore

/// GROUP BY over a large input in fixed chunks, in parallel: each chunk builds its own small group
/// index and partial states in cache, and the partials are merged in chunk order.
///
/// Groups come out in the order of their first row, as in the whole-input path, and every partial
/// is merged in chunk order over the same fixed chunks (`Parallel.chunkSize`), so results do not
/// depend on the number of threads. Integer sums and averages are exact. Returns nil, leaving the
/// plan to the whole-input path, when the input is small, the groups are many (the partials would
/// not stay small), a measure has no mergeable partial (COUNT DISTINCT of numbers), text keys do
/// not share one dictionary, or a 64-bit total does not fit (that path computes exactly or reports it).
struct ChunkedAggregate {
    let executor: Executor

    /// Chunks of the first part that may hold more groups than this go to the whole-input path.
    static let maxGroupsPerChunk = 1024

    func run(_ relation: Relation, groups: [NamedExpr], measures: [Measure]) throws(PlanError) -> Relation? {
        guard relation.count >= 2 * Parallel.chunkSize else { return nil }
        let types = try measures.map { m throws(PlanError) in try executor.checker.measureType(m, in: relation.fields) }
        // Distinct counts of numbers have no small partial: they are computed over the whole input,
        // on the group numbers the chunks assign.
        let whole = try measures.map { m throws(PlanError) -> Bool in
            guard m.function == .countDistinct || m.function == .approxCountDistinct, let argument = m.argument else { return false }
            return try executor.checker.type(argument, in: relation.fields) != .text
        }
        let plan = Shape(groups: groups, measures: measures, types: types, whole: whole)
        let first = try chunk(relation, 0..<Parallel.chunkSize, plan)
        guard let first, first.keys.count <= Self.maxGroupsPerChunk else { return nil }
        let rest = Parallel.map(relation.count - Parallel.chunkSize) { range -> Result<ChunkPartial?, PlanError> in
            let shifted = (range.lowerBound + Parallel.chunkSize)..<(range.upperBound + Parallel.chunkSize)
            do throws(PlanError) {
                return .success(try chunk(relation, shifted, plan))
            } catch {
                return .failure(error)
            }
        }
        var parts = [first]
        for result in rest {
            guard let part = try result.get() else { return nil }
            parts.append(part)
        }
        return try merge(parts, relation, plan)
    }

    /// What the chunks compute: the keys, the measures and their result types, and which measures
    /// are left to the whole input.
    struct Shape: Sendable {
        var groups: [NamedExpr]
        var measures: [Measure]
        var types: [DataType]
        var whole: [Bool]
    }

    /// COUNT DISTINCT of text keeps a bitmap of dictionary codes per group and chunk; at most this many bits.
    static let maxDistinctBits = 1 << 17

    // MARK: - One chunk

    /// A chunk's groups (key parts, in first-row order), their key values and each measure's partial.
    struct ChunkPartial: Sendable {
        var keys: [[Int64]]
        var keyColumns: [Column]
        /// nil for the measures computed over the whole input.
        var partials: [Partial?]
        /// Each row's group and each group's first row, within the chunk; kept only when a measure needs the whole input.
        var index: GroupIndex?
    }

    enum Partial: Sendable {
        case counts([Int64])
        case intSums([Int64], seen: [Bool])
        case doubleSums([Double], seen: [Bool])
        /// Exact integer sums (wrapped totals and carries) with counts, for AVG of integers and decimals.
        case wideAverages([WideInt], counts: [Int64], scale: Int)
        case moments(count: [Double], mean: [Double], m2: [Double])
        case extremes(Column)
        /// A bitmap of the dictionary codes seen, `width` bits per group (COUNT DISTINCT of text).
        case distinctCodes([Bool], width: Int, dictionary: StringDictionary)
    }

    func chunk(_ relation: Relation, _ range: Range<Int>, _ plan: Shape) throws(PlanError) -> ChunkPartial? {
        let part = relation.select((range.lowerBound..<range.upperBound).map { Int32($0) })
        let evaluator = executor.evaluator
        let keyColumns = try plan.groups.map { g throws(PlanError) in try evaluator.column(g.expr, part) }
        let index = GroupIndex.build(keyColumns, count: part.count)
        let keyParts = keyColumns.map { GroupIndex.keyParts($0) }
        let keys = index.firstRows.map { row in keyParts.map { $0[Int(row)] } }
        var partials: [Partial?] = []
        for (i, m) in plan.measures.enumerated() {
            if plan.whole[i] {
                partials.append(nil)
                continue
            }
            guard let partial = try self.partial(m, plan.types[i], part, index, evaluator) else { return nil }
            partials.append(partial)
        }
        return ChunkPartial(
            keys: keys, keyColumns: keyColumns.map { $0.gather(index.firstRows) }, partials: partials,
            index: plan.whole.contains(true) ? index : nil)
    }

    /// The measure's argument over the chunk, or over the rows its CASE selects: `SUM(CASE WHEN c THEN x ELSE 0 END)`
    /// and `AGG(CASE WHEN c THEN x END)` read `x` on the rows where `c` holds only.
    func partial(_ m: Measure, _ type: DataType, _ part: Relation, _ index: GroupIndex, _ evaluator: Evaluator) throws(PlanError)
        -> Partial?
    {
        let n = index.groupCount
        guard let expression = m.argument else {
            var counts = [Int64](repeating: 0, count: n)
            for g in index.ids { counts[Int(g)] += 1 }
            return .counts(counts)
        }
        var argument: Column
        var ids = index.ids
        /// Groups with a row that took `ELSE 0`: their sum is at least a zero, never NULL.
        var elseGroups: [Bool]?
        if let conditional = try conditional(m, part) {
            let rows = try evaluator.select(conditional.condition, part, candidates: nil)
            argument = try evaluator.column(conditional.value, part.select(rows))
            ids = rows.map { index.ids[Int($0)] }
            if conditional.elseZero {
                var matched = [Int64](repeating: 0, count: n)
                for g in ids { matched[Int(g)] += 1 }
                var all = [Int64](repeating: 0, count: n)
                for g in index.ids { all[Int(g)] += 1 }
                elseGroups = (0..<n).map { all[$0] > matched[$0] }
            }
        } else {
            argument = try evaluator.column(expression, part)
        }
        switch m.function {
        case .count:
            let counted = try Accumulate.run(
                m, argument: argument, groups: GroupIndex(ids: ids, firstRows: index.firstRows), resultType: type)
            guard case .ints(let counts) = counted.storage else { return nil }
            return .counts(counts.elements)
        case .sum:
            guard let column = Accumulate.sum(argument, ids, n, type) else { return nil }
            var seen = column.valid ?? Array(repeating: true, count: n)
            if let elseGroups {
                for g in 0..<n where elseGroups[g] { seen[g] = true }
            }
            switch column.storage {
            case .ints(let v): return .intSums(v.elements, seen: seen)
            case .doubles(let v): return .doubleSums(v.elements, seen: seen)
            case .strings: return nil
            }
        case .avg where argument.isIntegerStored:
            guard case .ints(let v) = argument.storage else { return nil }
            let (totals, carries, _) = Accumulate.wrappingSums(v, argument.valid, ids, n)
            var counts = [Int64](repeating: 0, count: n)
            for i in 0..<ids.count where argument.isValid(i) { counts[Int(ids[i])] += 1 }
            let wide = (0..<n).map { WideInt(wrapped: totals[$0], carries: carries[$0]) }
            return .wideAverages(wide, counts: counts, scale: Kernels.scale(argument.type))
        case .avg, .stddevPop, .stddevSamp:
            return Self.moments(argument, ids, n)
        case .min, .max:
            argument.type = type
            return .extremes(Accumulate.extreme(m.function == .min, argument, ids, n))
        case .countDistinct, .approxCountDistinct:
            guard case .strings(let codes, let dictionary) = argument.storage, n * dictionary.count <= Self.maxDistinctBits else {
                return nil
            }
            let width = dictionary.count
            var seen = [Bool](repeating: false, count: n * width)
            for i in 0..<codes.count where codes[i] >= 0 && argument.isValid(i) {
                seen[Int(ids[i]) * width + Int(codes[i])] = true
            }
            return .distinctCodes(seen, width: width, dictionary: dictionary)
        }
    }

    struct Conditional {
        var condition: Expr
        var value: Expr
        var elseZero: Bool
    }

    /// The CASE forms that aggregate `value` over the rows where `condition` holds.
    func conditional(_ m: Measure, _ relation: Relation) throws(PlanError) -> Conditional? {
        guard case .caseWhen(let clauses, let otherwise)? = m.argument, clauses.count == 1 else { return nil }
        let elseZero: Bool
        switch otherwise {
        case nil, .literal(.null)?: elseZero = false
        case .literal(.integer(0))?, .decimalLiteral(0, _)?, .literal(.double(0))?: elseZero = true
        default: return nil
        }
        guard !elseZero || m.function == .sum, let argument = m.argument else { return nil }
        let checker = executor.checker
        guard let caseType = try checker.type(argument, in: relation.fields),
            try checker.type(clauses[0].result, in: relation.fields) == caseType
        else { return nil }
        return Conditional(condition: clauses[0].condition, value: clauses[0].result, elseZero: elseZero)
    }

    /// Count, mean and sum of squared deviations per group over one chunk, in row order.
    static func moments(_ c: Column, _ ids: [Int32], _ n: Int) -> Partial? {
        let values: ColumnValues<Double>
        switch c.storage {
        case .ints(let v):
            let scale = Kernels.scale(c.type)
            let p = Double(FixedPoint.powersOfTen[scale])
            values = ColumnValues(scale == 0 ? v.map { Double($0) } : v.map { Double($0) / p })
        case .doubles(let v):
            values = v
        case .strings:
            return nil
        }
        var count = [Double](repeating: 0, count: n)
        var mean = [Double](repeating: 0, count: n)
        var m2 = [Double](repeating: 0, count: n)
        for i in 0..<values.count where c.isValid(i) {
            let g = Int(ids[i])
            count[g] += 1
            let delta = values[i] - mean[g]
            mean[g] += delta / count[g]
            m2[g] += delta * (values[i] - mean[g])
        }
        return .moments(count: count, mean: mean, m2: m2)
    }
}

extension Column {
    var isIntegerStored: Bool {
        if case .ints = storage { return true }
        return false
    }
}
