import Dispatch
import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders
import Synchronization

/// Drives prepared generations through the scheduler. The scheduler's loop
/// only moves bytes: every answer is handed to a worker thread, which
/// parses it, decodes and validates its images (once each), asks for the
/// downloads of URL answers, writes the files and hands the line's report
/// to the emitter, which prints in input order.
final class GenerationRun: Sendable {
    private let scheduler: TransferScheduler
    private let emitter: ResultEmitter
    private let redactor: Redactor
    private let standardOutput: StreamWriter
    private let concurrency: Int
    private let json: Bool
    /// `--json b64_json`: written images keep their data in the document.
    private let keepWrittenImageData: Bool
    private let journal: BatchJournal.Writer?
    private let prepare: LinePreparer
    private let history: HistoryRecorder?
    /// Shows the partial images of streamed lines; and the size one event may have.
    private let follower: StreamFollower?
    private let maxEventSize: Int
    /// Where answers are read, checked and written: a fixed number at a time.
    private let workers = WorkerPool()

    /// `prepare` makes a checked batch line ready to send when it is let in.
    init(
        scheduler: TransferScheduler, concurrency: Int, json: Bool, keepWrittenImageData: Bool = false,
        emitter: ResultEmitter, journal: BatchJournal.Writer? = nil, history: HistoryRecorder? = nil,
        redactor: Redactor, standardOutput: StreamWriter,
        follower: StreamFollower? = nil, maxEventSize: Int = TransferSettings.defaultMaxFileSize,
        prepare: @escaping LinePreparer = { .failure(LineFailure(index: $0.index, error: .internal("not prepared"))) }
    ) {
        self.scheduler = scheduler
        self.prepare = prepare
        self.follower = follower
        self.maxEventSize = maxEventSize
        self.journal = journal
        self.history = history
        self.keepWrittenImageData = keepWrittenImageData
        self.concurrency = concurrency
        self.json = json
        self.emitter = emitter
        self.redactor = redactor
        self.standardOutput = standardOutput
    }

    /// Runs every line; lines that failed to prepare are reported in their
    /// place. Returns the exit status: the first failure's, in input order.
    ///
    /// Lines are let in a few at a time (`LineWindow`), so however long the
    /// batch, only a bounded number of answers are in memory at once.
    func run(_ lines: [RunLine]) -> Int32 {
        let window = BatchWindow(lines, concurrency: concurrency)
        admit(from: window)
        scheduler.run()
        return emitter.exitCode
    }

    /// Starts every line the window lets in now. A loop, not recursion: a
    /// long run of lines that failed to prepare frees room line by line.
    private func admit(from window: BatchWindow) {
        while true {
            let admitted = window.admit()
            guard !admitted.isEmpty else { return }
            for (position, line) in admitted {
                let ready: Result<PreparedGeneration, LineFailure> =
                    switch line {
                    case .prepared(let prepared): .success(prepared)
                    case .checked(let line, _): prepare(line)
                    case .failed(let failure): .failure(failure)
                    }
                switch ready {
                case .success(let prepared):
                    start(LineInProgress(prepared, position: position, window: window))
                case .failure(let failure):
                    report(position, .failed(index: failure.index, failure.error), window: window)
                }
            }
        }
    }

    /// Hands a line's report to the emitter and gives the window back the
    /// room of the lines done with their answers: with `--json`, every line
    /// now printed (the document carries the image data); otherwise this
    /// one, whose files are written and whose report waits without them.
    private func report(_ position: Int, _ report: LineReport, window: BatchWindow) {
        journal?.record(report)
        let printed = emitter.deliver(position, report)
        window.finished(json ? printed : position..<position + 1)
    }

    private func start(_ line: LineInProgress) {
        guard !line.prepared.wireRequests.isEmpty else {
            return report(
                line.position, .failed(index: line.prepared.index, .internal("no request was made for this line")),
                window: line.window)
        }
        scheduler.hold()  // released once the line is reported
        let provider = line.prepared.provider
        for (slot, request) in line.prepared.wireRequests.enumerated() {
            let retryable: TransferScheduler.Retryable = { provider.isRetryable($0) }
            scheduler.submit(
                request, prepare: provider.prepareForSending, retryable: retryable,
                streaming: streaming(line.prepared, image: slot)
            ) { outcome, attempts in
                let handoff = Handoff(outcome)
                self.workers.async {
                    self.finish(self.answered(line, slot: slot, request: request, handoff.take(), attempts: attempts))
                }
            }
        }
    }

