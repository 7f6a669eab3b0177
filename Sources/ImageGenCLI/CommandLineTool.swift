import Glibc
import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import SignalShim

/// The whole tool as a library: arguments, environment and I/O in, exit
/// status out. Every error a command throws becomes text and an exit code
/// here, through the one `Reporter`; the executable only wires the process
/// to `processMain`, and tests call `main` with buffers and a scripted transport.
package enum CommandLineTool {
    /// The process's own streams, environment and libcurl; signals set up so
    /// a closed stdout is an error to report and Ctrl-C leaves no partial file.
    package static func processMain(arguments: [String]) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        // Answer bodies of megabytes come from mmap and go back to the system
        // when freed: left to glibc's moving threshold they stay in the heap,
        // and a long batch's peak drifts up (3000 lines of 1.4 MB images at
        // --concurrency 16: 59 MiB with this, 64 MiB without).
        ig_mmap_allocations_from(256 * 1024)
        TerminationCleanup.install()
        var io = ProcessIO.standard()
        io.readSecretLine = { [standardError = io.standardError] prompt in
            SecretPrompt.readLine(prompt: prompt, standardError: standardError)
        }
        return main(arguments: arguments, environment: .current(), io: io)
    }

    package static func main(
        arguments: [String], environment: Environment, io: ProcessIO,
        makeTransport: @escaping TransportFactory = { settings throws(ImageGenError) in
            try CurlTransport(settings: settings)
        }
    ) -> Int32 {
        var redactor = Redactor(environment: environment)
        var status: Int32
        do {
            status = try run(
                arguments, environment: environment, io: io, makeTransport: makeTransport,
                redactor: &redactor)
        } catch {
            Reporter(standardError: io.standardError, redactor: redactor).error(error)
            status = error.exitCode
        }
        // Paths of images already written were lost with a closed pipe
        // (`imagegen … | head -1`): say so, unless an error was reported already.
        if status == 0, let failure = io.standardOutput.firstFailure {
            let error = ImageGenError.write("cannot write to standard output: \(failure.message)")
            Reporter(standardError: io.standardError, redactor: redactor).error(error)
            status = error.exitCode
        }
        return status
    }

    private static func run(
        _ arguments: [String], environment: Environment, io: ProcessIO,
        makeTransport: @escaping TransportFactory,
        redactor: inout Redactor
    ) throws(ImageGenError) -> Int32 {
        // A bare `imagegen` typed at a terminal gets a short usage instead of
        // the "no prompt" error meant for scripts.
        if arguments.isEmpty && io.terminal.standardInputIsTerminal {
            io.standardError.write(HelpText.shortUsage)
            return 2
        }
        var environment = environment
        var command = try CommandLineParser.parse(arguments)
        if let options = command.settingsReader {
            // The file's settings go under the command line's options: the
            // same parser reads the arguments again on top of them.
            let settings: Options
            do {
                (settings, environment) = try Configuration.load(options, environment: environment)
            } catch {
                // As for any run that fails before a line is reported: `--json` still gets its document.
                if options.output.json, command.isGeneration {
                    ResultDocument.report(.failed(index: 0, error), index: nil, redactor: redactor)
                        .write(pretty: command.isSingleGeneration) { io.standardOutput.write($0) }
                    io.standardOutput.write("\n")
                }
                throw error
            }
            if settings != Options() { command = try CommandLineParser.parse(arguments, settings: settings) }
        }
        switch command {
        case .help:
            io.standardOutput.write(HelpText.render())
            return 0
        case .version:
            io.standardOutput.write(ImageGenVersion.line + "\n")
            return 0
        case .completions(let shell):
            io.standardOutput.write(Completions.script(shell))
            return 0
        case .inspect(let files, let json, let fields):
            return InspectCommand(
                files: files, json: json, fields: fields, io: io,
                reporter: Reporter(standardError: io.standardError, redactor: redactor)
            ).run()
        case .history(let query):
            return try HistoryCommand(
                query: query, environment: environment, io: io,
                reporter: Reporter(standardError: io.standardError, redactor: redactor, quiet: query.quiet)
            ).run()
        case .config(let action, let options):
            return try ConfigCommand(action: action, options: options, environment: environment, io: io).run()
        case .keys(let action, let options):
            return try KeysCommand(action: action, options: options, environment: environment, io: io).run()
        case .models(let options):
            return try ModelsCommand(
                options: options, environment: environment, io: io, makeTransport: makeTransport
            ).run(redactor: &redactor)
        case .generate(let words, let options):
            return try GenerateCommand(
                source: .prompt(words: words), options: options, environment: environment,
                io: io, makeTransport: makeTransport
            ).run(redactor: &redactor)
        case .batch(let file, let options):
            return try GenerateCommand(
                source: .batch(file: file), options: options, environment: environment,
                io: io, makeTransport: makeTransport
            ).run(redactor: &redactor)
        case .edit(let words, let options):
            return try GenerateCommand(
                source: .prompt(words: words), options: options, environment: environment,
                io: io, makeTransport: makeTransport, editing: true
            ).run(redactor: &redactor)
        case .editBatch(let file, let options):
            return try GenerateCommand(
                source: .batch(file: file), options: options, environment: environment,
                io: io, makeTransport: makeTransport, editing: true
            ).run(redactor: &redactor)
        }
    }
}

extension Command {
    /// The options of a command that reads the configuration file's settings.
    fileprivate var settingsReader: Options? {
        switch self {
        case .generate(_, let options), .batch(_, let options), .edit(_, let options), .editBatch(_, let options),
            .models(let options):
            return options
        case .inspect, .history, .completions, .config, .keys, .help, .version:
            return nil
        }
    }

    fileprivate var isGeneration: Bool {
        switch self {
        case .generate, .batch, .edit, .editBatch: return true
        default: return false
        }
    }

    /// One document, pretty-printed; a batch prints JSON Lines.
    fileprivate var isSingleGeneration: Bool {
        switch self {
        case .generate, .edit: return true
        default: return false
        }
    }
}
