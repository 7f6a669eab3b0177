import ImageGenCore
import Synchronization

/// Every HTTP transfer of a run goes through here: up to `concurrency`
/// transfers at once on one transport, driven by the thread that calls
/// `run` (one event loop, no thread per request). This is the one place
/// requests are retried (SPEC §3): 408, 429, 5xx and broken connections,
/// with exponential backoff and full jitter, honouring the server's hints.
/// A 429 pauses every new request, not just the one refused, so a
/// rate-limited batch slows down instead of hammering the provider.
///
/// Completions run on the loop thread and must hand their work to another
/// thread at once: parsing and decoding an answer never holds up transfers.
/// `submit`, `hold` and `release` may be called from any thread.
package final class TransferScheduler: Sendable {
    /// Takes the outcome (it is consumed) so the receiver can own the body
    /// buffer alone and reuse it: large images are decoded in place; and
    /// how many attempts the request took.
    package typealias Completion = @Sendable (consuming TransferOutcome, _ attempts: Int) -> Void
    /// Whether an answer may be tried again.
    package typealias Retryable = @Sendable (HTTPResponse) -> Bool
    /// Called on the loop thread before each attempt of a streamed request.
    package typealias StreamFactory = @Sendable () -> (any StreamedBody)?

    package enum Priority: Sendable {
        /// Generation calls, started in submission order.
        case normal
        /// Downloads and retries: work already paid for finishes first.
        case high
    }

    struct Job: Sendable {
        let request: HTTPRequest
        /// Runs before every attempt: a signed request (Bedrock's SigV4) is
        /// signed afresh, since a signature is only good for a few minutes.
        let prepare: (@Sendable (HTTPRequest) -> HTTPRequest)?
        let priority: Priority
        let retryable: Retryable
        /// Makes the receiver of a streamed answer, afresh for every attempt.
        let streaming: StreamFactory?
        var retry = 0
        /// Seconds to wait before the first attempt (a task's next poll).
        var delay = 0.0
        let completion: Completion
    }

    private let transport: any Transport
    private let concurrency: Int
    private let retryPolicy: RetryPolicy
    private let rate: RateLimit?
    private let log: TransferLog?
    private let progress: (any ProgressObserver)?
    /// Jobs submitted since the loop last looked, from any thread.
    private let inbox = Mutex<[Job]>([])
    /// Work outside the scheduler that may still submit jobs (see `hold`).
    private let holds = Atomic<Int>(0)
    /// Everything else belongs to the loop thread.
    private let loop = Mutex(LoopState())

    package init(
        transport: any Transport, concurrency: Int, retryPolicy: RetryPolicy, rate: RateLimit? = nil,
        log: TransferLog? = nil, progress: (any ProgressObserver)? = nil
    ) {
        self.transport = transport
        self.concurrency = max(1, concurrency)
        self.retryPolicy = retryPolicy
        self.rate = rate
        self.log = log
        self.progress = progress
    }

    /// Queues a request; `completion` runs on the loop once the answer is
    /// final: a response not worth retrying, the last one after the retries,
    /// or the transport error that ended it.
    /// `retryable` decides whether an answer is worth another attempt; by
    /// default a transient status is (a provider can say that a 429 means
    /// "out of quota", which waiting never cures).
    package func submit(
        _ request: HTTPRequest, priority: Priority = .normal,
        prepare: (@Sendable (HTTPRequest) -> HTTPRequest)? = nil,
        retryable: @escaping Retryable = { RetryPolicy.isRetriable(status: $0.status) },
        after delay: Double = 0,
        streaming: StreamFactory? = nil,
        completion: @escaping Completion
    ) {
        let job = Job(
            request: request, prepare: prepare, priority: priority, retryable: retryable, streaming: streaming,
            delay: max(0, delay), completion: completion)
        inbox.withLock { $0.append(job) }
        transport.wake()
    }

    /// The clock retries and delays are planned on (the transport's).
    package func now() -> Double { transport.now() }

    /// Keeps `run` going, even with nothing to send, until the matching
    /// `release`: work on other threads (decoding an answer) may still
    /// submit requests (downloads of the URLs it found).
    package func hold() {
        holds.add(1, ordering: .sequentiallyConsistent)
    }

    package func release() {
        holds.subtract(1, ordering: .sequentiallyConsistent)
        transport.wake()
    }

    /// Runs until every submitted request (and everything their completions
    /// submit) is finished and nothing is held.
    package func run() {
        while true {
            let finished = loop.withLock { state -> Bool in
                let now = transport.now()
                let jobs = inbox.withLock { jobs in
                    defer { jobs = [] }
                    return jobs
                }
                // A delayed job waits like a retry; the progress line counts it as waiting.
                for job in jobs where job.delay > 0 { progress?.waitStarted() }
                state.queue(jobs, now: now)
                for _ in 0..<state.releaseDueRetries(now: now) { progress?.waitEnded() }
                if now >= state.pausedUntil { startTransfers(&state, now: now) }
                return state.isIdle
            }
            if finished && holds.load(ordering: .sequentiallyConsistent) == 0
                && inbox.withLock({ $0.isEmpty })
            {
                return
            }
            let deadline = loop.withLock { nextDeadline($0, now: transport.now()) }
            for (id, outcome) in transport.waitForCompletions(until: deadline) {
                finish(id, outcome)
            }
        }
    }

    // MARK: - Loop steps

    private func startTransfers(_ state: inout LoopState, now: Double) {
        while state.active.count < concurrency, now >= state.nextStartAt,
            let job = state.high.pop() ?? state.normal.pop()
        {
            if let rate { state.nextStartAt = max(state.nextStartAt, now) + rate.interval }
            let request = job.prepare?(job.request) ?? job.request
            log?.sending(request)
            let id = state.nextID
            state.nextID += 1
            state.active[id] = (job, now)
            progress?.requestStarted()
            transport.start(request, id: id, streaming: job.streaming.flatMap { $0() })
        }
    }

    private func finish(_ id: Int, _ outcome: consuming TransferOutcome) {
        guard let (job, started) = loop.withLock({ $0.active.removeValue(forKey: id) }) else { return }
        progress?.requestFinished()
        if case .success(let response) = outcome { log?.received(response, seconds: transport.now() - started) }
        if !scheduleRetry(job, after: outcome) { job.completion(outcome, job.retry + 1) }
    }

    /// Requeues `job` when its outcome is worth another attempt and attempts
    /// are left; returns whether it did.
    private func scheduleRetry(_ job: Job, after outcome: borrowing TransferOutcome) -> Bool {
        guard job.retry < min(retryPolicy.maxRetries, job.request.maxRetries ?? .max) else { return false }
        var response: HTTPResponse?
        let reason: String
        switch outcome {
        case .success(let answer):
            guard job.retryable(answer) else { return false }
            response = answer
            reason = "HTTP \(answer.status)"
        case .failure(let error):
            // A timeout is not retried: a stalled server stays stalled, and the
            // user's --timeout should bound the run, not each of its attempts.
            // A stream cut short is a broken connection by other means.
            switch error {
            case .network(let message), .brokenStream(let message): reason = message
            default: return false
            }
        }
        var next = job
        next.retry += 1
        let now = transport.now()
        let wait = retryPolicy.delay(beforeRetry: next.retry, response: response, now: now)
        loop.withLock { state in
            if response?.status == 429 { state.pausedUntil = max(state.pausedUntil, now + wait) }
            state.delayed.append((now + wait, next, false))
        }
        progress?.retrying()
        log?.note(
            "retry \(next.retry) of \(retryPolicy.maxRetries) for \(HTTPURL.origin(of: job.request.url)) "
                + "in \(Seconds.text(wait)) s after \(reason)")
        return true
    }

    /// When the loop must look again even if no transfer finishes: now when
    /// queued work can start, else the next retry, the end of a pause or the
    /// next start `--rate` allows.
    private func nextDeadline(_ state: LoopState, now: Double) -> Double? {
        let canStart = !state.queuesEmpty && state.active.count < concurrency
        let startsAt = max(state.pausedUntil, state.nextStartAt)
        if canStart && now >= startsAt { return now }
        var deadline = state.delayed.map(\.due).min()
        if canStart { deadline = min(deadline ?? startsAt, startsAt) }
        return deadline
    }
}

