import Synchronization

/// The router's routes as patterns, so that a request for a known path with a method it does not
/// have is answered 405 with `Allow`, not 404. Filled once the routes are added.
final class RouteTable: Sendable {
    private let patterns = Mutex<[(method: String, segments: [Substring])]>([])

    func fill(_ routes: [(method: String, path: String)]) {
        patterns.withLock { $0 = routes.map { ($0.method, $0.path.split(separator: "/")) } }
    }

    /// The methods routed for `path` (captures `:name` match any one segment), sorted.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return patterns.withLock { patterns in
            Set(
                patterns.filter { pattern in
                    pattern.segments.count == segments.count
                        && zip(pattern.segments, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
                }.map(\.method)
            ).sorted()
        }
    }
}
