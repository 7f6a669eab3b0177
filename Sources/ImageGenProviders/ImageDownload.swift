import ImageGenCore
import ImageGenHTTP

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
