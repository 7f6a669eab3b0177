import ImageGenCore
import ImageGenHTTP

/// Google AI Studio's `GET {base}/models` (https://ai.google.dev/api/models,
/// checked 2026-11-29): every model the key may use, 1000 at most per page
/// (one page is asked for; there are far fewer). The list carries no
/// shutdown dates, so a listed model is active and one missing from it is
/// gone.
package struct GeminiModelList: ModelListing {
    package let kind = ProviderKind.gemini
    package let configuration: GeminiConfiguration

    package init(configuration: GeminiConfiguration) {
        self.configuration = configuration
    }

    package var endpoint: String { configuration.apiBase }
    package var isOfficialEndpoint: Bool {
        HTTPURL.host(of: configuration.apiBase) == "generativelanguage.googleapis.com"
    }
    package var region: String? { nil }
    package var secrets: [String] { [configuration.apiKey] }

    package func request() -> HTTPRequest {
        HTTPRequest(
            method: "GET", url: HTTPURL.join(configuration.apiBase, "models?pageSize=1000"),
            headers: [HTTPHeader("x-goog-api-key", configuration.apiKey), HTTPHeader("Accept", "application/json")])
    }

    /// Image models: Imagen (`predict`) and Gemini models whose name says
    /// image; the list has no output-modality field.
    package func models(in answer: JSON) throws(ImageGenError) -> [LiveModel] {
        guard let items = answer["models"]?.arrayValue else {
            throw .badResponse(provider: kind, message: "the model list has no \"models\" array")
        }
        var models: [LiveModel] = []
        for (index, item) in items.enumerated() {
            guard var name = item["name"]?.stringValue, !name.isEmpty else {
                throw .badResponse(provider: kind, message: "models[\(index)] of the model list has no \"name\"")
            }
            if name.hasPrefix("models/") { name.removeFirst("models/".count) }
            let methods = item["supportedGenerationMethods"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let image = name.hasPrefix("imagen") || (name.contains("image") && methods.contains("generateContent"))
            guard image, !name.unicodeScalars.contains(where: HTTPURL.isUnsafe) else { continue }
            models.append(LiveModel(id: name, lifecycle: .active))
        }
        return models
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = GoogleErrorText.describe(response)
        return (400..<404).contains(response.status) ? message + "; check GEMINI_API_KEY or --api-key" : message
    }

    package func errorCode(for response: HTTPResponse) -> String? { GoogleErrorText.status(response) }
}
