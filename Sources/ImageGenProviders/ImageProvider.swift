import ImageGenCore
import ImageGenHTTP

/// A provider turns a request into wire requests and wire answers into images.
/// It never sends anything itself: the scheduler does, so retries,
/// `--dry-run` and `-v` work the same for every provider.
package protocol ImageProvider: Sendable {
    var kind: ProviderKind { get }
    /// The model name as sent (prefix removed).
    var model: String { get }
    /// Secrets this provider will send, for the redactor.
    var secrets: [String] { get }
    /// Where the key or credentials came from (`OPENAI_API_KEY_FILE /run/secrets/k`),
    /// never the key itself: what `-v` says.
    var credentialSource: String { get }
    /// Whether requests go to the provider's own service (not a compatible
    /// server or a proxy): only there do its model names and life cycle apply.
    var isOfficialEndpoint: Bool { get }

    /// Every HTTP request needed for `request`, in result order. Models that
    /// make one image per request get one entry per image.
    func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest]

    /// The request as it goes out on this attempt, called before every send,
    /// so a provider whose requests carry a time-limited signature (Bedrock's
    /// SigV4) signs retries and queued requests afresh.
    func prepareForSending(_ request: HTTPRequest) -> HTTPRequest

    /// The images in one successful answer (2xx).
    func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer

    /// The same, for a provider whose answer depends on the request it
    /// answers (a task submitted, then polled); by default `parseSuccess`.
    func parseSuccess(_ response: HTTPResponse, to request: HTTPRequest) throws(ImageGenError) -> ProviderAnswer

    /// The user-facing text of a failed answer (non-2xx): the provider's own
    /// message and code when it sent them.
    func errorMessage(for response: HTTPResponse) -> String

    /// The provider's own error code in a failed answer, if it sent one.
    func errorCode(for response: HTTPResponse) -> String?

    /// Whether a failed answer says the account is out of quota or credit:
    /// a 429 that waiting never cures, so it is not retried.
    func isQuotaExhausted(_ response: HTTPResponse) -> Bool

    /// What `--dry-run` cannot show as a request: requests that depend on
    /// an answer (a task's polls). Empty for most providers.
    var dryRunNote: String? { get }
    /// The receiver of one attempt's streamed answer (`--stream`), which
    /// hands each partial image to `onPartial` as it arrives and makes the
    /// final image an answer `parseSuccess` reads like any other; nil for a
    /// provider that does not stream.
    func makeStream(maxEventSize: Int, onPartial: @escaping @Sendable (PartialImage) -> Void) -> (any StreamedBody)?
}

extension ImageProvider {
    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest { request }

    package func parseSuccess(
        _ response: HTTPResponse, to request: HTTPRequest
    ) throws(ImageGenError) -> ProviderAnswer {
        try parseSuccess(response)
    }

    package func errorCode(for response: HTTPResponse) -> String? { nil }

    package func isQuotaExhausted(_ response: HTTPResponse) -> Bool { false }

    package var dryRunNote: String? { nil }
    package func makeStream(
        maxEventSize: Int, onPartial: @escaping @Sendable (PartialImage) -> Void
    ) -> (any StreamedBody)? { nil }

    /// Whether an answer is worth another attempt: a transient status that
    /// is not an exhausted quota.
    package func isRetryable(_ response: HTTPResponse) -> Bool {
        RetryPolicy.isRetriable(status: response.status) && !isQuotaExhausted(response)
    }

    /// What a final answer means (SPEC §2 exit codes): the images of a 2xx
    /// JSON answer, or the error to report. `attempts` is how many tries the
    /// scheduler allowed, named when the provider stayed unavailable.
    package func read(
        _ response: HTTPResponse, to request: HTTPRequest? = nil, attempts: Int, redactor: Redactor
    ) throws(ImageGenError) -> ProviderAnswer {
        if (200..<300).contains(response.status) {
            if let type = response.header("content-type"), !type.lowercased().contains("json") {
                throw .badResponse(
                    provider: kind,
                    message: "expected a JSON answer, got Content-Type \(type): "
                        + redactor.redact(ProviderErrorText.excerpt(response.body)))
            }
            if let request { return try parseSuccess(response, to: request) }
            return try parseSuccess(response)
        }
        throw ImageGenError.failedAnswer(
            provider: kind, status: response.status, message: redactor.redact(errorMessage(for: response)),
            code: errorCode(for: response), attempts: attempts, quotaExhausted: isQuotaExhausted(response))
    }
}

/// One response's worth of images.
package struct ProviderAnswer: Equatable, Sendable {
    package var created: Int?
    package var images: [GeneratedImage]
    package var usage: JSON?
    /// Set when the answer is a task still under way: no images yet, poll again.
    package var pending: PendingTask?

    package init(created: Int? = nil, images: [GeneratedImage], usage: JSON? = nil, pending: PendingTask? = nil) {
        self.created = created
        self.images = images
        self.usage = usage
        self.pending = pending
    }
}

/// A task the provider is still working on (Black Forest Labs answers a
/// submission with a URL to poll): the request that asks again, how long to
/// wait before it, and how long the whole task may take (`--timeout`).
/// Polling belongs to the generation that submitted the task: its retries,
/// progress line and cost are that generation's.
package struct PendingTask: Equatable, Sendable {
    package var poll: HTTPRequest
    package var after: Double
    package var limit: Double
    /// The provider's word for the state (`Pending`) and the task's id, for messages.
    package var status: String
    package var task: String
    /// What the submission said it costs, carried to the task's final answer.
    package var usage: JSON?

    package init(
        poll: HTTPRequest, after: Double, limit: Double, status: String, task: String, usage: JSON? = nil
    ) {
        self.poll = poll
        self.after = after
        self.limit = limit
        self.status = status
        self.task = task
        self.usage = usage
    }
}

extension ImageGenError {
    /// What a provider's final non-2xx answer stands for, with SPEC §2's
    /// exit codes: a spent quota and other 4xx are the caller's to fix, a
    /// 429 or 5xx that outlasted the retries is the provider's.
    package static func failedAnswer(
        provider: ProviderKind, status: Int, message: String, code: String?, attempts: Int, quotaExhausted: Bool
    ) -> ImageGenError {
        if quotaExhausted {
            return .rejected(
                provider: provider, status: status,
                message: message + "; the account is out of quota or credit: check its plan and billing "
                    + "(not retried: waiting does not help)", code: code)
        }
        if RetryPolicy.isRetriable(status: status) {
            return .unavailable(
                provider: provider, status: status,
                message: message + " (\(attempts) attempt\(attempts == 1 ? "" : "s"))", code: code)
        }
        if (400..<500).contains(status) {
            return .rejected(provider: provider, status: status, message: message, code: code)
        }
        return .badResponse(provider: provider, message: "unexpected HTTP \(status): \(message)")
    }
}
