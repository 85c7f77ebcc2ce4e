import DecisioningApplication
import DecisioningCore
import DecisioningService
import DecisioningStore
import DecisioningSynth
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// One small generated company (made once per test process), copied into a scratch folder for each
/// test, opened, with a key of each role and a server state over it.
struct ServiceFixture {
    static let asOf = Day(iso: "2026-11-25")!

    /// The generated database every fixture copies.
    static let template: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("service-template-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("template.sqlite").path
        let app = try! DecisioningApplication.Application.open(.sqlite(path: path), configuration: Configuration())
        _ = try! app.generateIfEmpty(GeneratorSpec(scale: 0.02, seed: 7, asOf: asOf), keepTruth: false)
        return path
    }()

    let directory: URL
    let application: DecisioningApplication.Application
    let state: ServiceState
    let viewer: String
    let analyst: String
    let admin: String

    init(configuration: Configuration = Configuration()) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("db.sqlite").path
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: Self.template + suffix) {
            try FileManager.default.copyItem(atPath: Self.template + suffix, toPath: path + suffix)
        }
        var configuration = configuration
        configuration.dataSources = []
        application = try DecisioningApplication.Application.open(.sqlite(path: path), configuration: configuration)
        let now = Timestamp(seconds: 1_790_000_000)
        viewer = try application.createAPIKey(name: "viewer", role: .viewer, now: now)
        analyst = try application.createAPIKey(name: "analyst", role: .analyst, now: now)
        admin = try application.createAPIKey(name: "admin", role: .admin, now: now)
        state = ServiceState(application: application, coordinator: RunCoordinator(application: application, output: nil))
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }

    /// A Hummingbird application over the router, for HummingbirdTesting.
    func app() -> some ApplicationProtocol {
        Hummingbird.Application(router: APIRouter.build(state: state))
    }

    static func bearer(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)"] }

    static func json(_ key: String) -> HTTPFields { [.authorization: "Bearer \(key)", .contentType: "application/json"] }
}

extension TestResponse {
    /// The body as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }
}

extension String {
    var buffer: ByteBuffer { ByteBuffer(string: self) }
}
