import Dispatch
import Glibc
import ImageGenCore
import ImageGenHTTP
import Synchronization

/// A transport that answers from a script on a virtual clock, so whole runs
/// (batches, fan-out, retries, shared backoff) are tested in-process in
/// milliseconds: a reply "after 1 s" costs no real second. It records every
/// request with the virtual time it started, and how many were in flight at once.
package final class ScriptedTransport: Transport, Sendable {
    /// What the script answers one request with, and after how long.
    package struct Reply: Sendable {
        package var outcome: TransferOutcome
        package var after: Double
        /// For a streamed request: the body is handed over in pieces cut
        /// at these offsets.
        package var cuts: [Int] = []
        /// For a streamed request: the connection breaks after the body, with this reason.
        package var broken: String?

        package init(_ outcome: TransferOutcome, after: Double = 0.01) {
            self.outcome = outcome
            self.after = after
        }

        /// A 200 `text/event-stream` answer: `events` as `event:`/`data:`
        /// blocks, cut into pieces at `cuts`.
        package static func eventStream(
            _ events: [(name: String, data: String)], cuts: [Int] = [], broken: String? = nil,
            after: Double = 0.01
        ) -> Reply {
            let body = events.map { "event: \($0.name)\ndata: \($0.data)\n\n" }.joined()
            var reply = Reply(
                .success(
                    HTTPResponse(
                        status: 200, headers: [HTTPHeader("Content-Type", "text/event-stream")],
                        body: Array(body.utf8))), after: after)
            reply.cuts = cuts
            reply.broken = broken
            return reply
        }

        /// An HTTP answer; `json` becomes the body with a JSON content type.
        package static func status(
            _ status: Int, json: String = "{}", headers: [HTTPHeader] = [],
            after: Double = 0.01
        ) -> Reply {
            Reply(
                .success(
                    HTTPResponse(
                        status: status,
                        headers: [HTTPHeader("Content-Type", "application/json")] + headers,
                        body: Array(json.utf8))), after: after)
        }

        package static func response(_ response: HTTPResponse, after: Double = 0.01) -> Reply {
            Reply(.success(response), after: after)
        }

        package static func failure(_ error: ImageGenError, after: Double = 0.01) -> Reply {
            Reply(.failure(error), after: after)
        }
    }

    /// One request as it was started.
    package struct Sent: Sendable {
        package var request: HTTPRequest
        /// Virtual seconds since the transport was made.
        package var startedAt: Double
    }

    /// `request` and its 0-based number among all requests sent so far.
    package typealias Script = @Sendable (_ request: HTTPRequest, _ number: Int) -> Reply

    private struct State {
        var clock = 0.0
        var inFlight: [(id: Int, due: Double, outcome: TransferOutcome)] = []
        var sent: [Sent] = []
        var maxInFlight = 0
    }

    /// Virtual time starts here: a plausible Unix time, for signatures and dates.
    package static let epoch = 1_764_000_000.0

    private let script: Script
    private let state = Mutex(State())
    private let wakeUps = DispatchSemaphore(value: 0)

    package init(_ script: @escaping Script) {
        self.script = script
    }

    package var sent: [Sent] { state.withLock { $0.sent } }
    package var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    package var virtualSeconds: Double { state.withLock { $0.clock } }

    package func start(_ request: HTTPRequest, id: Int, streaming: (any StreamedBody)?) {
        let number = state.withLock { state in
            state.sent.append(Sent(request: request, startedAt: state.clock))
            return state.sent.count - 1
        }
        let reply = script(request, number)
        let outcome = streaming.map { Self.stream(reply, into: $0) } ?? reply.outcome
        state.withLock { state in
            state.inFlight.append((id, state.clock + max(0, reply.after), outcome))
            state.maxInFlight = max(state.maxInFlight, state.inFlight.count)
        }
    }

    /// Hands the reply's body to the receiver as libcurl would: all at
    /// once when it declines it, else piece by piece, then its answer.
    private static func stream(_ reply: Reply, into receiver: any StreamedBody) -> TransferOutcome {
        guard case .success(let response) = reply.outcome,
            receiver.begin(status: response.status, headers: response.headers)
        else { return reply.outcome }
        var start = 0
        do throws(ImageGenError) {
            for end in reply.cuts.filter({ $0 > 0 && $0 < response.body.count }).sorted() + [response.body.count]
            where end > start {
                try receiver.receive(response.body[start..<end])
                start = end
            }
            return .success(
                try receiver.finish(status: response.status, headers: response.headers, broken: reply.broken))
        } catch {
            return .failure(error)
        }
    }

    package func waitForCompletions(until deadline: Double?) -> [(id: Int, outcome: TransferOutcome)] {
        let virtualDeadline = deadline.map { $0 - Self.epoch }
        let done: [(id: Int, outcome: TransferOutcome)]? = state.withLock { state in
            if state.inFlight.isEmpty {
                guard let virtualDeadline else { return nil }
                state.clock = max(state.clock, virtualDeadline)
                return []
            }
            let earliest = state.inFlight.map(\.due).min()!
            state.clock = max(state.clock, min(earliest, virtualDeadline ?? earliest))
            let clock = state.clock
            let finished = state.inFlight.filter { $0.due <= clock }.sorted { $0.due < $1.due }
            state.inFlight.removeAll { $0.due <= clock }
            return finished.map { ($0.id, $0.outcome) }
        }
        if let done { return done }
        // Nothing in flight and nothing timed: workers may still submit
        // work. Wait for a wake-up in real time, briefly.
        _ = wakeUps.wait(timeout: .now() + .milliseconds(20))
        return []
    }

    package func wake() {
        wakeUps.signal()
    }

    package func now() -> Double {
        Self.epoch + state.withLock { $0.clock }
    }
}

extension ScriptedTransport.Reply {
    /// An OpenAI-shaped 200 answer carrying `images` as `b64_json`.
    package static func openAIImages(
        _ images: [[UInt8]], revisedPrompt: String? = nil, usage: String? = nil,
        after: Double = 0.01
    ) -> Self {
        let items = images.map { image in
            let revised = revisedPrompt.map { #","revised_prompt":"\#($0)""# } ?? ""
            return #"{"b64_json":"\#(Base64.encode(image))"\#(revised)}"#
        }
        let usageField = usage.map { #","usage":\#($0)"# } ?? ""
        return .status(
            200, json: #"{"created":1703658209,"data":[\#(items.joined(separator: ","))]\#(usageField)}"#,
            after: after)
    }

    /// An OpenAI-shaped 200 answer carrying image URLs.
    package static func openAIURLs(_ urls: [String], after: Double = 0.01) -> Self {
        let items = urls.map { #"{"url":"\#($0)"}"# }
        return .status(200, json: #"{"created":1703658209,"data":[\#(items.joined(separator: ","))]}"#, after: after)
    }

    /// An OpenAI-shaped error answer.
    package static func openAIError(
        _ status: Int, message: String, code: String, headers: [HTTPHeader] = [],
        after: Double = 0.01
    ) -> Self {
        .status(
            status, json: #"{"error":{"message":"\#(message)","type":"invalid_request_error","code":"\#(code)"}}"#,
            headers: headers, after: after)
    }

    /// Image bytes as a CDN serves them.
    package static func image(_ bytes: [UInt8], type: String = "image/png", after: Double = 0.01) -> Self {
        .response(HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", type)], body: bytes), after: after)
    }
}
