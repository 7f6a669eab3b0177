import ImageGenCore
import ImageGenHTTP
import ImageGenProviders

/// Temporary AWS credentials, fetched through the run's scheduler before
/// the first Bedrock request (one fetch per distinct source, however many
/// lines use it); later refreshes go through the same scheduler.
enum AWSCredentialFetch {
    /// Returns the providers fetched, for lines prepared later to share.
    @discardableResult
    static func fetch(
        _ configurations: [BedrockConfiguration], scheduler: TransferScheduler, redactor: Redactor,
        log: TransferLog?
    ) throws(ImageGenError) -> [AWSCredentialProvider] {
        var said: Set<String> = []
        var fetched: [AWSCredentialProvider] = []
        for configuration in configurations {
            guard case .temporary(let provider) = configuration.auth else {
                if said.insert(configuration.authSource).inserted {
                    log?.note("AWS credentials from \(configuration.authSource)")
                }
                continue
            }
            if provider.adoptSameOrigin(from: fetched) { continue }
            log?.note("fetching AWS credentials: \(provider.description)")
            let send: AWSCredentialSend = { request, done in
                scheduler.submit(request, priority: .high) { outcome, _ in done(outcome) }
            }
            let keys = try provider.fetch(
                send: send, run: { scheduler.run() },
                onRefresh: { keys in
                    learn(keys, redactor)
                    log?.note("refreshed AWS credentials: \(provider.description)")
                })
            learn(keys, redactor)
            log?.note("AWS credentials from \(provider.description)")
            fetched.append(provider)
        }
        return fetched
    }

    /// A line prepared after the fetch signs with the credentials already
    /// fetched for its source instead of fetching its own.
    static func share(_ fetched: [AWSCredentialProvider], with prepared: PreparedGeneration) {
        guard case .temporary(let provider)? = (prepared.provider as? BedrockClient)?.configuration.auth else { return }
        provider.adoptSameOrigin(from: fetched)
    }

    /// What `--dry-run` says instead of fetching.
    static func dryRunNotes(_ configurations: [BedrockConfiguration]) -> [String] {
        var notes: [String] = []
        for configuration in configurations {
            guard case .temporary(let provider) = configuration.auth else { continue }
            let note = "AWS credentials would come from \(provider.description); not fetched in a dry run"
            if !notes.contains(note) { notes.append(note) }
        }
        return notes
    }

    private static func learn(_ keys: AWSCredentials, _ redactor: Redactor) {
        redactor.learn(keys.accessKeyID)
        redactor.learn(keys.secretAccessKey)
        redactor.learn(keys.sessionToken)
    }
}
