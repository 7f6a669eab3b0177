import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders

/// `imagegen [OPTIONS] PROMPT...` and `imagegen [OPTIONS] --batch FILE`, and
/// the same for `imagegen edit`:
/// every line prepared and checked before anything is sent, then the
/// cost guard, then `--dry-run`'s printout or the run itself.
struct GenerateCommand {
    enum Source {
        case prompt(words: [String])
        case batch(file: String)
    }

    let source: Source
    let options: Options
    let environment: Environment
    let io: ProcessIO
    let makeTransport: TransportFactory
    /// `imagegen edit`: every line sends its input images to the model's edits endpoint.
    var editing = false

    /// With `--json`, a run that fails before any line is reported still
    /// prints one document, `{"error": {...}}`, so a jq pipeline can branch
    /// on it; the message also goes to standard error and the exit code is
    /// the error's, as without `--json`.
    func run(redactor: inout Redactor) throws(ImageGenError) -> Int32 {
        do {
            return try prepareAndSend(redactor: &redactor)
        } catch {
            if options.output.json {
                var single = true
                if case .batch = source { single = false }
                ResultDocument.report(.failed(index: 0, error), index: nil, redactor: redactor)
                    .write(pretty: single) { io.standardOutput.write($0) }
                io.standardOutput.write("\n")
            }
            throw error
        }
    }

    private func prepareAndSend(redactor: inout Redactor) throws(ImageGenError) -> Int32 {
        redactor.add(options.connection)
        let check: BatchCheck
        let style: ResultEmitter.Style
        var selection: BatchSelection?
        let preparer = BatchLinePreparer(options: options, environment: environment, editing: editing)
        switch source {
        case .batch(let file):
            style = .batch
            var selected = try BatchSelection(options: options)
            check = try BatchCheck(readBatch(file), selection: &selected, preparer: preparer, redactor: &redactor)
            selection = selected
        case .prompt(let words):
            if options.partialDir != nil && !options.stream {
                throw .usage("--partial-dir DIR saves the partial images of --stream; add --stream")
            }
            if options.shard != nil {
                throw .usage("--shard splits a --batch file; add --batch FILE, or drop --shard")
            }
            if options.joblog != nil || options.resume != nil {
                throw .usage("--joblog, --resume and --resume-failed keep track of a --batch file; add --batch FILE")
            }
            style = .single
            let prompt =
                if let words = Self.promptlessWords(words, options: options, editing: editing) {
                    words
                } else {
                    try PromptInput.resolve(
                        words: words, standardInputIsTerminal: io.terminal.standardInputIsTerminal,
                        readStandardInput: { io.readStandardInput().map { String(decoding: $0, as: UTF8.self) } })
                }
            let prepared = try PreparedGeneration.prepare(
                options, prompt: prompt, index: 0,
                environment: environment, redactor: &redactor, editing: editing)
            if options.output.skipExisting && prepared.plan.isAlreadyWritten {
                var none = BatchCheck()
                none.alreadyWritten = 1
                check = none
            } else {
                if !options.output.dryRun { try prepared.plan.preflight(force: prepared.output.force) }
                check = BatchCheck(single: prepared)
            }
        }
        let reporter = Reporter(standardError: io.standardError, redactor: redactor, quiet: options.output.quiet)
        if let selection, selection.skipped > 0, let joblog = options.joblog {
            let lines = selection.skipped == 1 ? "1 line" : "\(selection.skipped) lines"
            reporter.notice("skipping \(lines) already in the job log \(joblog)")
        }
        if check.alreadyWritten > 0 {
            let lines = check.alreadyWritten == 1 ? "1 line" : "\(check.alreadyWritten) lines"
            reporter.notice(
                style == .single
                    ? "nothing sent: its files exist (--skip-existing)"
                    : "skipping \(lines) whose files exist (--skip-existing)")
        }
        // Where each key came from, never the key: the first thing to check when one is refused.
        if options.output.verbose { for source in check.credentialSources { reporter.notice(source) } }
        for warning in check.warnings { reporter.notice(warning) }

        // --max-cost before anything is sent, dry run included.
        try CostGuard.check(check.totals, maxCost: options.maxCost)

        let redactorNow = redactor
        let prepareAgain: LinePreparer = { preparer.prepareAgain($0, redactor: redactorNow) }
        if options.output.dryRun {
            if let estimate = CostGuard.estimateLine(check.totals) { reporter.notice(estimate) }
            for note in AWSCredentialFetch.dryRunNotes(check.bedrock) { reporter.notice(note) }
            for note in GoogleTokenFetch.dryRunNotes(check.vertex) { reporter.notice(note) }
            var failures: [LineFailure] = []
            var noted: Set<String> = []
            let lines = check.runLines(redactor: redactorNow)
            while let line = lines.next() {
                let ready: PreparedGeneration
                switch line {
                case .prepared(let prepared): ready = prepared
                case .checked(let line, _):
                    switch prepareAgain(line) {
                    case .success(let prepared): ready = prepared
                    case .failure(let failure):
                        failures.append(failure)
                        continue
                    }
                case .failed(let failure):
                    failures.append(failure)
                    continue
                }
                if let note = ready.provider.dryRunNote, noted.insert(note).inserted { reporter.notice(note) }
                for wire in ready.wireRequests {
                    io.standardOutput.write(RequestPrinter.render(wire, redactor: redactor))
                }
            }
            for failure in failures {
                reporter.error(.usage(failure.error.message), context: "line \(failure.index + 1)")
            }
            return failures.first?.error.exitCode ?? 0
        }
        let journal = try options.joblog.map { path throws(ImageGenError) in
            try BatchJournal.Writer(path: path)
        }
        let (status, summary) = try send(
            check, style: style, reporter: reporter, journal: journal, prepare: prepareAgain)
        if style == .batch {
            var summary = summary
            summary.skippedLines = (selection?.skipped ?? 0) + check.alreadyWritten
            report(summary, reporter: reporter)
        }
        guard let failure = journal?.failure else { return status }
        reporter.error(failure)
        return status == 0 ? failure.exitCode : status
    }