/// The scheduler's queues, touched by the loop thread.
private struct LoopState: Sendable {
    var normal = FIFO<TransferScheduler.Job>()
    var high = FIFO<TransferScheduler.Job>()
    /// Retries and delayed jobs, each with when it is due; `waiting` marks a delayed job.
    var delayed: [(due: Double, job: TransferScheduler.Job, waiting: Bool)] = []
    var active: [Int: (job: TransferScheduler.Job, started: Double)] = [:]
    var pausedUntil = 0.0
    /// The earliest the next request may start under `--rate`.
    var nextStartAt = 0.0
    var nextID = 0

    var queuesEmpty: Bool { normal.isEmpty && high.isEmpty }
    var isIdle: Bool { queuesEmpty && delayed.isEmpty && active.isEmpty }

    mutating func queue(_ jobs: [TransferScheduler.Job], now: Double) {
        for var job in jobs {
            if job.delay > 0 {
                let due = now + job.delay
                job.delay = 0
                delayed.append((due, job, true))
            } else if job.priority == .high {
                high.push(job)
            } else {
                normal.push(job)
            }
        }
    }

    /// Moves the retries and delayed jobs that are due to the front; returns
    /// how many of them were delayed jobs (not retries).
    mutating func releaseDueRetries(now: Double) -> Int {
        guard delayed.contains(where: { $0.due <= now }) else { return 0 }
        var waited = 0
        for entry in delayed where entry.due <= now {
            high.push(entry.job)
            if entry.waiting { waited += 1 }
        }
        delayed.removeAll { $0.due <= now }
        return waited
    }
}

/// A queue with O(1) pops, for thousands of batch requests. A popped slot
/// is emptied at once: a job's completion holds its line's answers, which
/// must not outlive the line.
struct FIFO<Element: Sendable>: Sendable {
    private var items: [Element?] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func push(_ item: Element) { items.append(item) }

    mutating func pop() -> Element? {
        guard head < items.count else { return nil }
        let item = items[head].take()
        head += 1
        if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}
