/// One server-sent event as a client reads it.
struct SSEFrame: Equatable {
    var id: Int
    var event: String
    var data: String

    static func parse(_ text: String) -> [SSEFrame] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var id: Int?
            var event = ""
            var data = ""
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
                if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
            }
            return id.map { SSEFrame(id: $0, event: event, data: data) }
        }
    }
}
