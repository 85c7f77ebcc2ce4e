import Foundation
import Hummingbird
import NIOCore

/// The fields of an HTML form's POST (`application/x-www-form-urlencoded`).
enum FormBody {
    /// The request's fields by name (the first value of a repeated name).
    /// - Throws: `WebError` 415 for another content type, 413 above `limit` bytes.
    static func fields(of request: Request, limit: Int = 16 * 1024) async throws(WebError) -> [String: String] {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw WebError(
                status: .unsupportedMediaType, title: "Unsupported form",
                message: "send the form as application/x-www-form-urlencoded, as the dashboard's pages do")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw WebError(status: .contentTooLarge, title: "Form too large", message: "a form may have at most \(limit) bytes")
        }
        return parse(String(buffer: buffer))
    }

    /// `a=1&b=x+y` → ["a": "1", "b": "x y"]; also a URL's query string, as HTML GET forms send it.
    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // A malformed escape (`%zz`) is kept as written rather than dropping the field.
            func decode(_ s: Substring) -> String {
                let spaced = String(s).replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }
}
