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

    /// Every HTTP request needed for `request`, in result order. Models that
    /// make one image per request get one entry per image.
    func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest]

    /// The request as it goes out on this attempt, called before every send,
    /// so a provider whose requests carry a time-limited signature (Bedrock's
    /// SigV4) signs retries and queued requests afresh.
    func prepareForSending(_ request: HTTPRequest) -> HTTPRequest

    /// The images in one successful answer (2xx).
    func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer

    /// The user-facing text of a failed answer (non-2xx): the provider's own
    /// message and code when it sent them.
    func errorMessage(for response: HTTPResponse) -> String
}

extension ImageProvider {
    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest { request }

    /// What a final answer means (SPEC §2 exit codes): the images of a 2xx
    /// JSON answer, or the error to report. `attempts` is how many tries the
    /// scheduler allowed, named when the provider stayed unavailable.
    package func read(
        _ response: HTTPResponse, attempts: Int, redactor: Redactor
    ) throws(ImageGenError) -> ProviderAnswer {
        if (200..<300).contains(response.status) {
            if let type = response.header("content-type"), !type.lowercased().contains("json") {
                throw .badResponse(
                    provider: kind,
                    message: "expected a JSON answer, got Content-Type \(type): "
                        + redactor.redact(ProviderErrorText.excerpt(response.body)))
            }
            return try parseSuccess(response)
        }
        let message = redactor.redact(errorMessage(for: response))
        if RetryPolicy.isRetriable(status: response.status) {
            throw .unavailable(
                provider: kind, status: response.status,
                message: message + " (\(attempts) attempt\(attempts == 1 ? "" : "s"))")
        }
        if (400..<500).contains(response.status) {
            throw .rejected(provider: kind, status: response.status, message: message)
        }
        throw .badResponse(provider: kind, message: "unexpected HTTP \(response.status): \(message)")
    }
}

/// One response's worth of images.
package struct ProviderAnswer: Equatable, Sendable {
    package var created: Int?
    package var images: [GeneratedImage]
    package var usage: JSON?

    package init(created: Int? = nil, images: [GeneratedImage], usage: JSON? = nil) {
        self.created = created
        self.images = images
        self.usage = usage
    }
}

/// Helpers every provider's error parsing shares.
package enum ProviderErrorText {
    /// `error.message` (+ ` (code)`) from an OpenAI-shaped error body, else a
    /// short excerpt of whatever came back.
    static func openAIStyle(_ response: HTTPResponse) -> String {
        if let json = try? JSON.parse(response.body) {
            let error = json["error"]
            let message = error?["message"]?.stringValue ?? json["message"]?.stringValue
            let code = error?["code"]?.stringValue ?? error?["type"]?.stringValue
            if let message, !message.isEmpty {
                if let code, !code.isEmpty, !message.contains(code) { return "\(message) (\(code))" }
                return message
            }
        }
        return excerpt(response.body)
    }

    package static func excerpt(_ body: [UInt8]) -> String {
        if body.isEmpty { return "empty response body" }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        return body.count > 300 ? text + "…" : text
    }
}

/// Fetches image URLs the provider returned. No credentials are sent: the
/// URL may point at a third-party CDN or a signed blob.
package enum ImageDownload {
    package static func request(for url: String) -> HTTPRequest {
        HTTPRequest(method: "GET", url: url, headers: [HTTPHeader("Accept", "image/*")])
    }

    /// The image bytes of a finished download, or why they are not an image.
    package static func bytes(
        _ outcome: consuming TransferOutcome, url: String,
        provider: ProviderKind
    ) throws(ImageGenError) -> [UInt8] {
        let response = try outcome.get()
        let origin = HTTPURL.origin(of: url)
        guard response.status == 200 else {
            throw .badResponse(
                provider: provider,
                message: "downloading the image from \(origin) "
                    + "answered HTTP \(response.status)")
        }
        // An expired or wrong link often answers 200 with an HTML or XML error page.
        if let type = response.header("content-type")?.lowercased(),
            type.hasPrefix("text/") || type.contains("json") || type.contains("xml")
        {
            throw .badResponse(
                provider: provider,
                message: "downloading the image from \(origin) "
                    + "gave \(type), not an image")
        }
        return response.body
    }
}
