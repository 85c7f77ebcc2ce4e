import Foundation
import Testing

/// `decisioning help NAME…`: help for commands and subcommands, and a usage error for a name that is none.
@Suite struct HelpCommandTests {
    @Test func helpReachesSubcommandsAndRefusesUnknownNames() throws {
        let dir = FileManager.default.temporaryDirectory
        let flow = try CommandLineTests.run(["help", "bench", "flow"], in: dir)
        #expect(flow.status == 0, "\(flow.all)")
        #expect(flow.all.contains("USAGE: decisioning bench flow"), "\(flow.all.prefix(400))")

        let typo = try CommandLineTests.run(["help", "bench", "flwo"], in: dir)
        #expect(typo.status == 64, "\(typo.all)")
        #expect(typo.stderr.contains("no command 'flwo' under 'bench'"), "\(typo.all)")

        let top = try CommandLineTests.run(["help", "nosuch"], in: dir)
        #expect(top.status == 64, "\(top.all)")
        #expect(top.stderr.contains("no command 'nosuch'"), "\(top.all)")
    }
}
