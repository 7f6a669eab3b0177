import ImageGenCore
import ImageGenHTTP

/// The identifier a provider gives each request, which its support asks
/// for; the history keeps it beside the generation it made.
package enum RequestID {
    /// Response headers carrying it, first found wins:
    /// - OpenAI: `x-request-id` ("Unique identifier for this API request (used
    ///   in troubleshooting)", https://developers.openai.com/api/reference/overview,
    ///   checked 2026-11-29); Azure OpenAI answers with the same header.
    /// - Azure API Management in front of Azure OpenAI: `apim-request-id`.
    /// - AWS (Bedrock Runtime): `x-amzn-RequestId`, which the AWS SDKs read
    ///   into a result's request id (aws-sdk-cpp's generated results, checked 2026-11-29).
    static let headers = ["x-request-id", "apim-request-id", "x-amzn-requestid"]

    /// Longest kept: identifiers are tens of characters; more is not one.
    static let maximumLength = 200

    /// The response's request id, if it sent a plausible one (printable
    /// ASCII without spaces: it is someone else's text going into a file).
    package static func of(_ response: HTTPResponse) -> String? {
        for name in headers {
            guard let value = response.header(name), !value.isEmpty, value.utf8.count <= maximumLength,
                value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            else { continue }
            return value
        }
        return nil
    }
}
