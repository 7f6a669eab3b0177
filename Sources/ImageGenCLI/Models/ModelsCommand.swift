import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders
import Synchronization

/// `imagegen models [--live] [--json] [--provider NAME]`: the catalogue as
/// it stands today, or, with `--live`, the provider's own list merged with
/// it, fetched with a generation's credentials and transport and then
/// cached so that later generations know what the provider said.
struct ModelsCommand {
    let options: Options
    let environment: Environment
    let io: ProcessIO
    let makeTransport: TransportFactory

    func run(redactor: inout Redactor) throws(ImageGenError) -> Int32 {
        redactor.add(options.connection)
        let today = CalendarDate.today(environment)
        guard options.live else {
            show(ModelCatalogue.rows(for: options.provider), today: today)
            let reporter = Reporter(standardError: io.standardError, redactor: redactor, quiet: options.output.quiet)
            if options.provider == .azure {
                reporter.notice(
                    "Azure deployments serve these OpenAI models on Azure's own schedule; "
                        + "imagegen models --live --provider azure shows it")
            }
            if !options.output.json {
                reporter.notice(
                    "this catalogue was checked on \(ModelCatalogue.checked); "
                        + "imagegen models --live asks the provider for its current list")
            }
            return 0
        }

        let provider = options.provider ?? .openai
        let lister = try ModelListers.make(for: provider, connection: options.connection, environment: environment)
        for secret in lister.secrets { redactor.add(secret) }
        let reporter = Reporter(standardError: io.standardError, redactor: redactor, quiet: options.output.quiet)
        if options.output.dryRun {
            if let bedrock = lister as? BedrockModelList {
                for note in AWSCredentialFetch.dryRunNotes([bedrock.configuration]) { reporter.notice(note) }
            }
            if let vertex = lister as? VertexModelList {
                for note in GoogleTokenFetch.dryRunNotes([vertex.configuration]) { reporter.notice(note) }
            }
            io.standardOutput.write(
                RequestPrinter.render(lister.prepareForSending(lister.request()), redactor: redactor))
            return 0
        }
        let live = try fetch(lister, redactor: redactor)
        let list = LiveModelList(
            provider: provider, endpoint: lister.endpoint, official: lister.isOfficialEndpoint,
            region: lister.region, fetchedAt: Int(Clock.now()), fetchedOn: today,
            models: ModelCatalogue.completed(live, provider: provider))
        show(ModelCatalogue.merge(live, provider: provider, official: lister.isOfficialEndpoint), today: today)

        // The list was printed: a cache that cannot be written costs only the
        // next run's knowledge, so it is said but does not fail the command.
        do throws(ImageGenError) {
            if let path = try ModelCache.write(list, environment: environment) {
                reporter.notice(
                    "\(live.count) image model\(live.count == 1 ? "" : "s") listed by "
                        + "\(HTTPURL.origin(of: lister.endpoint)); their life cycle is cached in \(path)")
            } else {
                reporter.notice("not cached: neither XDG_CACHE_HOME nor HOME names a directory")
            }
        } catch {
            reporter.notice(error.message)
        }
        return 0
    }

    private func show(_ rows: [ModelRow], today: CalendarDate) {
        if options.output.json {
            ModelsOutput.json(rows, today: today).write(pretty: true) { io.standardOutput.write($0) }
            io.standardOutput.write("\n")
        } else {
            io.standardOutput.write(ModelsOutput.table(rows, today: today))
        }
    }

    /// One GET through the scheduler, with a generation's retries, time
    /// limit, answer size limit, certificates and `-v` log.
    private func fetch(_ lister: any ModelListing, redactor: Redactor) throws(ImageGenError) -> [LiveModel] {
        let settings = TransferSettings(
            timeout: options.connection.timeout ?? 600,
            caCertFile: try options.connection.caCertFile(environment: environment),
            maxFileSize: options.connection.maxFileSize ?? TransferSettings.defaultMaxFileSize)
        let log =
            options.output.verbose
            ? TransferLog(redactor: redactor, write: { [standardError = io.standardError] in standardError.write($0) })
            : nil
        let scheduler = TransferScheduler(
            transport: try makeTransport(settings), concurrency: 1,
            retryPolicy: RetryPolicy(
                maxRetries: options.connection.maxRetries ?? 2, maxDelay: min(60, settings.timeout)),
            log: log)
        if let bedrock = lister as? BedrockModelList {
            try AWSCredentialFetch.fetch([bedrock.configuration], scheduler: scheduler, redactor: redactor, log: log)
        }
        if let vertex = lister as? VertexModelList {
            try GoogleTokenFetch.fetch([vertex.configuration], scheduler: scheduler, redactor: redactor, log: log)
        }
        let answer = Mutex<(outcome: TransferOutcome, attempts: Int)?>(nil)
        scheduler.submit(lister.request(), prepare: lister.prepareForSending) { outcome, attempts in
            let final = outcome
            answer.withLock { $0 = (final, attempts) }
        }
        scheduler.run()
        guard let (outcome, attempts) = answer.withLock({ $0 }) else {
            throw .internal("the model list request never finished")
        }
        switch outcome {
        case .failure(let error): throw error
        case .success(let response): return try lister.read(response, attempts: attempts, redactor: redactor)
        }
    }
}
