// CSV ingest: CSVScanner, the header, UTF-8 checks and ColumnParser, through `Ingestor.ingest(files:)`.
//
// Input layout. First byte, bit 7 clear: raw mode.
//   byte 0: table (Catalog.all[byte % count]); byte 1: IngestOptions (IngestHarness.options);
//   the rest: the CSV file. Properties: only IngestError/IngestAborted are thrown; the written values fit
//   their columns; the summary agrees with the store; accepted rows read back unchanged from their own
//   CSV rendering.
// First byte, bit 7 set: round-trip mode. The rest decodes to rows of text cells (IngestHarness.cell),
//   which are written as RFC 4180 CSV with varied quoting, column order, line ends and BOM; ingest must
//   accept the file and read back exactly the cells (fields re-joined reproduce the input).
import DecisioningCore
import DecisioningIngest
import FuzzSupport
import IngestSupport

/// The process entry point: SwiftPM makes `main` an alias of `fuzz_csv_main` (see Package.swift).
@_cdecl("fuzz_csv_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc, argv) { data, size in fuzz(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    IngestHarness.run(data, size, .csv, roundTrip: roundTrip)
    return 0
}

func roundTrip(_ r: inout ByteReader) {
    let options = IngestHarness.options(r.byte() & 7)  // strict mode: nothing may be rejected
    let flags = r.byte()
    // The header: k and a subset of a, b, c, in an order from the input.
    var names = ["k"] + ["a", "b", "c"].filter { _ in r.bool() }
    for i in stride(from: names.count - 1, to: 0, by: -1) { names.swapAt(i, r.index(i + 1)) }
    var text: [UInt8] = flags & 1 != 0 ? [0xEF, 0xBB, 0xBF] : []
    let padHeader = flags & 2 != 0
    text += Array(names.map { padHeader ? " \($0)\t" : $0 }.joined(separator: ",").utf8)
    var expected: [(Int64, [String: String?])] = []
    let rows = r.index(16)
    for k in 0..<rows {
        let lineEnd = r.bool() ? "\r\n" : "\n"
        text += Array(lineEnd.utf8)
        var cells: [String: String?] = [:]
        var fields: [String] = []
        for name in names {
            if name == "k" {
                fields.append(flags & 4 != 0 && k % 2 == 1 ? " \(k) " : "\(k)")
                continue
            }
            let cell = IngestHarness.cell(&r)
            cells[name] = .some(cell)
            guard let cell else {
                fields.append("")
                continue
            }
            fields.append(Render.csvField(cell, forceQuotes: cell.isEmpty || r.byte() & 3 == 0))
        }
        text += Array(fields.joined(separator: ",").utf8)
        expected.append((Int64(k), cells))
    }
    if flags & 8 != 0 { text += Array((r.bool() ? "\r\n" : "\n").utf8) }
    if flags & 16 != 0 && flags & 8 != 0 { text += Array("\n".utf8) }  // a blank line at the end
    let outcome = IngestHarness.ingest(text, .csv, table: IngestHarness.textTable, options: options)
    IngestHarness.checkText(outcome, expected: expected, input: text)
}
