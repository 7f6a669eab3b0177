import ImageGenCore
import ImageGenHTTP
import Synchronization

/// Temporary credentials for one run: fetched once through the run's
/// scheduler before the first Bedrock request, kept in memory only, and
/// fetched again in the background while a long batch goes on, before they
/// expire (requests are signed afresh on every attempt, with what is here).
package final class AWSCredentialProvider: Sendable, Equatable {
    /// How long before expiry a new set is fetched: the SDKs refresh within
    /// 5 to 15 minutes of it; requests meanwhile use the old, still valid set.
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
    /// Replaced by `adopt`, so that providers of the same origin (one per
    /// batch line) share one set and one refresh.
    private let shared = Mutex(Cache())
    private var cache: Cache { shared.withLock { $0 } }

    private final class Cache: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var current: TemporaryCredentials?
        var send: AWSCredentialSend?
        var refreshing = false
        /// After a failed refresh: not before this time, or a broken endpoint
        /// would be asked again before every request of the batch.
        var nextAttempt = 0.0
        var onRefresh: (@Sendable (AWSCredentials) -> Void)?
    }

    package init(
        source: AWSCredentialSource, context: AWSCredentialContext, link: String,
        unconfiguredHint: String? = nil, now: @escaping @Sendable () -> Double = Clock.now
    ) {
        self.unconfiguredHint = unconfiguredHint
        self.source = source
        self.context = context
        self.link = link
        self.now = now
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
        let (current, refresh) = cache.state.withLock { state -> (AWSCredentials?, AWSCredentialSend?) in
            guard let current = state.current else { return (nil, nil) }
            let time = now()
            guard let expiration = current.expiration, !state.refreshing, let send = state.send,
                expiration - time < AWSCredentialProvider.refreshWindow, time >= state.nextAttempt
            else { return (current.credentials, nil) }
            state.refreshing = true
            return (current.credentials, send)
        }
        if let refresh { fetchAgain(send: refresh) }
        return current
    }

    /// The first fetch: `send` queues on the run's scheduler and `run` drives
    /// it until every request is answered. `onRefresh` learns each later set
    /// (so its secrets are masked too).
    package func fetch(
        send: @escaping AWSCredentialSend, run: () -> Void,
        onRefresh: @escaping @Sendable (AWSCredentials) -> Void = { _ in }
    ) throws(ImageGenError) -> AWSCredentials {
        let result = Mutex<Result<TemporaryCredentials, ImageGenError>?>(nil)
        source.fetch(context: context, now: now, send: send) { [description] outcome in
            let checked = AWSCredentialProvider.checked(outcome, from: description)
            result.withLock { $0 = checked }
        }
        run()
        switch result.withLock({ $0 }) {
        case .success(let fetched):
            cache.state.withLock {
                $0.current = fetched
                $0.send = send
                $0.onRefresh = onRefresh
            }
            return fetched.credentials
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
        let cache = other.shared.withLock { $0 }
        shared.withLock { $0 = cache }
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

    /// A failed refresh keeps the old set: it is still valid for a while, and
    /// a request `retryDelay` seconds later tries again.
    private func fetchAgain(send: @escaping AWSCredentialSend) {
        source.fetch(context: context, now: now, send: send) { [self] fetched in
            let outcome = AWSCredentialProvider.checked(fetched, from: description)
            let notify = cache.state.withLock { state -> (@Sendable (AWSCredentials) -> Void)? in
                state.refreshing = false
                guard case .success(let fresh) = outcome else {
                    state.nextAttempt = now() + AWSCredentialProvider.retryDelay
                    return nil
                }
                state.current = fresh
                return state.onRefresh
            }
            if case .success(let fresh) = outcome { notify?(fresh.credentials) }
        }
    }
}
