import ImageGenCore
import ImageGenHTTP

package typealias GoogleTokenSend = CredentialSend

/// A Google access token for one run (a `RefreshingCredential`): every
/// request attempt takes the token current at that moment.
package final class GoogleTokenProvider: Sendable, Equatable, SharedRunCredential {
    /// How long before expiry a new token is fetched: Google's client
    /// libraries refresh a few minutes early.
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
    private let credential: RefreshingCredential<String>

    package init(
        source: GoogleCredentialSource, link: String, unconfiguredHint: String? = nil,
        now: @escaping @Sendable () -> Double = Clock.now
    ) {
        self.source = source
        self.link = link
        self.unconfiguredHint = unconfiguredHint
        self.now = now
        credential = RefreshingCredential(
            refreshWindow: GoogleTokenProvider.refreshWindow, retryDelay: GoogleTokenProvider.retryDelay, now: now)
    }

    package static func == (lhs: GoogleTokenProvider, rhs: GoogleTokenProvider) -> Bool { lhs === rhs }

    package func sameOrigin(as other: GoogleTokenProvider) -> Bool { source == other.source }

    /// What `-v` and `--dry-run` say about where the token comes from.
    package var description: String { "\(link): \(source.summary)" }

    /// The token to send now, or nil before `fetch` succeeded. Starts a
    /// background refresh when it is about to expire.
    package func token() -> String? {
        credential.current()
    }

    /// The first fetch: `send` queues on the run's scheduler and `run` drives
    /// it until answered. `learn` is told every secret the exchange makes
    /// (assertions, tokens, later ones too), so the redactor masks them.
    package func fetch(
        send: @escaping GoogleTokenSend, run: () -> Void, learn: @escaping @Sendable (String) -> Void
    ) throws(ImageGenError) -> String {
        let exchange: RefreshingCredential<String>.Fetch = { [source, now] done in
            let request: HTTPRequest
            do throws(ImageGenError) {
                request = try source.request(now: now(), learn: learn)
            } catch {
                return done(.failure(error))
            }
            send(request) { outcome in
                let token = source.token(from: outcome, now: now())
                if case .success(let fresh) = token { learn(fresh.token) }
                done(token.map { .init($0.token, expiration: $0.expiration) })
            }
        }
        switch credential.fetchFirst(exchange, run: run) {
        case .success(let token):
            return token
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
        credential.adopt(other.credential)
    }
}
