/// The transport plus the retry policy: the one place requests are retried,
/// for generation calls and image downloads of every provider alike.
public struct HTTPClient: Sendable {
    public let transport: any HTTPTransport
    public let settings: TransferSettings
    public let retryPolicy: RetryPolicy
    public let log: Diagnostics

    public init(transport: any HTTPTransport, settings: TransferSettings, retryPolicy: RetryPolicy,
                log: Diagnostics) {
        self.transport = transport
        self.settings = settings
        self.retryPolicy = retryPolicy
        self.log = log
    }

    /// The first answer that is not worth retrying, or the last one when the
    /// retries run out. Throws `.network` when no answer came at all.
    /// `prepare` runs before every attempt: a signed request (Bedrock's SigV4)
    /// is signed afresh there, since a signature is only good for minutes.
    public func send(_ request: HTTPRequest,
                     prepare: (HTTPRequest) -> HTTPRequest = { $0 }) throws(ImageGenError) -> HTTPResponse {
        var retry = 0
        while true {
            let attempt = prepare(request)
            log.request(attempt)
            let started = Clock.now()
            var response: HTTPResponse?
            let reason: String
            do {
                let answer = try transport.send(attempt, settings: settings)
                log.response(answer, seconds: Clock.now() - started)
                guard RetryPolicy.isRetriable(status: answer.status) else { return answer }
                response = answer
                reason = "HTTP \(answer.status)"
            } catch {
                // A stalled server stays stalled: a timeout ends the run instead
                // of multiplying --timeout by the number of attempts.
                guard case .network = error else { throw error }
                reason = error.message
            }
            retry += 1
            guard retry <= retryPolicy.maxRetries else {
                if let response { return response }
                throw ImageGenError.network(reason)
            }
            let wait = retryPolicy.delay(beforeRetry: retry, response: response, now: Clock.now())
            log.verbose("retry \(retry) of \(retryPolicy.maxRetries) for \(HTTPURL.origin(of: request.url)) "
                + "in \(Diagnostics.format(seconds: wait)) s after \(reason)")
            Clock.sleep(seconds: wait)
        }
    }
}
