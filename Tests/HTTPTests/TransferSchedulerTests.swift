import Dispatch
import Synchronization
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP

/// The scheduler's policy over a scripted transport on a virtual clock:
/// concurrency, retries, shared backoff, priorities and work submitted from
/// other threads, each in milliseconds of real time.
@Suite struct TransferSchedulerTests {
    /// Outcomes in completion order, collected from the loop thread.
    final class Outcomes: Sendable {
        private let list = Mutex<[(tag: String, outcome: TransferOutcome)]>([])
        func add(_ tag: String, _ outcome: TransferOutcome) { list.withLock { $0.append((tag, outcome)) } }
        var all: [(tag: String, outcome: TransferOutcome)] { list.withLock { $0 } }
        var statuses: [Int] { all.compactMap { try? $0.outcome.get().status } }
    }

    static func request(_ tag: String) -> HTTPRequest {
        HTTPRequest(method: "POST", url: "https://api.example.com/v1/\(tag)", body: Array(tag.utf8))
    }

    static func tag(_ request: HTTPRequest) -> String { String(decoding: request.body, as: UTF8.self) }

    func schedule(
        _ transport: ScriptedTransport, tags: [String], concurrency: Int = 4, maxRetries: Int = 2,
        priority: TransferScheduler.Priority = .normal
    ) -> (TransferScheduler, Outcomes) {
        // No jitter in the checks below: the first retry waits at most 0.5 s.
        let scheduler = TransferScheduler(
            transport: transport, concurrency: concurrency,
            retryPolicy: RetryPolicy(maxRetries: maxRetries))
        let outcomes = Outcomes()
        for tag in tags {
            scheduler.submit(Self.request(tag), priority: priority) { outcome, _ in outcomes.add(tag, outcome) }
        }
        return (scheduler, outcomes)
    }

    @Test func neverMoreInFlightThanTheConcurrency() {
        let transport = ScriptedTransport { _, _ in .status(200, after: 0.5) }
        let (scheduler, outcomes) = schedule(transport, tags: (1...10).map(String.init), concurrency: 3)
        scheduler.run()
        #expect(outcomes.statuses == Array(repeating: 200, count: 10))
        #expect(transport.maxInFlight == 3)
        // Four waves of 0.5 s: ceil(10 / 3).
        #expect(abs(transport.virtualSeconds - 2.0) < 0.001)
    }

    @Test func retriesTransientStatusesThenDeliversTheAnswer() {
        let transport = ScriptedTransport { _, number in number == 0 ? .status(500) : .status(200) }
        let (scheduler, outcomes) = schedule(transport, tags: ["a"])
        scheduler.run()
        #expect(transport.sent.count == 2)
        #expect(outcomes.statuses == [200])
    }

    @Test func stopsAfterMaxRetriesAndDeliversTheLastAnswer() {
        let transport = ScriptedTransport { _, _ in .status(503) }
        let (scheduler, outcomes) = schedule(transport, tags: ["a"], maxRetries: 4)
        scheduler.run()
        #expect(transport.sent.count == 5)
        #expect(outcomes.statuses == [503])
    }

    @Test func neverRetriesAClientErrorOrATimeout() {
        let transport = ScriptedTransport { request, _ in
            Self.tag(request) == "bad" ? .status(400) : .failure(.timeout("timed out"))
        }
        let (scheduler, outcomes) = schedule(transport, tags: ["bad", "slow"])
        scheduler.run()
        #expect(transport.sent.count == 2)
        #expect(outcomes.all.count == 2)
    }

    @Test func retriesABrokenConnection() {
        let transport = ScriptedTransport { _, number in
            number == 0 ? .failure(.network("connection reset")) : .status(200)
        }
        let (scheduler, outcomes) = schedule(transport, tags: ["a"])
        scheduler.run()
        #expect(transport.sent.count == 2)
        #expect(outcomes.statuses == [200])
    }

    @Test func honoursRetryAfterAndHoldsBackRequestsNotYetStarted() throws {
        // Eight requests, four at a time; the first is refused with a 429
        // asking for a second's pause. The four that had not started yet
        // must wait that second too: the provider asked the client, not one request.
        let transport = ScriptedTransport { request, number in
            number == 0
                ? .status(429, headers: [HTTPHeader("Retry-After", "1")], after: 0.1)
                : .status(200, after: 0.2)
        }
        let (scheduler, outcomes) = schedule(transport, tags: (1...8).map(String.init), concurrency: 4)
        scheduler.run()
        #expect(outcomes.statuses == Array(repeating: 200, count: 8))
        let refusedAt = 0.1
        let later = transport.sent.dropFirst(4)
        #expect(later.count == 5)  // the retry and the four queued requests
        for sent in later {
            #expect(sent.startedAt >= refusedAt + 1 - 1e-6, "\(Self.tag(sent.request)) started too early")
        }
    }

