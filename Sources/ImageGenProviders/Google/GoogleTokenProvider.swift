import ImageGenCore
import ImageGenHTTP
import Synchronization

/// Sends one request through the run's scheduler; the answer comes back later.
package typealias GoogleTokenSend = @Sendable (HTTPRequest, @escaping @Sendable (TransferOutcome) -> Void) -> Void

/// A Google access token for one run: fetched once through the run's
/// scheduler before the first Vertex AI request, kept in memory only, and
/// fetched again in the background before it expires (every request
/// attempt takes the token current at that moment).
package final class GoogleTokenProvider: Sendable, Equatable {
    /// How long before expiry a new token is fetched. Google's client
    /// libraries refresh a few minutes early; requests meanwhile use the
    /// old, still valid token.
    package static let refreshWindow = 300.0
    package static let retryDelay = 30.0
    /// What a request carries before the fetch (`--dry-run`): a stand-in the
    /// redactor masks like a real token.
    package static let standIn = "ya29.not-fetched-in-a-dry-run"

    package let source: GoogleCredentialSource
    /// Where the chain found `source` (`--vertex-credentials`,
    /// `GOOGLE_APPLICATION_CREDENTIALS`, `the gcloud credentials file`…).
    package let link: String
    /// Set when the metadata server is the chain's last resort: its absence
    /// means nothing was configured, a configuration error.
    package let unconfiguredHint: String?
    private let now: @Sendable () -> Double
    private let shared = Mutex(Cache())
    private var cache: Cache { shared.withLock { $0 } }

    private final class Cache: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var current: GoogleAccessToken?
        var send: GoogleTokenSend?
        var refreshing = false
        var nextAttempt = 0.0
        var learn: (@Sendable (String) -> Void)?
    }

    package init(
        source: GoogleCredentialSource, link: String, unconfiguredHint: String? = nil,
        now: @escaping @Sendable () -> Double = Clock.now
    ) {
        self.source = source
        self.link = link
        self.unconfiguredHint = unconfiguredHint
        self.now = now
    }

    package static func == (lhs: GoogleTokenProvider, rhs: GoogleTokenProvider) -> Bool { lhs === rhs }

    package func sameOrigin(as other: GoogleTokenProvider) -> Bool { source == other.source }

    /// What `-v` and `--dry-run` say about where the token comes from.
    package var description: String { "\(link): \(source.summary)" }

    /// The token to send now, or nil before `fetch` succeeded. Starts a
    /// background refresh when it is about to expire.
    package func token() -> String? {
        let (current, refresh) = cache.state.withLock { state -> (String?, GoogleTokenSend?) in
            guard let current = state.current else { return (nil, nil) }
            let time = now()
            guard !state.refreshing, let send = state.send,
                current.expiration - time < GoogleTokenProvider.refreshWindow, time >= state.nextAttempt
            else { return (current.token, nil) }
            state.refreshing = true
            return (current.token, send)
        }
        if let refresh { fetchAgain(send: refresh) }
        return current
    }

    /// The first fetch: `send` queues on the run's scheduler and `run` drives
    /// it until answered. `learn` is told every secret the exchange makes
    /// (assertions, tokens, later ones too), so the redactor masks them.
    package func fetch(
        send: @escaping GoogleTokenSend, run: () -> Void, learn: @escaping @Sendable (String) -> Void
    ) throws(ImageGenError) -> String {
        let result = Mutex<Result<GoogleAccessToken, ImageGenError>?>(nil)
        exchange(send: send, learn: learn) { outcome in result.withLock { $0 = outcome } }
        run()
        switch result.withLock({ $0 }) {
        case .success(let fetched):
            cache.state.withLock {
                $0.current = fetched
                $0.send = send
                $0.learn = learn
            }
            return fetched.token
        case .failure(let error):
            if let unconfiguredHint, case .network(let text) = error {
                throw .configuration("\(unconfiguredHint) (\(text))")
            }
            throw error
        case nil:
            throw .internal("the Google token request never finished")
        }
    }

    /// Shares the token (and its refreshes) of another provider of the same origin.
    package func adopt(_ other: GoogleTokenProvider) {
        let cache = other.shared.withLock { $0 }
        shared.withLock { $0 = cache }
    }

    private func exchange(
        send: GoogleTokenSend, learn: @escaping @Sendable (String) -> Void,
        done: @escaping @Sendable (Result<GoogleAccessToken, ImageGenError>) -> Void
    ) {
        let request: HTTPRequest
        do {
            request = try source.request(now: now(), learn: learn)
        } catch {
            return done(.failure(error))
        }
        send(request) { [source, now] outcome in
            let token = source.token(from: outcome, now: now())
            if case .success(let fresh) = token { learn(fresh.token) }
            done(token)
        }
    }

    /// A failed refresh keeps the old token: it is still valid for a while,
    /// and a request `retryDelay` seconds later tries again.
    private func fetchAgain(send: @escaping GoogleTokenSend) {
        let known = cache.state.withLock { $0.learn }
        let learn: @Sendable (String) -> Void = known ?? { _ in }
        exchange(send: send, learn: learn) { [self] outcome in
            cache.state.withLock { state in
                state.refreshing = false
                switch outcome {
                case .success(let fresh): state.current = fresh
                case .failure: state.nextAttempt = now() + GoogleTokenProvider.retryDelay
                }
            }
        }
    }
}
