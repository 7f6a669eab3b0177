import CurlShim
import Glibc

/// Every HTTP transfer of a run goes through here: libcurl's multi interface
/// drives up to `concurrency` transfers at once on the calling thread (one
/// event loop, no thread per request), and this is the one place requests
/// are retried (SPEC §3): 408, 429, 5xx and broken connections, with
/// exponential backoff and full jitter, honouring the server's hints. A 429
/// pauses every new request, not just the one refused, so a rate-limited
/// batch slows down instead of hammering the provider.
final class TransferEngine {
    /// Takes the outcome (it is consumed) so the receiver can own the body
    /// buffer alone and reuse it: large images are decoded in place.
    typealias Completion = (consuming Result<HTTPResponse, ImageGenError>) -> Void

    enum Priority {
        /// Generation calls, started in submission order.
        case normal
        /// Downloads and retries: work already paid for finishes first.
        case high
    }

    private struct Job {
        let request: HTTPRequest
        var retry = 0
        let completion: Completion
    }

    private let multi: UnsafeMutableRawPointer
    private let concurrency: Int
    private let settings: TransferSettings
    private let retryPolicy: RetryPolicy
    private let log: Diagnostics
    private let progress: ProgressObserver?

    private var normal = FIFO<Job>()
    private var high = FIFO<Job>()
    private var delayed: [(due: Double, job: Job)] = []
    private var active: [UnsafeMutableRawPointer: (easy: CurlEasy, job: Job, started: Double)] = [:]
    private var pausedUntil = 0.0

    init(concurrency: Int, settings: TransferSettings, retryPolicy: RetryPolicy, log: Diagnostics,
         progress: ProgressObserver? = nil) {
        CurlEasy.prepareLibrary()
        multi = curl_multi_init()
        self.concurrency = max(1, concurrency)
        self.settings = settings
        self.retryPolicy = retryPolicy
        self.log = log
        self.progress = progress
    }

    deinit {
        for handle in active.keys { curl_multi_remove_handle(multi, handle) }
        curl_multi_cleanup(multi)
    }

    /// Queues a request; `completion` runs on the loop once the answer is
    /// final: a response not worth retrying, the last one after the retries,
    /// or the transport error that ended it.
    func submit(_ request: HTTPRequest, priority: Priority = .normal, completion: @escaping Completion) {
        let job = Job(request: request, completion: completion)
        if priority == .high { high.push(job) } else { normal.push(job) }
    }

    /// Runs until every submitted request (and everything their completions
    /// submit) is finished.
    func run() {
        while !(normal.isEmpty && high.isEmpty && delayed.isEmpty && active.isEmpty) {
            let now = Clock.now()
            releaseDueRetries(now: now)
            if now >= pausedUntil { startTransfers(now: now) }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            finishTransfers()
            if active.isEmpty && high.isEmpty && normal.isEmpty && delayed.isEmpty { break }
            _ = curl_multi_poll(multi, nil, 0, waitMilliseconds(now: Clock.now()), nil)
        }
    }

    /// One request, answered synchronously (for callers outside a batch).
    func send(_ request: HTTPRequest) throws(ImageGenError) -> HTTPResponse {
        var outcome: Result<HTTPResponse, ImageGenError> = .failure(.internal("transfer never finished"))
        submit(request) { outcome = consume $0 }
        run()
        return try outcome.get()
    }

    // MARK: - Loop steps

    private func releaseDueRetries(now: Double) {
        guard !delayed.isEmpty else { return }
        let due = delayed.filter { $0.due <= now }
        guard !due.isEmpty else { return }
        delayed.removeAll { $0.due <= now }
        for entry in due { high.push(entry.job) }
    }

    private func startTransfers(now: Double) {
        while active.count < concurrency, let job = high.pop() ?? normal.pop() {
            log.request(job.request)
            let easy: CurlEasy
            do {
                easy = try CurlEasy(job.request, settings: settings)
            } catch {
                job.completion(.failure(error))
                continue
            }
            active[easy.handle] = (easy, job, now)
            curl_multi_add_handle(multi, easy.handle)
            progress?.requestStarted()
        }
    }

    private func finishTransfers() {
        var handle: UnsafeMutableRawPointer?
        var code = CURLE_OK
        while ig_multi_next_done(multi, &handle, &code) == 1 {
            guard let handle, let (easy, job, started) = active.removeValue(forKey: handle) else { continue }
            curl_multi_remove_handle(multi, handle)
            progress?.requestFinished()
            let outcome: Result<HTTPResponse, ImageGenError>
            do {
                let response = try easy.finish(code)
                log.response(response, seconds: Clock.now() - started)
                outcome = .success(response)
            } catch {
                outcome = .failure(error)
            }
            if !scheduleRetry(job, after: outcome) { job.completion(consume outcome) }
        }
    }

    /// Requeues `job` when its outcome is worth another attempt and attempts
    /// are left; returns whether it did.
    private func scheduleRetry(_ job: Job, after outcome: Result<HTTPResponse, ImageGenError>) -> Bool {
        guard job.retry < retryPolicy.maxRetries else { return false }
        var response: HTTPResponse?
        let reason: String
        switch outcome {
        case .success(let answer):
            guard RetryPolicy.isRetriable(status: answer.status) else { return false }
            response = answer
            reason = "HTTP \(answer.status)"
        case .failure(let error):
            // A timeout is not retried: a stalled server stays stalled, and the
            // user's --timeout should bound the run, not each of its attempts.
            guard case .network(let message) = error else { return false }
            reason = message
        }
        var next = job
        next.retry += 1
        let now = Clock.now()
        let wait = retryPolicy.delay(beforeRetry: next.retry, response: response, now: now)
        if response?.status == 429 { pausedUntil = max(pausedUntil, now + wait) }
        delayed.append((now + wait, next))
        progress?.retrying()
        log.verbose("retry \(next.retry) of \(retryPolicy.maxRetries) for \(HTTPURL.origin(of: job.request.url)) "
            + "in \(Diagnostics.format(seconds: wait)) s after \(reason)")
        return true
    }

    private func waitMilliseconds(now: Double) -> Int32 {
        // Completions may have queued work (downloads, next lines) that can start right away.
        let canStart = !(high.isEmpty && normal.isEmpty) && active.count < concurrency && now >= pausedUntil
        if canStart { return 0 }
        var until = now + 1
        if let soonest = delayed.map(\.due).min() { until = min(until, soonest) }
        if pausedUntil > now, active.isEmpty || active.count < concurrency { until = min(until, pausedUntil) }
        return Int32(max(0, min(1000, (until - now) * 1000)).rounded(.up))
    }
}

/// A queue with O(1) pops, for thousands of batch requests.
struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }

    mutating func push(_ item: Element) { items.append(item) }

    mutating func pop() -> Element? {
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        if head > 1024 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }
}