    @Test func preparesEveryAttemptAfresh() {
        // Bedrock's signature carries the time: a retry must be signed again.
        let transport = ScriptedTransport { _, number in number < 2 ? .status(502, after: 0.3) : .status(200) }
        let scheduler = TransferScheduler(
            transport: transport, concurrency: 1,
            retryPolicy: RetryPolicy(maxRetries: 2))
        let sign: @Sendable (HTTPRequest) -> HTTPRequest = { request in
            var signed = request
            signed.headers = [HTTPHeader("X-Signed-At", String(transport.now()))]
            return signed
        }
        scheduler.submit(Self.request("a"), prepare: sign) { _, _ in }
        scheduler.run()
        let stamps = transport.sent.map { $0.request.header("x-signed-at") ?? "" }
        #expect(stamps.count == 3)
        #expect(Set(stamps).count == 3)
    }

    @Test func downloadsAndRetriesGoBeforeNewWork() {
        let transport = ScriptedTransport { _, _ in .status(200) }
        let scheduler = TransferScheduler(transport: transport, concurrency: 1, retryPolicy: RetryPolicy())
        for tag in ["n1", "n2"] { scheduler.submit(Self.request(tag)) { _, _ in } }
        scheduler.submit(Self.request("h1"), priority: .high) { _, _ in }
        scheduler.run()
        #expect(transport.sent.map { Self.tag($0.request) } == ["h1", "n1", "n2"])
    }

    @Test func keepsRunningWhileHeldForWorkFromOtherThreads() {
        let transport = ScriptedTransport { _, _ in .status(200) }
        let scheduler = TransferScheduler(transport: transport, concurrency: 2, retryPolicy: RetryPolicy())
        let outcomes = Outcomes()
        scheduler.hold()
        scheduler.submit(Self.request("first")) { outcome, _ in
            outcomes.add("first", outcome)
            // A worker, after real time has passed, asks for one more transfer.
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(50)) {
                scheduler.submit(Self.request("second")) { outcome, _ in
                    outcomes.add("second", outcome)
                    scheduler.release()
                }
            }
        }
        scheduler.run()
        #expect(outcomes.all.map(\.tag) == ["first", "second"])
    }

    @Test func reportsHowManyAttemptsEachRequestTook() {
        let flakyTries = Mutex(0)
        let transport = ScriptedTransport { request, _ in
            guard Self.tag(request) == "flaky" else { return .status(200) }
            let tries = flakyTries.withLock { tries in
                tries += 1
                return tries
            }
            return tries < 3 ? .status(503) : .status(200)
        }
        let attempts = Outcomes()
        let scheduler = TransferScheduler(transport: transport, concurrency: 1, retryPolicy: RetryPolicy(maxRetries: 4))
        for tag in ["flaky", "steady"] {
            scheduler.submit(Self.request(tag)) { outcome, count in attempts.add("\(tag) \(count)", outcome) }
        }
        scheduler.run()
        #expect(attempts.all.map(\.tag).sorted() == ["flaky 3", "steady 1"])
    }

    @Test func anAnswerTheCallerCallsFinalIsNotRetried() {
        let transport = ScriptedTransport { _, _ in .status(429) }
        let (scheduler, outcomes) = schedule(transport, tags: [])
        let final: TransferScheduler.Retryable = { _ in false }
        scheduler.submit(Self.request("quota"), retryable: final) { outcome, _ in outcomes.add("quota", outcome) }
        scheduler.run()
        #expect(transport.sent.count == 1)
        #expect(outcomes.statuses == [429])
    }
}

/// Requests submitted with a delay (a task's next poll): sent no earlier
/// than asked, counted as waiting while they wait.
@Suite struct DelayedSubmissionTests {
    final class Waits: ProgressObserver {
        let counts = Mutex<(started: Int, ended: Int)>((0, 0))
        func begin(images: Int) {}
        func requestStarted() {}
        func requestFinished() {}
        func retrying() {}
        func imageFinished(succeeded: Bool) {}
        func end() {}
        func waitStarted() { counts.withLock { $0.started += 1 } }
        func waitEnded() { counts.withLock { $0.ended += 1 } }
    }

    @Test func aDelayedRequestWaitsItsTurnAndIsCountedAsWaiting() {
        let transport = ScriptedTransport { _, _ in .status(200, after: 0.01) }
        let waits = Waits()
        let scheduler = TransferScheduler(
            transport: transport, concurrency: 4, retryPolicy: RetryPolicy(maxRetries: 0), progress: waits)
        let request = HTTPRequest(method: "GET", url: "https://api.example.com/poll")
        scheduler.submit(request) { _, _ in
            scheduler.submit(request, after: 2.5) { _, _ in }
        }
        scheduler.run()
        let sent = transport.sent
        #expect(sent.count == 2)
        #expect(sent.count == 2 && sent[1].startedAt - sent[0].startedAt >= 2.5)
        #expect(waits.counts.withLock { $0.started == 1 && $0.ended == 1 })
    }
}
