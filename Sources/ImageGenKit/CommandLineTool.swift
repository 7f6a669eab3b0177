import Glibc
import SignalShim

/// The whole run: arguments → `GenerationRequest` → provider → `GenerationResult`
/// → output. This is the one place errors become text and exit codes.
public enum CommandLineTool {
    public static func main(arguments: [String]) -> Int32 {
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
                StandardStreams.writeOutput("imagegen \(ImageGenVersion.current)\n")
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
        try refuseUnsupported(options)
        let prompt = try PromptInput.resolve(
            words: options.promptWords,
            standardInputIsTerminal: isatty(0) == 1,
            readStandardInput: StandardStreams.readAllInput)
        let model = options.model ?? environment["IMAGEGEN_MODEL"] ?? Router.defaultModel
        let route = Router.route(model: model, provider: options.provider)
        let request = GenerationRequest(
            prompt: prompt, model: model, n: options.n, size: options.size, quality: options.quality,
            style: options.style, responseFormat: options.responseFormat, user: options.user,
            extraParams: options.params.map { ($0.key, $0.value) })

        try ProviderRegistry.checkLocally(request, route: route)
        let plan = try OutputPlan(output: options.output, request: request)
        let provider = try ProviderRegistry.makeClient(for: route, connection: options.connection,
                                                       environment: environment)
        for secret in provider.secrets { redactor.add(secret) }
        let requests = try provider.makeRequests(for: request)
        try CostGuard.check(request, route: route, maxCost: options.maxCost)  // issue 7: before anything is sent

        if options.output.dryRun {
            if !options.output.quiet, let line = CostGuard.estimateLine(request, route: route) {
                StandardStreams.writeError("imagegen: \(line)\n")
            }
            for wire in requests {
                StandardStreams.writeOutput(RequestPrinter.render(wire, redactor: redactor))
            }
            return 0
        }
        try plan.preflight(force: options.output.force)

        let log = Diagnostics(verbose: options.output.verbose, quiet: options.output.quiet, redactor: redactor)
        let settings = TransferSettings(timeout: options.connection.timeout ?? 600,
                                        caCertFile: try caCertFile(options.connection, environment: environment))
        let retryPolicy = RetryPolicy(maxRetries: options.connection.maxRetries ?? 2,
                                      maxDelay: min(60, settings.timeout))
        let client = HTTPClient(transport: CurlTransport(), settings: settings, retryPolicy: retryPolicy, log: log)
        // issue 7: the live line; the engine of issue 6 reports requests and retries itself.
        let progress = options.output.verbose ? nil
            : ProgressLine.forStandardError(quiet: options.output.quiet, environment: environment)
        progress?.begin(images: request.imageCount)
        progress?.requestStarted()
        let (result, failures) = Generator(provider: provider, client: client).generate(requests)
        progress?.requestFinished()
        let download = Downloader(client: client, provider: route.provider.rawValue)
        let metadata = options.output.noMetadata ? nil : ImageMetadata(
            prompt: prompt, model: result.model, provider: result.provider,
            parameters: ImageMetadata.parameters(of: request), created: result.created)
        let written = OutputStage.process(result, plan: plan, options: options.output, metadata: metadata,
                                          download: download.fetch)
        for outcome in written { progress?.imageFinished(succeeded: outcome.error == nil) }
        progress?.end()

        var errors = failures
        errors += written.compactMap { $0.error }
        if failures.isEmpty, result.images.count < request.imageCount {
            errors.append(.badResponse(provider: route.provider.rawValue,
                                       message: "asked for \(request.imageCount) images, got \(result.images.count)"))
        }
        if options.output.json {
            if !result.images.isEmpty || errors.isEmpty {
                let cost = PriceTable.cost(of: result, request: request, route: route)
                StandardStreams.writeOutput(ResultDocument.make(result, outcomes: written, costMicros: cost).prettyText + "\n")
            }
        } else {
            for line in OutputStage.plainLines(written) { StandardStreams.writeOutput(line + "\n") }
        }
        for error in errors { report(error, redactor: redactor) }
        return errors.first?.exitCode ?? 0
    }

    /// Options whose issues have not landed yet parse, but say so instead of
    /// silently doing nothing.
    static func refuseUnsupported(_ options: Options) throws(ImageGenError) {
        let pending: [(Bool, String)] = [
            (options.batchFile != nil, "--batch"),
            (options.inspectFiles != nil, "--inspect"),
            (options.preview, "--preview"),
        ]
        if let (_, name) = pending.first(where: { $0.0 }) {
            throw .usage("\(name) is not supported yet in this version")
        }
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

/// Fetches image URLs the provider returned. No credentials are sent: the
/// URL may point at a third-party CDN or a signed blob.
struct Downloader: Sendable {
    let client: HTTPClient
    let provider: String

    func fetch(_ url: String) throws(ImageGenError) -> [UInt8] {
        let request = HTTPRequest(method: "GET", url: url, headers: [HTTPHeader("Accept", "image/*")])
        let response = try client.send(request)
        let origin = HTTPURL.origin(of: url)
        guard response.status == 200 else {
            throw .badResponse(provider: provider, message: "downloading the image from \(origin) "
                + "answered HTTP \(response.status)")
        }
        // An expired or wrong link often answers 200 with an HTML or XML error page.
        if let type = response.header("content-type")?.lowercased(),
           type.hasPrefix("text/") || type.contains("json") || type.contains("xml") {
            throw .badResponse(provider: provider, message: "downloading the image from \(origin) "
                + "gave \(type), not an image")
        }
        return response.body
    }
}

extension StandardStreams {
    /// All of standard input, or nil when it cannot be read.
    public static func readAllInput() -> String? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
