import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningStore
import Foundation

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create, list and revoke the API keys of `decisioning serve`.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key; it is printed once, alone on the last line, and only its SHA-256 is stored.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "viewer (reads), analyst (also runs, ingests, alerts) or admin (also test webhooks).")
        var role: RoleArgument
        @Option(help: "A unique name: 1 to 100 letters, digits, '-', '_' or '.'.")
        var name: String

        func run() throws {
            let app = try global.open(logger: global.makeLogger())
            let key = try app.createAPIKey(name: name, role: role.role, now: Timestamp.now)
            FileHandle.standardError.write(Data("created key '\(name)' (\(role.role.rawValue)); it is shown once:\n".utf8))
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys: name, role, created, last used, revoked.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let app = try global.open(logger: global.makeLogger(), existing: true)
            print("name,role,created_at,last_used_at,revoked_at")
            for key in try app.listAPIKeys() {
                print(
                    [key.name, key.role.rawValue, key.createdAt.iso, key.lastUsedAt?.iso ?? "", key.revokedAt?.iso ?? ""].joined(
                        separator: ","))
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by name; a server stops accepting it within 5 seconds.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The key's name.")
        var name: String

        func run() throws {
            let app = try global.open(logger: global.makeLogger(), existing: true)
            try app.revokeAPIKey(name: name, now: Timestamp.now)
            FileHandle.standardError.write(Data("revoked key '\(name)'\n".utf8))
        }
    }
}