    /// Asks again about a task the provider is still working on, after the
    /// wait it asks for, in the same slot: the poll's answer stands for the
    /// request that submitted the task. A task that outlasts `--timeout`
    /// (counted from its first pending answer) is a timeout, exit 6.
    private func poll(_ line: LineInProgress, slot: Int, _ pending: PendingTask) throws(ImageGenError) {
        let now = scheduler.now()
        let deadline = line.pollDeadline(slot: slot, proposed: now + pending.limit)
        guard now + pending.after <= deadline else {
            throw .timeout(
                "\(line.prepared.provider.kind.rawValue) task \(pending.task) was still \(pending.status) after "
                    + "\(Seconds.asTyped(pending.limit)) s; raise --timeout to wait longer")
        }
        let provider = line.prepared.provider
        let retryable: TransferScheduler.Retryable = { provider.isRetryable($0) }
        scheduler.submit(
            pending.poll, priority: .high, prepare: provider.prepareForSending, retryable: retryable,
            after: pending.after
        ) { outcome, attempts in
            let handoff = Handoff(outcome)
            self.workers.async {
                self.finish(self.answered(line, slot: slot, request: pending.poll, handoff.take(), attempts: attempts))
            }
        }
    }

    /// The receiver of each attempt of a streamed request: a streamed
    /// request carries one image, so its slot is its image's number.
    private func streaming(_ prepared: PreparedGeneration, image: Int) -> TransferScheduler.StreamFactory? {
        guard prepared.request.isStreamed, let follower else { return nil }
        let onPartial = follower.receiver(for: prepared, image: image)
        let provider = prepared.provider
        let maxEventSize = maxEventSize
        return { provider.makeStream(maxEventSize: maxEventSize, onPartial: onPartial) }
    }

    /// On a worker: one request's answer read and its images checked; the
    /// line, once this was its last answer and its files are written.
    private func answered(
        _ line: LineInProgress, slot: Int, request: HTTPRequest, _ outcome: consuming TransferOutcome, attempts: Int
    ) -> FinishedLine? {
        let prepared = line.prepared
        if prepared.request.isStreamed { follower?.drain() }
        let answer: Result<CheckedAnswer, ImageGenError>
        switch consume outcome {
        case .failure(let error):
            answer = .failure(error)
        case .success(var response):
            if history != nil, let id = RequestID.of(response) { line.noteRequestID(id, slot: slot) }
            do throws(ImageGenError) {
                var read = try prepared.provider.read(response, to: request, attempts: attempts, redactor: redactor)
                if let pending = read.pending {
                    if let usage = pending.usage { line.carry(usage, slot: slot) }
                    try poll(line, slot: slot, pending)
                    return nil
                }
                if read.usage == nil { read.usage = line.carried(slot: slot) }
                // More images than asked for is a broken or hostile server:
                // nothing of it is decoded or written.
                let asked = prepared.wireRequests.count > 1 ? 1 : prepared.request.imageCount
                guard read.images.count <= asked else {
                    throw .badResponse(
                        provider: prepared.provider.kind,
                        message: "asked for \(asked) image\(asked == 1 ? "" : "s"), got \(read.images.count); "
                            + "nothing was written")
                }
                // A fan-out request carries one image: image number = request number.
                let first = prepared.wireRequests.count > 1 ? slot : 0
                let images = ImageCheck.check(
                    &read, body: &response.body, firstNumber: first + 1, provider: prepared.provider.kind)
                answer = .success(CheckedAnswer(answer: read, images: images))
            } catch {
                answer = .failure(error)
            }
        }
        guard let answers = line.record(answer, slot: slot, attempts: attempts) else { return nil }
        return download(line, merged: CheckedAnswer.merge(answers, route: prepared.knowledge.route))
    }

    /// Fetches the images that came back as URLs (each URL once), unless
    /// `--no-download`; then writes. The line, if nothing was left to fetch.
    private func download(_ line: LineInProgress, merged: MergedAnswer) -> FinishedLine? {
        let noDownload = line.prepared.output.noDownload
        var images = merged.images
        var wanted: [String: [Int]] = [:]
        for (index, image) in images.enumerated() where image == nil {
            guard let url = merged.result.images[index].url else { continue }
            if noDownload {
                images[index] = .notDownloaded(url: url)
            } else {
                wanted[url, default: []].append(index)
            }
        }
        guard !wanted.isEmpty else {
            return write(
                line, merged, images: images.map { $0 ?? .failed(.internal("image has no data")) })
        }
        let downloads = Downloads(images: images, remaining: wanted.count)
        for (url, indices) in wanted {
            scheduler.submit(ImageDownload.request(for: url), priority: .high) { outcome, _ in
                let handoff = Handoff(outcome)
                self.workers.async {
                    self.finish(
                        self.downloaded(
                            handoff.take(), url: url, indices: indices, into: downloads, line: line, merged: merged))
                }
            }
        }
        return nil
    }

