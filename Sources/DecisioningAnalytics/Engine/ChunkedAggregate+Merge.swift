import DecisioningCore

/// Merging the chunks' partials, in chunk order: a group's number is its place in the order of first rows.
extension ChunkedAggregate {
    func merge(_ parts: [ChunkPartial], _ relation: Relation, _ plan: Shape) throws(PlanError) -> Relation? {
        let groups = plan.groups
        // Text keys were compared by dictionary code: every chunk must share the dictionary.
        for j in groups.indices {
            guard case .strings(_, let dictionary) = parts[0].keyColumns[j].storage else { continue }
            for part in parts {
                guard case .strings(_, let other) = part.keyColumns[j].storage, other === dictionary else { return nil }
            }
        }
        var numbers: [[Int64]: Int] = [:]
        var maps: [[Int]] = []
        var newRows: [[Int32]] = []
        for part in parts {
            var map: [Int] = []
            var fresh: [Int32] = []
            for (local, key) in part.keys.enumerated() {
                if let g = numbers[key] {
                    map.append(g)
                } else {
                    let g = numbers.count
                    numbers[key] = g
                    map.append(g)
                    fresh.append(Int32(local))
                }
            }
            maps.append(map)
            newRows.append(fresh)
        }
        let n = numbers.count
        var fields: [Field] = []
        var columns: [Column] = []
        for (j, g) in groups.enumerated() {
            let column = Column.concatenate(parts.indices.map { parts[$0].keyColumns[j].gather(newRows[$0]) })
            fields.append(Field(g.name, column.type))
            columns.append(column)
        }
        let index = plan.whole.contains(true) ? Self.wholeIndex(parts, maps, count: relation.count) : nil
        for (i, (m, type)) in zip(plan.measures, plan.types).enumerated() {
            var column: Column
            if plan.whole[i], let index {
                let argument = try m.argument.map { a throws(PlanError) in try executor.evaluator.column(a, relation) }
                column = try Accumulate.run(m, argument: argument, groups: index, resultType: type)
            } else {
                guard let combined = Self.combine(m.function, parts.compactMap { $0.partials[i] }, maps, n) else { return nil }
                column = combined
            }
            column.type = type
            fields.append(Field(m.name, type))
            columns.append(column)
        }
        return Relation(fields: fields, columns: columns, count: n)
    }

    /// The group of every input row and the first row of every group, from the chunks' own numbering.
    static func wholeIndex(_ parts: [ChunkPartial], _ maps: [[Int]], count: Int) -> GroupIndex {
        var ids = [Int32](repeating: 0, count: count)
        var firstRows = [Int32](repeating: -1, count: maps.map { $0.max() ?? -1 }.max().map { $0 + 1 } ?? 0)
        for (k, (part, map)) in zip(parts, maps).enumerated() {
            guard let local = part.index else { continue }
            let start = k * Parallel.chunkSize
            for (row, g) in local.ids.enumerated() { ids[start + row] = Int32(map[Int(g)]) }
            for (g, row) in local.firstRows.enumerated() where firstRows[map[g]] < 0 { firstRows[map[g]] = Int32(start) + row }
        }
        return GroupIndex(ids: ids, firstRows: firstRows)
    }

    /// One measure's partials folded into its final column; nil when a total leaves 64 bits or kinds differ.
    static func combine(_ function: Measure.Function, _ partials: [Partial], _ maps: [[Int]], _ n: Int) -> Column? {
        switch partials[0] {
        case .counts:
            var counts = [Int64](repeating: 0, count: n)
            for (partial, map) in zip(partials, maps) {
                guard case .counts(let c) = partial else { return nil }
                for (local, g) in map.enumerated() { counts[g] += c[local] }
            }
            return Column(type: .integer, storage: .ints(ColumnValues(counts)), valid: nil)
        case .intSums:
            var totals = [Int64](repeating: 0, count: n)
            var seen = [Bool](repeating: false, count: n)
            for (partial, map) in zip(partials, maps) {
                guard case .intSums(let t, let s) = partial else { return nil }
                for (local, g) in map.enumerated() where s[local] {
                    let (r, o) = totals[g].addingReportingOverflow(t[local])
                    if o { return nil }
                    totals[g] = r
                    seen[g] = true
                }
            }
            return Column(type: .integer, storage: .ints(ColumnValues(totals)), valid: seen.contains(false) ? seen : nil)
        case .doubleSums:
            var totals = [Double](repeating: 0, count: n)
            var seen = [Bool](repeating: false, count: n)
            for (partial, map) in zip(partials, maps) {
                guard case .doubleSums(let t, let s) = partial else { return nil }
                for (local, g) in map.enumerated() where s[local] {
                    totals[g] += t[local]
                    seen[g] = true
                }
            }
            return Column(type: .double, storage: .doubles(ColumnValues(totals)), valid: seen.contains(false) ? seen : nil)
        case .wideAverages(_, _, let scale):
            var sums = [WideInt](repeating: WideInt(0), count: n)
            var counts = [Int64](repeating: 0, count: n)
            for (partial, map) in zip(partials, maps) {
                guard case .wideAverages(let w, let c, _) = partial else { return nil }
                for (local, g) in map.enumerated() where c[local] > 0 {
                    sums[g] = sums[g] + w[local]
                    counts[g] += c[local]
                }
            }
            let p = Double(FixedPoint.powersOfTen[scale])
            let out = (0..<n).map { g in counts[g] > 0 ? sums[g].divided(by: counts[g]) / p : 0 }
            return Column(type: .double, storage: .doubles(ColumnValues(out)), valid: counts.contains(0) ? counts.map { $0 > 0 } : nil)
        case .moments:
            return moments(function, partials, maps, n)
        case .extremes:
            return extremes(function == .min, partials, maps, n)
        case .distinctCodes(_, let width, let dictionary):
            var seen = [Bool](repeating: false, count: n * width)
            for (partial, map) in zip(partials, maps) {
                guard case .distinctCodes(let bits, _, let other) = partial, other === dictionary else { return nil }
                for (local, g) in map.enumerated() {
                    for code in 0..<width where bits[local * width + code] { seen[g * width + code] = true }
                }
            }
            let counts = (0..<n).map { g in Int64(seen[(g * width)..<((g + 1) * width)].lazy.filter { $0 }.count) }
            return Column(type: .integer, storage: .ints(ColumnValues(counts)), valid: nil)
        }
    }

