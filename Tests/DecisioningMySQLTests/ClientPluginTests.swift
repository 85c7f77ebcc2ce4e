import DecisioningMySQL
import Foundation
import Testing

/// The connector can complete the logins of MySQL 8.4/9 and HeatWave, whose accounts use
/// `caching_sha2_password`: its plugin loads, as it would when such a server asks for it.
@Suite struct ClientPluginTests {
    @Test func cachingSHA2PasswordLoads() {
        let plugins = MariaDBLibrary.authenticationPlugins()
        #expect(plugins.contains("caching_sha2_password"))
        #expect(plugins.contains("sha256_password"))
    }

    @Test func anUnknownPluginIsReportedMissing() {
        #expect(MariaDBLibrary.authenticationPlugins(["no_such_auth_plugin", "caching_sha2_password"]) == ["caching_sha2_password"])
    }
}

extension ClientPluginTests {
    /// Connector/C loads a plugin on first use and two threads loading it at once race (the loser
    /// gets "already loaded"); the library loads them once at initialisation instead.
    @Test func manyThreadsFindThePluginAtOnce() async {
        let found = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<16 {
                group.addTask { await Self.onThread { MariaDBLibrary.authenticationPlugins(["caching_sha2_password"]) } }
            }
            return await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        #expect(found.count == 16)
        #expect(found.allSatisfy { $0 == ["caching_sha2_password"] })
    }

    static func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }
}
