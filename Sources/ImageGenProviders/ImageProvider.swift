import ImageGenCore
import ImageGenHTTP
/// A provider turns a request into wire requests and wire answers into images.
/// It never sends anything itself: `Generator` does, so retries, `--dry-run`
/// and `-v` work the same for every provider.
package protocol ImageProvider: Sendable {
    var kind: ProviderKind { get }
    /// The model name as sent (prefix removed).
    var model: String { get }
    /// Secrets this provider will send, for the redactor.
    var secrets: [String] { get }

    /// Every HTTP request needed for `request`, in result order. Models that
    /// make one image per request get one entry per image.
    func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest]

    /// The request as it goes out on this attempt. `Generator` calls it before
    /// every send, so a provider whose requests carry a time-limited signature
    /// (Bedrock's SigV4) signs retries and queued requests afresh.
    func prepareForSending(_ request: HTTPRequest) -> HTTPRequest

    /// The images in one successful answer (2xx).
    func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer

    /// The user-facing text of a failed answer (non-2xx): the provider's own
    /// message and code when it sent them.
    func errorMessage(for response: HTTPResponse) -> String
}

extension ImageProvider {
    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest { request }
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

    static func excerpt(_ body: [UInt8]) -> String {
        if body.isEmpty { return "empty response body" }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        return body.count > 300 ? text + "…" : text
    }
}
