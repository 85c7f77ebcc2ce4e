import ArgumentParser
import DecisioningApplication
import DecisioningCore
import DecisioningService
import DecisioningStore
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (/api/v1, /healthz, /readyz, /metrics, /openapi.json) until SIGTERM or SIGINT.",
        discussion: """
            Every /api/v1 route needs 'Authorization: Bearer KEY'; create keys with `decisioning keys create`.
            On SIGTERM or SIGINT the server starts no new run, lets a running flow finish within
            service.shutdown_grace_seconds, then cancels it (stored as cancelled) and stops.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "HOST:PORT to listen on (default: the configuration's service.listen, 127.0.0.1:8080); port 0 picks a free port.")
    var listen: String?

    @Option(help: "Write each run's files to DIR/<run id>/ (default: none; the API renders them from the stored results).")
    var out: String?

    func validate() throws {
        if let listen, ListenAddress(parsing: listen) == nil, !listen.hasSuffix(":0") {
            throw ValidationError(
                "--listen must be HOST:PORT with a port from 1 to 65535 (or 0 for a free port), found '\(TerminalText.quoted(listen))'")
        }
    }

    func run() async throws {
        let logger = global.makeLogger()
        let configuration = try global.loadConfiguration()
        let text = listen ?? configuration.service.listen
        let address: ListenAddress
        if text.hasSuffix(":0"), let host = text.split(separator: ":").first.map(String.init) {
            address = ListenAddress(host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: 0)
        } else if let parsed = ListenAddress(parsing: text) {
            address = parsed
        } else {
            throw CommandError("--listen must be HOST:PORT, found '\(TerminalText.quoted(text))'")
        }
        let output = out.map { FlowOutput(configuration: configuration, directory: $0) }
        try output?.prepare()
        let global = self.global
        let app = try await BlockingPool.shared.run("open the database") { _ in try global.open(logger: logger) }
        let server = try await DecisioningServer.prepare(application: app, listen: address, output: output, logger: logger)
        try await server.run { bound in
            FileHandle.standardError.write(Data("decisioning serve: listening on http://\(bound)\n".utf8))
        }
    }
}
