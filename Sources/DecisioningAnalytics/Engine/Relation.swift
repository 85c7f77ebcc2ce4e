import Foundation
import Synchronization

/// Row numbers into a base column, shared by every column that came through the same filter or join side.
final class RowIndex: Sendable {
    let rows: [Int32]
    init(_ rows: [Int32]) { self.rows = rows }
}

/// A column as seen by a relation: a base column, optionally through a row index (late materialisation).
struct ColumnView: Sendable {
    var base: Column
    var index: RowIndex?

    var count: Int { index?.rows.count ?? base.count }

    func materialize() -> Column {
        guard let index else { return base }
        return base.gather(index.rows)
    }
}

/// Dense copies of a relation's indexed columns, made on first use and shared by every later use.
final class DenseCache: Sendable {
    private let columns = Mutex<[String: Column]>([:])

    func get(_ name: String, _ make: () -> Column) -> Column {
        columns.withLock { columns in
            if let done = columns[name] { return done }
            let column = make()
            columns[name] = column
            return column
        }
    }
}

/// An intermediate result: named columns of equal length.
struct Relation: Sendable {
    var fields: [Field]
    var views: [ColumnView]
    var count: Int
    let cache = DenseCache()

    init(fields: [Field], views: [ColumnView], count: Int) {
        self.fields = fields
        self.views = views
        self.count = count
    }

    /// The column as a dense array (gathered through its row index once per relation).
    func dense(_ name: String) -> Column {
        let view = self.view(name)
        guard view.index != nil else { return view.base }
        return cache.get(name) { view.materialize() }
    }

    /// The column as a view without a row index, for kernels that read it in place.
    func plainView(_ name: String) -> ColumnView {
        ColumnView(base: dense(name), index: nil)
    }

    init(fields: [Field], columns: [Column], count: Int) {
        self.init(fields: fields, views: columns.map { ColumnView(base: $0, index: nil) }, count: count)
    }

    func view(_ name: String) -> ColumnView {
        views[fields.firstIndex { $0.name == name }!]
    }

    /// Keeps the rows at `rows` (which may contain -1 for a missing row), composing existing indexes once each.
    func select(_ rows: [Int32]) -> Relation {
        var composed: [ObjectIdentifier: RowIndex] = [:]
        let direct = RowIndex(rows)
        let views = self.views.map { view -> ColumnView in
            guard let index = view.index else { return ColumnView(base: view.base, index: direct) }
            if let done = composed[ObjectIdentifier(index)] { return ColumnView(base: view.base, index: done) }
            let inner = index.rows
            let next = RowIndex(rows.map { $0 >= 0 ? inner[Int($0)] : -1 })
            composed[ObjectIdentifier(index)] = next
            return ColumnView(base: view.base, index: next)
        }
        return Relation(fields: fields, views: views, count: rows.count)
    }

    func materialized() -> [Column] { views.map { $0.materialize() } }
}