    /// The batch's totals: a line on standard error, and with `--json` the
    /// last JSON line on standard output.
    private func report(_ summary: BatchSummary, reporter: Reporter) {
        reporter.notice(summary.text)
        guard options.output.json else { return }
        summary.document.write(pretty: false) { io.standardOutput.write($0) }
        io.standardOutput.write("\n")
    }

    private func send(
        _ check: BatchCheck, style: ResultEmitter.Style, reporter: Reporter, journal: BatchJournal.Writer?,
        prepare: @escaping LinePreparer
    ) throws(ImageGenError) -> (status: Int32, summary: BatchSummary) {
        let settings = TransferSettings(
            timeout: options.connection.timeout ?? 600,
            caCertFile: try options.connection.caCertFile(environment: environment),
            maxFileSize: options.connection.maxFileSize ?? TransferSettings.defaultMaxFileSize)
        let maxRetries = options.connection.maxRetries ?? 2
        let output = options.output
        let drawable = io.terminal.canDrawOnStandardError(environment)
        // The live line, only on a terminal; -v's messages would tear it.
        let progress =
            output.verbose || output.quiet || !drawable
            ? nil
            : ProgressLine(
                colour: environment["NO_COLOR"] == nil,
                columns: io.terminal.standardErrorSize?.columns ?? 80, ticking: true,
                shown: TerminationCleanup.liveLineShown,
                output: { [standardError = io.standardError] in standardError.write($0) })
        let log =
            output.verbose
            ? TransferLog(
                redactor: reporter.redactor, write: { [standardError = io.standardError] in standardError.write($0) })
            : nil
        let concurrency = options.concurrency ?? 4
        let scheduler = TransferScheduler(
            transport: try makeTransport(settings), concurrency: concurrency,
            retryPolicy: RetryPolicy(maxRetries: maxRetries, maxDelay: min(60, settings.timeout)),
            rate: options.rate, log: log, progress: progress)
        let fetched = try AWSCredentialFetch.fetch(
            check.bedrock, scheduler: scheduler, redactor: reporter.redactor, log: log)
        let tokens = try GoogleTokenFetch.fetch(
            check.vertex, scheduler: scheduler, redactor: reporter.redactor, log: log)
        let preview =
            options.preview && drawable
            ? LivePreview(
                TerminalPreview.forStandardError(
                    quiet: output.quiet, environment: environment, terminal: io.terminal,
                    standardError: io.standardError), standardError: io.standardError)
            : nil
        let streamed = check.streamed
        let follower =
            streamed
            ? StreamFollower(
                live: preview, progress: progress, partialDirectory: options.partialDir, json: output.json,
                batch: style == .batch, standardOutput: io.standardOutput, reporter: reporter)
            : nil
        let emitter = ResultEmitter(
            style: style, json: output.json, fields: output.fields, standardOutput: io.standardOutput,
            reporter: reporter, progress: progress, afterImage: preview.map { $0.drawFinal },
            oneLine: streamed)
        var batchFile: String?
        if case .batch(let file) = source { batchFile = file }
        let history = historyRecorder(batchFile: batchFile, redactor: reporter.redactor)
        progress?.begin(images: check.imageCount)
        var remember: (@Sendable (BatchFile.Line) -> Void)?
        if let journal { remember = { journal.remember($0) } }
        let status = GenerationRun(
            scheduler: scheduler, concurrency: concurrency, json: output.json,
            keepWrittenImageData: output.fields?.contains("b64_json") ?? false, emitter: emitter, journal: journal,
            history: history, redactor: reporter.redactor, standardOutput: io.standardOutput,
            follower: follower, maxEventSize: settings.maxFileSize,
            prepare: { line in
                let ready = prepare(line)
                if case .success(let prepared) = ready {
                    AWSCredentialFetch.share(fetched, with: prepared)
                    GoogleTokenFetch.share(tokens, with: prepared)
                }
                return ready
            }
        ).run(check.runLines(redactor: reporter.redactor, onLine: remember))
        progress?.end()
        if let history, let failure = history.writer.failure {
            reporter.notice(
                "cannot write the history \(history.writer.path): \(failure); the images were written, but "
                    + "imagegen history will not list them (--no-history stops trying)")
        }
        return (status, emitter.summary)
    }

