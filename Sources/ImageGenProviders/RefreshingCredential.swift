import ImageGenCore
import ImageGenHTTP
import Synchronization

/// Sends one request through the run's scheduler; the answer comes back later.
package typealias CredentialSend = @Sendable (HTTPRequest, @escaping @Sendable (TransferOutcome) -> Void) -> Void

/// A credential that lives for one run — AWS's temporary credentials,
/// Google's access tokens: fetched once before the first request, kept in
/// memory only, and fetched again in the background while a long batch goes
/// on, `refreshWindow` seconds before it expires. Requests meanwhile use the
/// old one, still valid; a failed refresh keeps it and is tried again
/// `retryDelay` seconds later, not before every request of the batch.
package final class RefreshingCredential<Value: Sendable>: Sendable {
    package struct Expiring: Sendable {
        package var value: Value
        /// Unix seconds; nil for a credential that does not expire.
        package var expiration: Double?

        package init(_ value: Value, expiration: Double?) {
            self.value = value
            self.expiration = expiration
        }
    }

    /// Starts one fetch, which answers once.
    package typealias Fetch = @Sendable (@escaping @Sendable (Result<Expiring, ImageGenError>) -> Void) -> Void

    private let refreshWindow: Double
    private let retryDelay: Double
    private let now: @Sendable () -> Double
    /// Replaced by `adopt`, so that credentials of the same origin (one per
    /// batch line) share one value and one refresh.
    private let shared = Mutex(Cache())
    private var cache: Cache { shared.withLock { $0 } }

    private final class Cache: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var current: Expiring?
        var fetch: Fetch?
        var refreshing = false
        var nextAttempt = 0.0
        var onRefresh: (@Sendable (Value) -> Void)?
    }

    package init(refreshWindow: Double, retryDelay: Double, now: @escaping @Sendable () -> Double) {
        self.refreshWindow = refreshWindow
        self.retryDelay = retryDelay
        self.now = now
    }

    /// The value to use now, or nil before the first fetch succeeded. Starts
    /// a background refresh when it is about to expire.
    package func current() -> Value? {
        let cache = cache
        let (value, refresh) = cache.state.withLock { state -> (Value?, Fetch?) in
            guard let current = state.current else { return (nil, nil) }
            let time = now()
            guard let expiration = current.expiration, !state.refreshing, let fetch = state.fetch,
                expiration - time < refreshWindow, time >= state.nextAttempt
            else { return (current.value, nil) }
            state.refreshing = true
            return (current.value, fetch)
        }
        if let refresh { fetchAgain(refresh, into: cache) }
        return value
    }

    /// The first fetch, answered while `run` drives the run's scheduler; nil
    /// when it never answered. `fetch` is kept for the refreshes, whose
    /// values `onRefresh` learns.
    package func fetchFirst(
        _ fetch: @escaping Fetch, run: () -> Void, onRefresh: @escaping @Sendable (Value) -> Void = { _ in }
    ) -> Result<Value, ImageGenError>? {
        let result = Mutex<Result<Expiring, ImageGenError>?>(nil)
        fetch { outcome in result.withLock { $0 = outcome } }
        run()
        guard let outcome = result.withLock({ $0 }) else { return nil }
        if case .success(let fetched) = outcome {
            cache.state.withLock {
                $0.current = fetched
                $0.fetch = fetch
                $0.onRefresh = onRefresh
            }
        }
        return outcome.map(\.value)
    }

    /// Shares the value (and its refreshes) of another credential of the same origin.
    package func adopt(_ other: RefreshingCredential) {
        let cache = other.cache
        shared.withLock { $0 = cache }
    }

    private func fetchAgain(_ fetch: Fetch, into cache: Cache) {
        fetch { [now, retryDelay] outcome in
            let notify = cache.state.withLock { state -> (@Sendable (Value) -> Void)? in
                state.refreshing = false
                guard case .success(let fresh) = outcome else {
                    state.nextAttempt = now() + retryDelay
                    return nil
                }
                state.current = fresh
                return state.onRefresh
            }
            if case .success(let fresh) = outcome { notify?(fresh.value) }
        }
    }
}

/// A provider of a run's credential that lines of the same origin share:
/// each batch line has its own, and all but the first adopt the first's.
package protocol SharedRunCredential: AnyObject {
    func sameOrigin(as other: Self) -> Bool
    func adopt(_ other: Self)
}

extension SharedRunCredential {
    /// Takes on the credential of the first of `fetched` with the same
    /// origin; whether there was one.
    @discardableResult
    package func adoptSameOrigin(from fetched: [Self]) -> Bool {
        guard let same = fetched.first(where: { $0 === self || $0.sameOrigin(as: self) }) else { return false }
        if same !== self { adopt(same) }
        return true
    }
}
