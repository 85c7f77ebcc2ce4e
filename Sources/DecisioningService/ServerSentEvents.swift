import DecisioningApplication
import HTTPTypes
import Hummingbird

/// A run's events as `text/event-stream`: `id` is the event's number within the run (what
/// `Last-Event-ID` resumes after), `event` its kind, `data` its JSON object on one line.
enum ServerSentEvents {
    static func response(_ events: AsyncStream<RunEvent>) -> Response {
        let body = ResponseBody { writer in
            for await event in events {
                try await writer.write(ByteBuffer(string: frame(event)))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    /// One event's frame. The data is one line of JSON (JSON text never holds a raw newline).
    static func frame(_ event: RunEvent) -> String {
        "id: \(event.seq)\nevent: \(event.kind)\ndata: \(event.data)\n\n"
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
