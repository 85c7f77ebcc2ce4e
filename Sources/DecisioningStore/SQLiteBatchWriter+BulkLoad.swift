import DecisioningCore
import GRDB

extension SQLiteBatchWriter {
    /// Drops the secondary indexes of `table` when it is empty, remembering their definitions; they
    /// are created again by `finishBulkLoads` (at the latest just before COMMIT), in the same
    /// transaction: a failed batch rolls the drop back with everything else. Building an index from
    /// a full table is one sort; keeping it while rows arrive is a random B-tree insert per row,
    /// which stops fitting the page cache at tens of millions of rows. The primary key's own index
    /// (an automatic index, with no SQL) stays: it checks keys as rows arrive.
    func prepareBulkLoad(into table: TableSchema) throws(StoreError) -> [String] {
        guard !bulk.prepared.contains(table.name) else { return [] }
        do {
            let quoted = SQLiteStore.quote(table.name)
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(quoted))") == false else { return [] }
            let indexes = try Row.fetchAll(
                db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
                arguments: [table.name])
            bulk.prepared.insert(table.name)
            var names: [String] = []
            for index in indexes {
                let name: String = index["name"]
                let sql: String = index["sql"]
                try db.execute(sql: "DROP INDEX \(SQLiteStore.quote(name))")
                bulk.setAside.append((table.name, name, sql))
                names.append(name)
            }
            return names
        } catch {
            throw .engine(operation: "set aside the indexes of \(table.name)", code: 0, message: "\(error)")
        }
    }

    func finishBulkLoads() throws(StoreError) {
        while let index = bulk.setAside.first {
            do {
                try db.execute(sql: index.sql)
            } catch {
                throw .engine(operation: "build index \(index.name) on \(index.table)", code: 0, message: "\(error)")
            }
            bulk.setAside.removeFirst()
        }
    }
}
