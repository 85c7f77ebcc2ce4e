import Foundation

/// Machine-readable output written straight to file descriptor 1, past stdio's buffer.
///
/// A JSON document that a script parses must reach the file whole and once. Through `print` it sits
/// in stdio's buffer until exit; `make bench-ml` once found the end of such a document twice in its
/// file (`…"train_rows":28492}}_rows":28492}}`), which a buffer flushed twice explains. Anything
/// printed before is flushed first, so the order holds.
enum StandardOutput {
    static func write(_ data: Data) {
        fflush(nil)  // every stdio stream, stdout among them
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
