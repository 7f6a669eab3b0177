import ImageGenCore
import ImageGenHTTP

/// Temporary credentials for one run (a `RefreshingCredential`): requests
/// are signed afresh on every attempt, with what is here.
package final class AWSCredentialProvider: Sendable, Equatable, SharedRunCredential {
    /// How long before expiry a new set is fetched: the SDKs refresh within
    /// 5 to 15 minutes of it.
    package static let refreshWindow = 600.0
    package static let retryDelay = 30.0

    package let source: AWSCredentialSource
    package let context: AWSCredentialContext
    /// The chain link that chose `source`, for `-v`: `AWS_WEB_IDENTITY_TOKEN_FILE`,
    /// `profile 'dev' in ~/.aws/config`, `instance metadata`.
    package let link: String
    /// Set when instance metadata is the chain's last resort: its absence
    /// means nothing was configured, a configuration error, not a network one.
    package let unconfiguredHint: String?
    private let now: @Sendable () -> Double
    private let credential: RefreshingCredential<AWSCredentials>

    package init(
        source: AWSCredentialSource, context: AWSCredentialContext, link: String,
        unconfiguredHint: String? = nil, now: @escaping @Sendable () -> Double = Clock.now
    ) {
        self.unconfiguredHint = unconfiguredHint
        self.source = source
        self.context = context
        self.link = link
        self.now = now
        credential = RefreshingCredential(
            refreshWindow: AWSCredentialProvider.refreshWindow, retryDelay: AWSCredentialProvider.retryDelay, now: now)
    }

    package static func == (lhs: AWSCredentialProvider, rhs: AWSCredentialProvider) -> Bool { lhs === rhs }

    /// Whether two providers would fetch the same credentials (a batch's lines share one fetch).
    package func sameOrigin(as other: AWSCredentialProvider) -> Bool {
        source == other.source && context == other.context
    }

    /// What `-v` and `--dry-run` say about where the credentials come from.
    package var description: String { "\(link): \(source.summary)" }

    /// The credentials to sign with now, or nil before `fetch` succeeded.
    /// Starts a background refresh when they are about to expire.
    package func credentials() -> AWSCredentials? {
        credential.current()
    }

    /// The first fetch: `send` queues on the run's scheduler and `run` drives
    /// it until every request is answered. `onRefresh` learns each later set
    /// (so its secrets are masked too).
    package func fetch(
        send: @escaping AWSCredentialSend, run: () -> Void,
        onRefresh: @escaping @Sendable (AWSCredentials) -> Void = { _ in }
    ) throws(ImageGenError) -> AWSCredentials {
        let fetch: RefreshingCredential<AWSCredentials>.Fetch = { [source, context, now, description] done in
            source.fetch(context: context, now: now, send: send) { outcome in
                done(
                    AWSCredentialProvider.checked(outcome, from: description).map {
                        .init($0.credentials, expiration: $0.expiration)
                    })
            }
        }
        switch credential.fetchFirst(fetch, run: run, onRefresh: onRefresh) {
        case .success(let keys):
            return keys
        case .failure(let error):
            if let unconfiguredHint, case .network(let text) = error {
                throw .configuration("\(unconfiguredHint) (\(text))")
            }
            throw error
        case nil:
            throw .internal("the credential requests never finished")
        }
    }

    /// Shares the credentials (and their refreshes) of another provider of the same origin.
    package func adopt(_ other: AWSCredentialProvider) {
        credential.adopt(other.credential)
    }

    /// Credentials go into headers (the key id, the session token) or sign
    /// them: a server's control character must not reach the wire.
    static func checked(
        _ outcome: Result<TemporaryCredentials, ImageGenError>, from description: String
    ) -> Result<TemporaryCredentials, ImageGenError> {
        guard case .success(let fetched) = outcome else { return outcome }
        let keys = fetched.credentials
        let values = [keys.accessKeyID, keys.secretAccessKey] + [keys.sessionToken].compactMap { $0 }
        guard values.contains(where: AWSCredentialSource.unsafe) else { return outcome }
        return .failure(
            .badResponse(
                provider: .bedrock, message: "\(description) handed out credentials with a control character"))
    }
}
