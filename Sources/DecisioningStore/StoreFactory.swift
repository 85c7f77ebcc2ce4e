public import DecisioningCore

/// Opens the Store a `DatabaseURL` names.
public enum StoreFactory {
    public static func open(_ url: DatabaseURL) throws(StoreError) -> any Store {
        switch url {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .mysql:
            throw .unsupported("the MySQL / HeatWave store is not part of this build yet (issue 6); use sqlite:PATH")
        }
    }
}