    /// Where this run's generations are recorded; nil with `--no-history`
    /// or a configuration's `history = false`, or with no home to keep it in.
    private func historyRecorder(batchFile: String?, redactor: Redactor) -> HistoryRecorder? {
        guard options.history, environment.settings.values["history"]?.value != "false",
            let path = HistoryLog.path(environment: environment)
        else { return nil }
        return HistoryRecorder(
            writer: HistoryLog.Writer(path: path, redactor: redactor), batchFile: batchFile, redactor: redactor)
    }

    /// A task that may go without a prompt (erase, variation, outpaint…)
    /// reads none: its words as they are, refused with the task's other
    /// checks if it takes none. Nil when the prompt is to be read as usual.
    static func promptlessWords(_ words: [String], options: Options, editing: Bool) -> String? {
        guard editing, let task = EditTask.named(options.task ?? EditTask.defaultName), task.prompt != .required,
            words.isEmpty || task.prompt == .none
        else { return nil }
        return words.joined(separator: " ")
    }

    /// The batch read once, into its spool (in `TMPDIR`).
    private func readBatch(_ path: String) throws(ImageGenError) -> BatchSpool {
        let directory = environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        if path == "-" {
            do throws(FileSystem.Failure) {
                return try BatchSpool(directory: directory) { [io] () throws(FileSystem.Failure) in
                    try io.readStandardInputPiece(BatchSpool.pieceSize)
                }
            } catch {
                throw .usage("cannot read the batch from standard input: \(error.message)")
            }
        }
        do throws(FileSystem.Failure) {
            let fd = try FileSystem.openForReading(path)
            defer { try? FileSystem.close(fd) }
            return try BatchSpool(directory: directory) { () throws(FileSystem.Failure) in
                try FileSystem.readChunk(fd, maximum: BatchSpool.pieceSize)
            }
        } catch {
            throw .usage("cannot read batch file \(path): \(error.message)")
        }
    }
}

/// Opens the transport a run sends through: libcurl in the tool, a script in tests.
package typealias TransportFactory = @Sendable (TransferSettings) throws(ImageGenError) -> any Transport