    /// Chan et al.'s parallel merge of (count, mean, M2), in chunk order.
    static func moments(_ function: Measure.Function, _ partials: [Partial], _ maps: [[Int]], _ n: Int) -> Column? {
        var count = [Double](repeating: 0, count: n)
        var mean = [Double](repeating: 0, count: n)
        var m2 = [Double](repeating: 0, count: n)
        for (partial, map) in zip(partials, maps) {
            guard case .moments(let pc, let pm, let pm2) = partial else { return nil }
            for (local, g) in map.enumerated() where pc[local] > 0 {
                let na = count[g]
                let nb = pc[local]
                let nt = na + nb
                let delta = pm[local] - mean[g]
                mean[g] += delta * nb / nt
                m2[g] += pm2[local] + delta * delta * na * nb / nt
                count[g] = nt
            }
        }
        var out = [Double](repeating: 0, count: n)
        var valid = [Bool](repeating: true, count: n)
        for g in 0..<n {
            let k = count[g]
            switch function {
            case .avg:
                if k > 0 { out[g] = mean[g] } else { valid[g] = false }
            case .stddevPop:
                if k > 0 { out[g] = (max(0, m2[g]) / k).squareRoot() } else { valid[g] = false }
            default:
                if k > 1 { out[g] = (max(0, m2[g]) / (k - 1)).squareRoot() } else { valid[g] = false }
            }
        }
        return Column(type: .double, storage: .doubles(ColumnValues(out)), valid: valid.contains(false) ? valid : nil)
    }

    /// MIN or MAX of the chunks' extremes; text compares dictionary ranks (one shared dictionary).
    static func extremes(_ isMin: Bool, _ partials: [Partial], _ maps: [[Int]], _ n: Int) -> Column? {
        var columns: [Column] = []
        for partial in partials {
            guard case .extremes(let c) = partial else { return nil }
            columns.append(c)
        }
        var best = [Int](repeating: -1, count: n)
        var from = [Int](repeating: -1, count: n)
        // Text compares the ranks of the one dictionary the chunks share, read once.
        var shared: StringDictionary? = nil
        if case .strings(_, let dictionary)? = columns.first?.storage { shared = dictionary }
        // Chunks of a computed text column have dictionaries of their own: their codes cannot be
        // compared or concatenated (the whole-input path answers instead).
        for column in columns {
            if case .strings(_, let dictionary) = column.storage, dictionary !== shared { return nil }
        }
        let ranks = shared?.ranks ?? []
        func better(_ a: Column, _ i: Int, than b: Column, _ j: Int) -> Bool? {
            switch (a.storage, b.storage) {
            case (.ints(let x), .ints(let y)): return isMin ? x[i] < y[j] : x[i] > y[j]
            case (.doubles(let x), .doubles(let y)): return isMin ? x[i] < y[j] : x[i] > y[j]
            case (.strings(let x, let dx), .strings(let y, let dy)):
                guard dx === shared, dy === shared else { return nil }
                let rx = ranks[Int(x[i])]
                let ry = ranks[Int(y[j])]
                return isMin ? rx < ry : rx > ry
            default: return nil
            }
        }
        for (k, (column, map)) in zip(columns, maps).enumerated() {
            for (local, g) in map.enumerated() where column.isValid(local) {
                if case .strings(let codes, _) = column.storage, codes[local] < 0 { continue }
                if from[g] < 0 {
                    from[g] = k
                    best[g] = local
                } else {
                    guard let wins = better(column, local, than: columns[from[g]], best[g]) else { return nil }
                    if wins {
                        from[g] = k
                        best[g] = local
                    }
                }
            }
        }
        // Gather each group's winner from its chunk's column.
        let pieces = (0..<n).map { g -> Column in
            from[g] < 0 ? columns[0].gather([-1]) : columns[from[g]].gather([Int32(best[g])])
        }
        return Column.concatenate(pieces)
    }
}

extension Column {
    /// Columns of one kind one after another (text columns must share their dictionary).
    static func concatenate(_ parts: [Column]) -> Column {
        guard let first = parts.first else { return Column(type: .integer, storage: .ints([]), valid: nil) }
        var valid: [Bool]?
        if parts.contains(where: { $0.valid != nil }) {
            valid = parts.flatMap { $0.valid ?? Array(repeating: true, count: $0.count) }
        }
        switch first.storage {
        case .ints:
            let values = parts.map { part -> ColumnValues<Int64> in
                if case .ints(let v) = part.storage { return v }
                return []
            }
            return Column(type: first.type, storage: .ints(.concatenating(values)), valid: valid)
        case .doubles:
            let values = parts.map { part -> ColumnValues<Double> in
                if case .doubles(let v) = part.storage { return v }
                return []
            }
            return Column(type: first.type, storage: .doubles(.concatenating(values)), valid: valid)
        case .strings(_, let dictionary):
            let codes = parts.map { part -> ColumnValues<Int32> in
                if case .strings(let c, _) = part.storage { return c }
                return []
            }
            return Column(type: first.type, storage: .strings(.concatenating(codes), dictionary), valid: valid)
        }
    }
}
