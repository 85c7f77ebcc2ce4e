import DecisioningCore
import Foundation
import Testing

/// `vectors`, `similar` and `embeddings refresh` as a user runs them: real files, the real binary.
@Suite struct SimilarityCommandTests {
    /// A version 1.0 `.npy` file of float32 rows, written by hand as NumPy writes it.
    static func npy(_ rows: [[Float]]) -> Data {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows.count), \(rows.first?.count ?? 0)), }"
        var padded = header
        while (10 + padded.utf8.count + 1) % 64 != 0 { padded += " " }
        padded += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(padded.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(padded.utf8))
        for row in rows { for value in row { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } } }
        return data
    }

    @Test func vectorsSearchPrintsTheExactNeighboursAndASavedIndexAgrees() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vectors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SeededRandom(seed: 5)
        let base = (0..<300).map { _ in (0..<8).map { _ in Float(rng.normal()) } }
        let queries = (0..<5).map { _ in (0..<8).map { _ in Float(rng.normal()) } }
        try Self.npy(base).write(to: dir.appendingPathComponent("b.npy"))
        try Self.npy(queries).write(to: dir.appendingPathComponent("q.npy"))
        let expected = queries.map { q in
            base.indices.sorted {
                let a = zip(base[$0], q).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                let b = zip(base[$1], q).reduce(Float(0)) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
                return a != b ? a < b : $0 < $1
            }.prefix(4).map(String.init).joined(separator: ",")
        }
        let exact = try CommandLineTests.run(
            ["vectors", "search", "--base", "b.npy", "--queries", "q.npy", "--k", "4", "--metric", "l2", "--exact"], in: dir)
        #expect(exact.status == 0, "\(exact.all)")
        #expect(exact.stdout.split(separator: "\n").map(String.init) == expected)
        #expect(exact.stderr.contains("search"))

        let built = try CommandLineTests.run(
            ["vectors", "build", "--base", "b.npy", "--index", "i.hnsw", "--metric", "l2", "--m", "8", "--ef-construction", "64"], in: dir)
        #expect(built.status == 0, "\(built.all)")
        // A folder that does not exist is refused before the build, and no file is left.
        let nowhere = try CommandLineTests.run(
            ["vectors", "build", "--base", "b.npy", "--index", "no/such/folder/i.hnsw", "--metric", "l2"], in: dir)
        #expect(
            nowhere.status != 0 && nowhere.stderr.contains("no/such/folder") && !nowhere.stderr.contains("vectors: build"), "\(nowhere.all)"
        )
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("no").path))
        let reused = try CommandLineTests.run(
            ["vectors", "search", "--index", "i.hnsw", "--queries", "q.npy", "--k", "4", "--ef", "300"], in: dir)
        #expect(reused.status == 0 && reused.stdout.split(separator: "\n").map(String.init) == expected, "\(reused.all)")

        // A truncated file is refused by name, and nothing is printed on standard output.
        try Self.npy(base).prefix(200).write(to: dir.appendingPathComponent("bad.npy"))
        let refused = try CommandLineTests.run(["vectors", "search", "--base", "bad.npy", "--queries", "q.npy", "--k", "4"], in: dir)
        #expect(refused.status != 0 && refused.stdout.isEmpty && refused.stderr.contains("bad.npy"), "\(refused.all)")

        // A row too long for float32 l2 distances is refused with the file it came from, base or queries.
        var huge = base
        huge[7] = huge[7].map { $0 * 1e30 }
        try Self.npy(huge).write(to: dir.appendingPathComponent("huge.npy"))
        var hugeQueries = queries
        hugeQueries[2] = hugeQueries[2].map { $0 * 1e30 }
        try Self.npy(hugeQueries).write(to: dir.appendingPathComponent("hq.npy"))
        for (arguments, expected) in [
            (["--base", "huge.npy", "--queries", "q.npy", "--exact"], "huge.npy: row 7 of the base"),
            (["--base", "b.npy", "--queries", "hq.npy"], "hq.npy: row 2 of the queries"),
            (["--index", "i.hnsw", "--queries", "hq.npy"], "hq.npy: row 2 of the queries"),
        ] {
            let tooLong = try CommandLineTests.run(["vectors", "search", "--k", "4"] + arguments, in: dir)
            #expect(tooLong.status != 0 && tooLong.stdout.isEmpty && tooLong.stderr.contains(expected), "\(tooLong.all)")
        }
    }

    @Test func similarAndEmbeddingsRefreshOnAGeneratedCompany() throws {
        let dir = try CommandLineTests.company()
        defer { try? FileManager.default.removeItem(at: dir) }
        let ran = try CommandLineTests.run(["run", "--as-of", "2026-06-30", "--database", "sqlite:d.sqlite", "--out", "o"], in: dir)
        try #require(ran.status == 0, "\(ran.all)")
        let results = try #require(
            FileManager.default.enumerator(atPath: dir.appendingPathComponent("o").path)?.compactMap { $0 as? String }
                .first { $0.hasSuffix("results.json") })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("o").appendingPathComponent(results)))
        let agents = (json as? [String: Any])?["agents"] as? [[String: Any]] ?? []
        let strategy = agents.compactMap { ($0["data"] as? [String: Any])?["strategy"] as? [String: Any] }.first
        let top = try #require(((strategy?["overrun_risk"] as? [String: Any])?["top"] as? [[String: Any]])?.first)
        let id = try #require(top["project_id"] as? String)
        let precedent = try #require(top["precedent"] as? [String: Any])
        #expect((precedent["cases"] as? [Any])?.count == 20)

        let similar = try CommandLineTests.run(
            ["similar", id, "--as-of", "2026-06-30", "--format", "json", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(similar.status == 0, "\(similar.all)")
        let document = try JSONSerialization.jsonObject(with: Data(similar.stdout.utf8)) as? [String: Any]
        let cases = ((document?["precedent"] as? [String: Any])?["cases"] as? [[String: Any]])?.compactMap { $0["project_id"] as? String }
        // The command and the run agree: the same featurizer, the same data, the same neighbours.
        #expect(cases == (precedent["cases"] as? [[String: Any]])?.compactMap { $0["project_id"] as? String })
        let commandPrecedent = document?["precedent"] as? [String: Any]
        #expect(commandPrecedent?["featurizer"] as? String == precedent["featurizer"] as? String)
        #expect(
            (commandPrecedent?["progress"] as? [String: Any])?["schedule_share"] as? Double
                == (precedent["progress"] as? [String: Any])?["schedule_share"] as? Double)
        // The stored prediction keeps four decimals.
        #expect(abs((document?["model_probability"] as? Double ?? -1) - (top["probability"] as? Double ?? 1)) < 5e-5)

        let refresh = try CommandLineTests.run(
            ["embeddings", "refresh", "--as-of", "2026-06-30", "--format", "json", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(refresh.status == 0, "\(refresh.all)")
        let reports = try JSONSerialization.jsonObject(with: Data(refresh.stdout.utf8)) as? [[String: Any]]
        #expect(reports?.map { $0["entity_type"] as? String } == ["PROJECT", "CUSTOMER"])
        let unknown = try CommandLineTests.run(["similar", "P-NOPE", "--database", "sqlite:d.sqlite"], in: dir)
        #expect(unknown.status != 0 && unknown.stderr.contains("P-NOPE"))
    }
}
