import ImageGenCore

/// How one transfer ended: the answer, or the transport failure that ended it.
package typealias TransferOutcome = Result<HTTPResponse, ImageGenError>

/// What carries requests to servers: libcurl in the tool (`CurlTransport`),
/// a script in tests. It only moves bytes; which request goes when, retries
/// and backoff are the `TransferScheduler`'s, so every transport gets the
/// same policy. `start` and `waitForCompletions` are called from the
/// scheduler's loop thread only; `wake` from any thread.
package protocol Transport: AnyObject, Sendable {
    /// Starts sending `request`. Its outcome, tagged with `id`, comes back
    /// from a later `waitForCompletions`, even when it could not start.
    func start(_ request: HTTPRequest, id: Int)

    /// Waits until a transfer finishes, `wake` is called, or the clock
    /// passes `deadline` (nil: no deadline, but a transport may return
    /// early), and returns every transfer that finished.
    func waitForCompletions(until deadline: Double?) -> [(id: Int, outcome: TransferOutcome)]

    /// Ends a wait early: the scheduler has new work.
    func wake()

    /// Unix seconds on the clock the scheduler plans retries with.
    func now() -> Double
}
