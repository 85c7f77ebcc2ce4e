import ArgumentParser
import DecisioningApplication

/// An API key role by name.
struct RoleArgument: ExpressibleByArgument {
    var role: APIRole
    init?(argument: String) {
        guard let role = APIRole(rawValue: argument) else { return nil }
        self.role = role
    }
    static var allValueStrings: [String] { APIRole.allCases.map(\.rawValue) }
}
