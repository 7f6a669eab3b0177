import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
import Glibc
import SignalShim

/// The whole run: arguments → `GenerationRequest`s → provider → results →
/// output. This is the one place errors become text and exit codes.
package enum CommandLineTool {
    package static func main(arguments: [String]) -> Int32 {
        // A closed stdout (`imagegen … | head`) must be an error we can report, not a signal.
        signal(SIGPIPE, SIG_IGN)
        ig_install_termination_cleanup()
        let environment = Environment.current()
        var redactor = Redactor(environment: environment)
        if let status = EarlyCommand.run(arguments, standardInputIsTerminal: isatty(0) == 1) { return status }
        do {
            switch try CommandLineParser.parse(arguments) {
            case .help:
                StandardStreams.writeOutput(HelpText.render())
                return 0
            case .version:
                StandardStreams.writeOutput(ImageGenVersion.line + "\n")
                return 0
            case .run(let options):
                redactor.add(options.connection)
                return try run(options, environment: environment, redactor: &redactor)
            }
        } catch {
            report(error, redactor: redactor)
            return error.exitCode
        }
    }

    static func report(_ error: ImageGenError, redactor: Redactor) {
        StandardStreams.writeError("imagegen: " + redactor.redact(error.message) + "\n")
    }

    static func run(_ options: Options, environment: Environment,
                    redactor: inout Redactor) throws(ImageGenError) -> Int32 {
        // Nothing is generated, so no prompt or credentials are needed.
        if let files = options.inspectFiles { return FileInspection.run(files, json: options.output.json) }
        let lines: [Result<PreparedGeneration, LineFailure>]
        let style: ResultEmitter.Style
        if let batchFile = options.batchFile {
            style = .batch
            lines = prepareBatch(try readBatch(batchFile), options: options, environment: environment,
                                 redactor: &redactor)
        } else {
            style = .single
            let prompt = try PromptInput.resolve(
                words: options.promptWords,
                standardInputIsTerminal: isatty(0) == 1,
                readStandardInput: StandardStreams.readAllInput)
            let prepared = try PreparedGeneration.prepare(options, prompt: prompt, index: 0,
                                                          environment: environment, redactor: &redactor)
            if !options.output.dryRun { try prepared.plan.preflight(force: prepared.output.force) }
            lines = [.success(prepared)]
        }

        // --max-cost before anything is sent, dry run included.
        let jobs = lines.compactMap { try? $0.get().costJob }
        try CostGuard.check(jobs, maxCost: options.maxCost)

        if options.output.dryRun {
            if !options.output.quiet, let estimate = CostGuard.estimateLine(jobs) {
                StandardStreams.writeError("imagegen: \(estimate)\n")
            }
            for case .success(let prepared) in lines {
                for wire in prepared.wireRequests {
                    StandardStreams.writeOutput(RequestPrinter.render(wire, redactor: redactor))
                }
            }
            for case .failure(let failure) in lines {
                report(.usage("line \(failure.index + 1): \(failure.error.message)"), redactor: redactor)
            }
            return firstFailureCode(lines)
        }

        let log = Diagnostics(verbose: options.output.verbose, quiet: options.output.quiet, redactor: redactor)
        let settings = TransferSettings(timeout: options.connection.timeout ?? 600,
                                        caCertFile: try caCertFile(options.connection, environment: environment))
        let maxRetries = options.connection.maxRetries ?? 2
        // The live line, only on a terminal; -v's messages would tear it.
        let progress = options.output.verbose ? nil
            : ProgressLine.forStandardError(quiet: options.output.quiet, environment: environment)
        let retryPolicy = RetryPolicy(maxRetries: maxRetries, maxDelay: min(60, settings.timeout))
        let engine = try TransferEngine(concurrency: options.concurrency ?? 4, settings: settings,
                                        retryPolicy: retryPolicy, log: log, progress: progress)
        let preview = options.preview
            ? TerminalPreview.forStandardError(quiet: options.output.quiet, environment: environment) : nil
        let emitter = ResultEmitter(style: style, json: options.output.json, redactor: redactor, progress: progress,
                                    preview: preview)
        progress?.begin(images: jobs.map(\.request.imageCount).reduce(0, +))
        defer { progress?.end() }
        return Runner(engine: engine, emitter: emitter, redactor: redactor, attempts: maxRetries + 1).run(lines)
    }

    static func firstFailureCode(_ lines: [Result<PreparedGeneration, LineFailure>]) -> Int32 {
        for case .failure(let failure) in lines { return failure.error.exitCode }
        return 0
    }

    /// Every line prepared up front, so a bad line is reported (with its
    /// number) without stopping the others and before anything is sent.
    static func prepareBatch(_ text: String, options: Options, environment: Environment,
                             redactor: inout Redactor) -> [Result<PreparedGeneration, LineFailure>] {
        BatchFile.lines(text).map { line in
            do throws(ImageGenError) {
                guard case .run(let lineOptions) = try CommandLineParser.parse(line.words.get()) else {
                    throw .usage("a batch line cannot ask for --help or --version")
                }
                let merged = options.overridden(by: lineOptions)
                let prompt = try PromptInput.resolve(words: merged.promptWords, standardInputIsTerminal: true,
                                                     readStandardInput: { nil })
                let prepared = try PreparedGeneration.prepare(merged, prompt: prompt, index: line.index,
                                                              environment: environment, redactor: &redactor)
                if !options.output.dryRun { try prepared.plan.preflight(force: prepared.output.force) }
                return .success(prepared)
            } catch {
                return .failure(LineFailure(index: line.index, error: error))
            }
        }
    }

    static func readBatch(_ path: String) throws(ImageGenError) -> String {
        if path == "-" {
            guard let text = StandardStreams.readAllInput() else { throw .usage("cannot read the batch from standard input") }
            return text
        }
        guard let text = FileSystem.readText(path) else {
            throw .usage("cannot read batch file \(path): \(FileSystem.describe(errno))")
        }
        return text
    }

    static func caCertFile(_ connection: ConnectionOptions, environment: Environment) throws(ImageGenError) -> String? {
        guard let file = environment.resolve(flag: connection.caCert, flagName: "--cacert",
                                             variables: ["CURL_CA_BUNDLE", "SSL_CERT_FILE"]) else { return nil }
        guard access(file.value, R_OK) == 0 else {
            let text = "\(file.source) names '\(file.value)', which cannot be read"
            throw file.fromFlag ? .usage(text) : .configuration(text)
        }
        return file.value
    }
}

extension StandardStreams {
    /// All of standard input, or nil when it cannot be read.
    package static func readAllInput() -> String? {
        FileSystem.readAll(fd: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}