    /// On a worker: one URL's image checked; the line, once it was the last
    /// one to come and the files are written.
    private func downloaded(
        _ outcome: consuming TransferOutcome, url: String, indices: [Int], into downloads: Downloads,
        line: LineInProgress, merged: MergedAnswer
    ) -> FinishedLine? {
        let provider = line.prepared.provider.kind
        let fetched: PreparedImage
        do throws(ImageGenError) {
            let bytes = try ImageDownload.bytes(outcome, url: url, provider: provider)
            fetched = ImageCheck.check(bytes: bytes, label: "image \(indices[0] + 1)", provider: provider)
        } catch {
            fetched = .failed(error)
        }
        guard let all = downloads.record(fetched, at: indices) else { return nil }
        return write(line, merged, images: all)
    }

    /// On a worker: the files written, and the line's report without the
    /// image data nobody will print.
    private func write(_ line: LineInProgress, _ merged: MergedAnswer, images: [PreparedImage]) -> FinishedLine {
        let prepared = line.prepared
        let result = merged.result
        let outcomes = OutputStage.write(
            result, images: images, plan: prepared.plan, options: prepared.output,
            metadata: prepared.metadata(for: result), standardOutput: standardOutput, digest: history != nil)
        if prepared.request.isStreamed { follower?.imagesWritten() }
        // Only --json prints image data, and only of images not written to a
        // file (or all with --json b64_json); a report waiting for an earlier
        // line to finish need not keep the rest of the answer alive.
        var reported = result
        for index in reported.images.indices {
            let written = index < outcomes.count && outcomes[index].savedImage?.file != nil
            guard !json || (written && !keepWrittenImageData) else { continue }
            reported.images[index].base64 = nil
            reported.images[index].decoded = nil
        }
        let lineReport = LineReport(
            index: prepared.index, expectedImages: prepared.request.imageCount,
            result: reported, outcomes: outcomes, failures: merged.failures,
            costMicros: prepared.costMicros(of: result), attempts: merged.attempts)
        history?.record(
            prepared, lineReport, requestIDs: line.requestIDs, seconds: Clock.monotonic() - line.started)
        return FinishedLine(position: line.position, report: lineReport, window: line.window)
    }

    /// Reports a line and lets the next ones in. It runs once the worker
    /// that wrote the line has returned, so its answer and images are freed
    /// before a new line's answer can come in to take their room.
    private func finish(_ finished: FinishedLine?) {
        guard let finished else { return }
        report(finished.position, finished.report, window: finished.window)
        // New lines are let in before the hold is released, so the
        // scheduler never looks idle between two lines.
        admit(from: finished.window)
        scheduler.release()
    }
}

/// A line whose files are written, waiting to be reported.
private struct FinishedLine {
    let position: Int
    let report: LineReport
    let window: BatchWindow
}

/// Prepares a checked batch line again, on whichever thread lets it in.
typealias LinePreparer = @Sendable (BatchFile.Line) -> Result<PreparedGeneration, LineFailure>

/// One generation whose answers are coming in.
private final class LineInProgress: Sendable {
    let prepared: PreparedGeneration
    let position: Int
    let window: BatchWindow
    /// When its first request was handed to the scheduler (monotonic seconds).
    let started = Clock.monotonic()
    private let answers: Mutex<[Int: (answer: Result<CheckedAnswer, ImageGenError>, attempts: Int)]>
    private let identifiers = Mutex<[Int: String]>([:])

    init(_ prepared: PreparedGeneration, position: Int, window: BatchWindow) {
        self.prepared = prepared
        self.position = position
        self.window = window
        answers = Mutex([:])
    }

    /// When each slot's task must be done: set by its first pending answer.
    private let deadlines = Mutex<[Int: Double]>([:])
    /// The usage a task's submission reported, for its final answer.
    private let usages = Mutex<[Int: JSON]>([:])

    func carry(_ usage: JSON, slot: Int) { usages.withLock { $0[slot] = usage } }
    func carried(slot: Int) -> JSON? { usages.withLock { $0[slot] } }

    func pollDeadline(slot: Int, proposed: Double) -> Double {
        deadlines.withLock { deadlines in
            if let set = deadlines[slot] { return set }
            deadlines[slot] = proposed
            return proposed
        }
    }

