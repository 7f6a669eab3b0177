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
        let lines: [Result<PreparedGeneration, LineFailure>]
        let style: ResultEmitter.Style
        var selection: BatchSelection?
        var alreadyWritten = 0
        switch source {
        case .batch(let file):
            style = .batch
            let selected = try BatchSelection(BatchFile.lines(try readBatch(file)), options: options)
            (lines, alreadyWritten) = prepareBatch(selected.lines, redactor: &redactor)
            selection = selected
        case .prompt(let words):
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
                alreadyWritten = 1
                lines = []
            } else {
                if !options.output.dryRun { try prepared.plan.preflight(force: prepared.output.force) }
                lines = [.success(prepared)]
            }
        }
        let reporter = Reporter(standardError: io.standardError, redactor: redactor, quiet: options.output.quiet)
        if let selection, selection.skipped > 0, let joblog = options.joblog {
            let lines = selection.skipped == 1 ? "1 line" : "\(selection.skipped) lines"
            reporter.notice("skipping \(lines) already in the job log \(joblog)")
        }
        if alreadyWritten > 0 {
            let lines = alreadyWritten == 1 ? "1 line" : "\(alreadyWritten) lines"
            reporter.notice(
                style == .single
                    ? "nothing sent: its files exist (--skip-existing)"
                    : "skipping \(lines) whose files exist (--skip-existing)")
        }
        var warned: Set<String> = []
        for case .success(let prepared) in lines {
            if let warning = prepared.lifecycleWarning, warned.insert(warning).inserted { reporter.notice(warning) }
        }

        // --max-cost before anything is sent, dry run included.
        let jobs = lines.compactMap { try? $0.get() }.map { (request: $0.request, knowledge: $0.knowledge) }
        try CostGuard.check(jobs, maxCost: options.maxCost)

        if options.output.dryRun {
            if let estimate = CostGuard.estimateLine(jobs) { reporter.notice(estimate) }
            for note in AWSCredentialFetch.dryRunNotes(bedrockConfigurations(lines)) { reporter.notice(note) }
            for case .success(let prepared) in lines {
                for wire in prepared.wireRequests {
                    io.standardOutput.write(RequestPrinter.render(wire, redactor: redactor))
                }
            }
            for case .failure(let failure) in lines {
                reporter.error(.usage(failure.error.message), context: "line \(failure.index + 1)")
            }
            return firstFailureCode(lines)
        }
        let journal = try options.joblog.map { path throws(ImageGenError) in
            try BatchJournal.Writer(path: path, hashes: selection?.hashes ?? [:])
        }
        let status = try send(
            lines, style: style, reporter: reporter, imageCount: jobs.map(\.request.imageCount).reduce(0, +),
            journal: journal)
        guard let failure = journal?.failure else { return status }
        reporter.error(failure)
        return status == 0 ? failure.exitCode : status
    }

    private func send(
        _ lines: [Result<PreparedGeneration, LineFailure>], style: ResultEmitter.Style,
        reporter: Reporter, imageCount: Int, journal: BatchJournal.Writer?
    ) throws(ImageGenError) -> Int32 {
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
        try AWSCredentialFetch.fetch(
            bedrockConfigurations(lines), scheduler: scheduler, redactor: reporter.redactor, log: log)
        let preview =
            options.preview && drawable
            ? TerminalPreview.forStandardError(
                quiet: output.quiet, environment: environment, terminal: io.terminal,
                standardError: io.standardError)
            : nil
        let emitter = ResultEmitter(
            style: style, json: output.json, standardOutput: io.standardOutput,
            reporter: reporter, progress: progress, afterImage: preview.map { $0.draw })
        progress?.begin(images: imageCount)
        defer { progress?.end() }
        return GenerationRun(
            scheduler: scheduler, concurrency: concurrency, json: output.json, emitter: emitter, journal: journal,
            redactor: reporter.redactor,
            standardOutput: io.standardOutput
        ).run(lines)
    }

    private func bedrockConfigurations(_ lines: [Result<PreparedGeneration, LineFailure>]) -> [BedrockConfiguration] {
        lines.compactMap { try? $0.get() }.compactMap { ($0.provider as? BedrockClient)?.configuration }
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

    private func firstFailureCode(_ lines: [Result<PreparedGeneration, LineFailure>]) -> Int32 {
        for case .failure(let failure) in lines { return failure.error.exitCode }
        return 0
    }

    /// Every selected line prepared up front, so a bad line is reported
    /// (with its number) without stopping the others and before anything
    /// is sent.
    private func prepareBatch(
        _ lines: [BatchFile.Line], redactor: inout Redactor
    ) -> (lines: [Result<PreparedGeneration, LineFailure>], alreadyWritten: Int) {
        var alreadyWritten = 0
        let prepared = lines.compactMap { line -> Result<PreparedGeneration, LineFailure>? in
            do throws(ImageGenError) {
                let (words, lineOptions) = try CommandLineParser.parseBatchLine(line.words.get())
                let merged = options.overridden(by: lineOptions)
                let prompt: String
                if let words = Self.promptlessWords(words, options: merged, editing: editing) {
                    prompt = words
                } else {
                    guard !words.isEmpty else { throw ImageGenError.usage("the line has no \"prompt\"") }
                    prompt = try PromptInput.resolve(
                        words: words, standardInputIsTerminal: true, readStandardInput: { nil })
                }
                let prepared = try PreparedGeneration.prepare(
                    merged, prompt: prompt, index: line.index,
                    environment: environment, redactor: &redactor, editing: editing)
                if prepared.output.skipExisting && prepared.plan.isAlreadyWritten {
                    alreadyWritten += 1
                    return nil
                }
                if !options.output.dryRun { try prepared.plan.preflight(force: prepared.output.force) }
                return .success(prepared)
            } catch {
                return .failure(LineFailure(index: line.index, error: error))
            }
        }
        return (prepared, alreadyWritten)
    }

    private func readBatch(_ path: String) throws(ImageGenError) -> String {
        if path == "-" {
            guard let bytes = io.readStandardInput() else {
                throw .usage("cannot read the batch from standard input")
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        switch FileSystem.readFile(path) {
        case .success(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .failure(let failure): throw .usage("cannot read batch file \(path): \(failure.message)")
        }
    }
}

/// Opens the transport a run sends through: libcurl in the tool, a script in tests.
package typealias TransportFactory = @Sendable (TransferSettings) throws(ImageGenError) -> any Transport
