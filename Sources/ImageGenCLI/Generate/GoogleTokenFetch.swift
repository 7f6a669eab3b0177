import ImageGenCore
import ImageGenHTTP
import ImageGenProviders

/// Google access tokens for Vertex AI, fetched through the run's scheduler
/// before the first request (one fetch per distinct credential source,
/// however many lines use it); refreshes go through the same scheduler.
enum GoogleTokenFetch {
    /// Returns the providers fetched, for lines prepared later to share.
    @discardableResult
    static func fetch(
        _ configurations: [VertexConfiguration], scheduler: TransferScheduler, redactor: Redactor,
        log: TransferLog?
    ) throws(ImageGenError) -> [GoogleTokenProvider] {
        var fetched: [GoogleTokenProvider] = []
        for configuration in configurations {
            let provider = configuration.tokens
            if provider.adoptSameOrigin(from: fetched) { continue }
            log?.note("fetching a Google access token: \(provider.description)")
            let send: GoogleTokenSend = { request, done in
                scheduler.submit(request, priority: .high) { outcome, _ in done(outcome) }
            }
            _ = try provider.fetch(
                send: send, run: { scheduler.run() }, learn: { secret in redactor.learn(secret) })
            log?.note("Google access token from \(provider.description)")
            fetched.append(provider)
        }
        return fetched
    }

    /// A line prepared after the fetch sends the token already fetched for
    /// its source instead of fetching its own.
    static func share(_ fetched: [GoogleTokenProvider], with prepared: PreparedGeneration) {
        (prepared.provider as? VertexClient)?.configuration.tokens.adoptSameOrigin(from: fetched)
    }

    /// What `--dry-run` says instead of fetching.
    static func dryRunNotes(_ configurations: [VertexConfiguration]) -> [String] {
        var notes: [String] = []
        for configuration in configurations {
            let note =
                "a Google access token would come from \(configuration.tokens.description); not fetched in a dry run"
            if !notes.contains(note) { notes.append(note) }
        }
        return notes
    }
}