    /// The provider's id of request `slot`'s answer, for the history.
    func noteRequestID(_ id: String, slot: Int) {
        identifiers.withLock { $0[slot] = id }
    }

    /// The request ids noted, in request order.
    var requestIDs: [String] {
        identifiers.withLock { ids in ids.keys.sorted().compactMap { ids[$0] } }
    }

    /// Records one request's answer; returns all of them, in request order,
    /// to the caller that recorded the last.
    func record(
        _ answer: Result<CheckedAnswer, ImageGenError>, slot: Int, attempts: Int
    )
        -> [(answer: Result<CheckedAnswer, ImageGenError>, attempts: Int)]?
    {
        answers.withLock { answers in
            answers[slot] = (answer, attempts)
            guard answers.count == prepared.wireRequests.count else { return nil }
            defer { answers = [:] }  // the caller owns them now
            return (0..<answers.count).map { answers[$0]! }
        }
    }
}

/// A line's URL downloads coming in.
private final class Downloads: Sendable {
    private let state: Mutex<(images: [PreparedImage?], remaining: Int)>

    init(images: [PreparedImage?], remaining: Int) {
        state = Mutex((images, remaining))
    }

    /// Records one URL's image at every index it stands for; returns all
    /// images to the caller that recorded the last download.
    func record(_ image: PreparedImage, at indices: [Int]) -> [PreparedImage]? {
        state.withLock { state in
            for index in indices { state.images[index] = image }
            state.remaining -= 1
            guard state.remaining == 0 else { return nil }
            return state.images.map { $0 ?? .failed(.internal("image has no data")) }
        }
    }
}

/// One answer with each image checked (nil: a URL still to download).
private struct CheckedAnswer: Sendable {
    var answer: ProviderAnswer
    var images: [PreparedImage?]

    /// The answers of a line's requests merged in request order: one failed
    /// fan-out request keeps the others' images.
    static func merge(
        _ answers: [(answer: Result<CheckedAnswer, ImageGenError>, attempts: Int)], route: Route
    ) -> MergedAnswer {
        var result = GenerationResult(created: 0, model: route.model, provider: route.provider, images: [])
        var images: [PreparedImage?] = []
        var failures: [ImageGenError] = []
        var firstFailureAttempts: Int?
        for (answer, attempts) in answers {
            switch answer {
            case .success(let checked):
                result.images += checked.answer.images
                images += checked.images
                if result.created == 0, let created = checked.answer.created { result.created = created }
                result.usage = Usage.add(result.usage, checked.answer.usage)
            case .failure(let error):
                if failures.isEmpty { firstFailureAttempts = attempts }
                failures.append(error)
            }
        }
        if result.created == 0 { result.created = Int(Clock.now()) }
        return MergedAnswer(result: result, images: images, failures: failures, attempts: firstFailureAttempts)
    }
}

private struct MergedAnswer: Sendable {
    var result: GenerationResult
    var images: [PreparedImage?]
    var failures: [ImageGenError]
    /// How many attempts the first failed request took.
    var attempts: Int?
}

/// Moves a value to another thread without a second reference: the
/// receiver owns a response body alone, so a large image is decoded in place.
private final class Handoff<Value: Sendable>: @unchecked Sendable {
    // Set once by the loop thread, taken once by one worker; the dispatch
    // that passes the handoff orders the two.
    private var value: Value?

    init(_ value: consuming Value) {
        self.value = value
    }

    func take() -> Value {
        value.take()!
    }
}

enum Usage {
    /// Token counts add up across fan-out requests; other usage shapes keep
    /// the first. A count whose sum would overflow is not a count any
    /// provider meant: it becomes null (and the cost, unknown) instead of a trap.
    static func add(_ total: JSON?, _ next: JSON?) -> JSON? {
        guard let next else { return total }
        guard case .object(var sum)? = total, case .object(let add) = next else { return total ?? next }
        for (key, value) in add {
            guard let i = sum.firstIndex(where: { $0.0 == key }) else { continue }
            // A charge in dollars or credits (`cost`) is a decimal; it adds up too.
            if key == "cost", case .number(let x) = sum[i].1, case .number(let y) = value,
                let a = Double(x), let b = Double(y), (a + b).isFinite
            {
                sum[i].1 = .number(String(a + b))
                continue
            }
            guard let a = sum[i].1.intValue, let b = value.intValue else { continue }
            let (added, overflow) = a.addingReportingOverflow(b)
            sum[i].1 = overflow ? .null : .int(added)
        }
        return .object(sum)
    }
}
