import ImageGenCore
import ImageGenHTTP

/// Vertex AI's Model Garden list of Google's publisher models, `GET
/// {host}/v1beta1/publishers/google/models` (only in v1beta1:
/// https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/publishers.models/list,
/// checked 2026-11-29). It gives each model's launch stage but no shutdown
/// dates: a listed model is active.
package struct VertexModelList: ModelListing {
    package let kind = ProviderKind.vertexAI
    package let configuration: VertexConfiguration

    package init(configuration: VertexConfiguration) {
        self.configuration = configuration
    }

    /// The list's base: the generation base with its `/v1` made `/v1beta1`.
    package var endpoint: String {
        var base = configuration.apiBase
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base + "/v1beta1"
    }

    package var isOfficialEndpoint: Bool { HTTPURL.host(of: endpoint).hasSuffix("aiplatform.googleapis.com") }
    package var region: String? { nil }
    package var secrets: [String] { configuration.secrets + [GoogleTokenProvider.standIn] }

    package func request() -> HTTPRequest {
        HTTPRequest(
            method: "GET", url: HTTPURL.join(endpoint, "publishers/google/models?pageSize=1000"),
            headers: [HTTPHeader("Accept", "application/json")])
    }

    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest {
        var sent = request
        sent.headers.removeAll { $0.name.lowercased() == "authorization" }
        sent.headers.insert(
            HTTPHeader("Authorization", "Bearer \(configuration.tokens.token() ?? GoogleTokenProvider.standIn)"),
            at: 0)
        return sent
    }

    /// Image models by name: Imagen, and Gemini models whose name says image.
    package func models(in answer: JSON) throws(ImageGenError) -> [LiveModel] {
        guard let items = answer["publisherModels"]?.arrayValue else {
            throw .badResponse(provider: kind, message: "the model list has no \"publisherModels\" array")
        }
        var models: [LiveModel] = []
        for (index, item) in items.enumerated() {
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw .badResponse(provider: kind, message: "publisherModels[\(index)] has no \"name\"")
            }
            let id = name.split(separator: "/").last.map(String.init) ?? name
            guard id.hasPrefix("imagen") || (id.hasPrefix("gemini") && id.contains("image")),
                !id.unicodeScalars.contains(where: HTTPURL.isUnsafe)
            else { continue }
            models.append(LiveModel(id: id, lifecycle: .active))
        }
        return models
    }

    package func errorMessage(for response: HTTPResponse) -> String { GoogleErrorText.describe(response) }

    package func errorCode(for response: HTTPResponse) -> String? { GoogleErrorText.status(response) }
}
