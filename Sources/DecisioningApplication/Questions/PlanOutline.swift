import DecisioningAnalytics

/// A plan as an indented outline, one node a line, leaves last: `evidence.plan` of an answer.
enum PlanOutline {
    static func text(_ plan: Plan) -> String {
        var lines: [String] = []
        write(plan, depth: 0, &lines)
        return lines.joined(separator: "\n")
    }

    static func write(_ plan: Plan, depth: Int, _ lines: inout [String]) {
        let pad = String(repeating: "  ", count: depth)
        func named(_ list: [NamedExpr]) -> String {
            list.map { "\($0.name) = \($0.expr)" }.joined(separator: ", ")
        }
        switch plan {
        case .scan(let table, let columns):
            lines.append(
                pad
                    + "scan \(table) [\(columns.map { $0.name == $0.source ? $0.name : "\($0.source) AS \($0.name)" }.joined(separator: ", "))]"
            )
        case .filter(let input, let e):
            lines.append(pad + "filter \(e)")
            write(input, depth: depth + 1, &lines)
        case .join(let kind, let l, let r, let keys):
            lines.append(pad + "\(kind.rawValue) join on \(keys.map { "\($0.left) = \($0.right)" }.joined(separator: " AND "))")
            write(l, depth: depth + 1, &lines)
            write(r, depth: depth + 1, &lines)
        case .aggregate(let input, let groups, let measures):
            let m = measures.map { "\($0.name) = \($0.function.rawValue)(\($0.argument.map { "\($0)" } ?? "*"))" }.joined(separator: ", ")
            lines.append(pad + "aggregate" + (groups.isEmpty ? "" : " by [\(named(groups))]") + " [\(m)]")
            write(input, depth: depth + 1, &lines)
        case .window(let input, let partition, let order, let lags):
            lines.append(
                pad + "window partition [\(partition.joined(separator: ", "))] order [\(order.map(\.column).joined(separator: ", "))] "
                    + lags.map { "\($0.name) = lag(\($0.column), \($0.offset))" }.joined(separator: ", "))
            write(input, depth: depth + 1, &lines)
        case .project(let input, let list):
            lines.append(pad + "project [\(named(list))]")
            write(input, depth: depth + 1, &lines)
        case .sort(let input, let keys):
            lines.append(pad + "sort [\(keys.map { "\($0.column) \($0.descending ? "desc" : "asc")" }.joined(separator: ", "))]")
            write(input, depth: depth + 1, &lines)
        case .limit(let input, let n):
            lines.append(pad + "limit \(n)")
            write(input, depth: depth + 1, &lines)
        }
    }
}
