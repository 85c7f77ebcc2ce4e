// JSON Lines ingest: JSONScanner (strings, escapes, numbers, nesting), JSONLLoader's value conversion and
// ColumnParser, through `Ingestor.ingest(files:)`.
//
// Input layout. First byte, bit 7 clear: raw mode.
//   byte 0: table (Catalog.all[byte % count]); byte 1: IngestOptions (IngestHarness.options);
//   the rest: the .jsonl file. Properties as for fuzz-csv, plus: JSON column values that ingest accepts
//   are valid JSON for Foundation's JSONSerialization; accepted rows read back unchanged from their own
//   JSON Lines rendering.
// First byte, bit 7 set: round-trip mode. The rest decodes to objects of text values, written with
//   varied escapes (\uXXXX, surrogate pairs, short escapes), key order, spacing and line ends; ingest
//   must accept them and read back exactly the strings.
import DecisioningCore
import DecisioningIngest
import FuzzSupport
import IngestSupport

/// The process entry point: SwiftPM makes `main` an alias of `fuzz_jsonl_main` (see Package.swift).
@_cdecl("fuzz_jsonl_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    IngestHarness.run(data, size, .jsonl, roundTrip: roundTrip)
    return 0
}

func roundTrip(_ r: inout ByteReader) {
    let options = IngestHarness.options(r.byte() & 7)  // strict mode: nothing may be rejected
    let flags = r.byte()
    var text: [UInt8] = flags & 1 != 0 ? [0xEF, 0xBB, 0xBF] : []
    var expected: [(Int64, [String: String?])] = []
    let spaces = [" ", "\t", "", "", "\r", "  "]
    let keyForms: [(Int) -> String] = [{ "\($0)" }, { "\($0).0" }, { "\($0)e0" }, { "\($0 * 10)e-1" }, { "\($0)E+0" }, { "\($0).000e00" }]
    let rows = r.index(12)
    for k in 0..<rows {
        if r.byte() & 7 == 0 { text += Array(r.pick(["\n", " \n", "\t\r\n"]).utf8) }  // blank lines are skipped
        var names = ["k"] + ["a", "b", "c"].filter { _ in r.bool() }
        for i in stride(from: names.count - 1, to: 0, by: -1) { names.swapAt(i, r.index(i + 1)) }
        var cells: [String: String?] = [:]
        var members: [String] = []
        for name in names {
            let styleSeed = r.byte()
            var styleIndex = 0
            let key = Render.jsonString(name) { _ in
                styleIndex += 1
                return styleSeed >> (styleIndex % 8)
            }
            let value: String
            if name == "k" {
                value = r.pick(keyForms)(k)
            } else {
                let cell = IngestHarness.cell(&r)
                cells[name] = .some(cell)
                if let cell {
                    let seed = r.uint64()
                    var i: UInt64 = 0
                    value = Render.jsonString(cell) { _ in
                        i += 1
                        return UInt8(truncatingIfNeeded: (seed >> (2 * (i % 32))) ^ i)
                    }
                } else {
                    value = "null"
                }
            }
            let s1 = r.pick(spaces)
            let s2 = r.pick(spaces)
            members.append("\(s1)\(key)\(s2):\(s2)\(value)\(s1)")
        }
        let line = r.pick(spaces) + "{" + members.joined(separator: ",") + "}" + r.pick(spaces)
        text += Array(line.utf8)
        let last = k == rows - 1
        if !last || flags & 2 != 0 { text += Array((r.bool() ? "\r\n" : "\n").utf8) }
        expected.append((Int64(k), cells))
    }
    let outcome = IngestHarness.ingest(text, .jsonl, table: IngestHarness.textTable, options: options)
    IngestHarness.checkText(outcome, expected: expected, input: text)
}
