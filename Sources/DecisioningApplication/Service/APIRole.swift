/// What an API key may do. Each role may do what the roles below it may: a viewer reads; an analyst
/// also starts and cancels runs, ingests, acknowledges and resolves alerts; an admin also sends test webhooks.
public enum APIRole: String, Sendable, CaseIterable, Comparable, Codable {
    case viewer, analyst, admin

    var rank: Int {
        switch self {
        case .viewer: return 0
        case .analyst: return 1
        case .admin: return 2
        }
    }

    public static func < (a: APIRole, b: APIRole) -> Bool { a.rank < b.rank }
}
