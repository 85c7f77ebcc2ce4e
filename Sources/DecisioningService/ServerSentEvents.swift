import DecisioningApplication
import HTTPTypes
import Hummingbird

/// A run's events as `text/event-stream`: `id` is the event's number within the run (what
/// `Last-Event-ID` resumes after), `event` its kind, `data` its JSON object on one line. While no
/// event comes, a comment line every `keepAlive` keeps proxies and load balancers from closing an
/// idle stream (an agent may work for minutes between events); clients ignore comments.
enum ServerSentEvents {
    /// The default interval of the keep-alive comments.
    static let keepAlive: Duration = .seconds(15)

    /// The comment sent while no event comes.
    static let keepAliveFrame = ": keep-alive\n\n"

    static func response(_ events: AsyncStream<RunEvent>, keepAlive: Duration = keepAlive) -> Response {
        let body = ResponseBody { writer in
            try await withFrames(of: events, keepAlive: keepAlive) { frames in
                for await frame in frames {
                    try await writer.write(ByteBuffer(string: frame))
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }

    /// Calls `body` with the events' frames, a keep-alive comment after each `keepAlive` without
    /// one; the frames end when the events end. When `body` returns or throws (the client went
    /// away), the timer stops and the events are no longer followed.
    static func withFrames<T>(
        of events: AsyncStream<RunEvent>, keepAlive: Duration, _ body: (AsyncStream<String>) async throws -> T
    ) async rethrows -> T {
        let (frames, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
        let forward = Task {
            for await event in events { continuation.yield(frame(event)) }
            continuation.finish()
        }
        let ping = Task {
            while true {
                do { try await Task.sleep(for: keepAlive) } catch { return }
                continuation.yield(keepAliveFrame)
            }
        }
        defer {
            forward.cancel()
            ping.cancel()
            continuation.finish()
        }
        return try await body(frames)
    }

    /// One event's frame. The data is one line of JSON (JSON text never holds a raw newline).
    static func frame(_ event: RunEvent) -> String {
        "id: \(event.seq)\nevent: \(event.kind)\ndata: \(event.data)\n\n"
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
