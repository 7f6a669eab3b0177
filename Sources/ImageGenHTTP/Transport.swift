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
    /// With `streaming`, a body the receiver takes (see `StreamedBody`) is
    /// handed to it piece by piece as it arrives instead of being held whole,
    /// and the outcome is the answer the receiver makes of it.
    func start(_ request: HTTPRequest, id: Int, streaming: (any StreamedBody)?)

    /// Waits until a transfer finishes, `wake` is called, or the clock
    /// passes `deadline` (nil: no deadline, but a transport may return
    /// early), and returns every transfer that finished.
    func waitForCompletions(until deadline: Double?) -> [(id: Int, outcome: TransferOutcome)]

    /// Ends a wait early: the scheduler has new work.
    func wake()

    /// Unix seconds on the clock the scheduler plans retries with.
    func now() -> Double
}

extension Transport {
    package func start(_ request: HTTPRequest, id: Int) {
        start(request, id: id, streaming: nil)
    }
}

/// Takes a body as it arrives (server-sent events), for one attempt of one
/// request; a retry gets a new one. Called on the transport's loop thread,
/// so it must be quick: anything slow is handed to another thread.
package protocol StreamedBody: AnyObject {
    /// The answer's status and headers are in: whether this body is taken
    /// piecewise. An error answer (or a server that ignored the request to
    /// stream and sent JSON) is declined and held whole as usual.
    func begin(status: Int, headers: [HTTPHeader]) -> Bool

    /// The next piece, cut anywhere. A thrown error ends the transfer at
    /// once and becomes its outcome.
    func receive(_ piece: ArraySlice<UInt8>) throws(ImageGenError)

    /// The transfer ended: the answer the stream amounted to, or why it
    /// amounted to none. `broken` is the transport's reason when the
    /// connection ended before the server finished the body.
    func finish(status: Int, headers: [HTTPHeader], broken: String?) throws(ImageGenError) -> HTTPResponse
}
