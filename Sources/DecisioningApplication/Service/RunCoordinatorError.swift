/// Why the run coordinator refused a request, with what to do about it.
public enum RunCoordinatorError: Error, Equatable, CustomStringConvertible {
    /// A run on this database is in progress (here, or on another server holding the lease).
    case runInProgress(runId: String)
    /// The server is shutting down and starts no new run.
    case shuttingDown
    /// The run has already ended; it cannot be cancelled.
    case runFinished(runId: String, status: String)
    /// The run is in progress on another server, which alone can cancel it.
    case runElsewhere(runId: String, holder: String)

    public var description: String {
        switch self {
        case .runInProgress(let id):
            return "run \(id) is in progress on this database; wait for it to finish (follow its events) or cancel it first"
        case .shuttingDown: return "the server is shutting down and starts no new run; start it on the server that replaces this one"
        case .runFinished(let id, let status): return "run \(id) has already finished (\(status)); nothing to cancel"
        case .runElsewhere(let id, let holder):
            return "run \(id) is in progress on another server (\(holder)); cancel it there"
        }
    }
}
