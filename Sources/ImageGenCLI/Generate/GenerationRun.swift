import Dispatch
import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders

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
    func run(_ lines: RunLines) -> Int32 {
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
