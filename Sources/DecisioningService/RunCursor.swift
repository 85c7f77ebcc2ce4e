import Foundation

/// The opaque cursor of a page of runs: the base64url of the last run's id.
enum RunCursor {
    static func encode(_ runId: String) -> String {
        Data(runId.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ cursor: String) -> String? {
        guard cursor.count <= 100 else { return nil }
        var text = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let id = String(data: data, encoding: .utf8), !id.isEmpty, id.count <= 50 else {
            return nil
        }
        return id
    }
}
