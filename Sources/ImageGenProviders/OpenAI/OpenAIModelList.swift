import ImageGenCore
import ImageGenHTTP

/// OpenAI's `GET /models` (and a compatible server's): every model the key
/// may use, an announced shutdown as `shutdown_date`.
package struct OpenAIModelList: ModelListing {
    package let kind = ProviderKind.openai
    package let configuration: OpenAIConfiguration

    package init(configuration: OpenAIConfiguration) {
        self.configuration = configuration
    }

    package var endpoint: String { configuration.apiBase }
    package var isOfficialEndpoint: Bool { HTTPURL.host(of: configuration.apiBase) == "api.openai.com" }
    package var region: String? { nil }
    package var secrets: [String] { [configuration.apiKey] }

    /// OpenAI lists chat, audio and embedding models too; a compatible
    /// server's names say nothing, so there every model is kept.
    static let imagePrefixes = ["gpt-image", "chatgpt-image", "dall-e"]

    package func request() -> HTTPRequest {
        var headers = [
            HTTPHeader("Authorization", "Bearer \(configuration.apiKey)"), HTTPHeader("Accept", "application/json"),
        ]
        if let organization = configuration.organization {
            headers.append(HTTPHeader("OpenAI-Organization", organization))
        }
        return HTTPRequest(method: "GET", url: HTTPURL.join(configuration.apiBase, "models"), headers: headers)
    }

    package func models(in answer: JSON) throws(ImageGenError) -> [LiveModel] {
        guard let items = answer["data"]?.arrayValue else {
            throw .badResponse(provider: kind, message: "the model list has no \"data\" array")
        }
        var models: [LiveModel] = []
        for (index, item) in items.enumerated() {
            guard let id = item["id"]?.stringValue, !id.isEmpty else {
                throw .badResponse(provider: kind, message: "data[\(index)] of the model list has no \"id\"")
            }
            guard !isOfficialEndpoint || Self.imagePrefixes.contains(where: { id.hasPrefix($0) }) else { continue }
            // A shutdown_date that is not a date still says a shutdown is coming.
            let announced = item["shutdown_date"].map { !$0.isNull } ?? false
            let lifecycle: Lifecycle =
                announced ? .deprecated(shutdown: ListedDate.parse(item["shutdown_date"]), replacement: nil) : .active
            models.append(LiveModel(id: id, lifecycle: lifecycle))
        }
        return models
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = ProviderErrorText.openAIStyle(response)
        return response.status == 401 ? message + "; check OPENAI_API_KEY or --api-key" : message
    }

    package func errorCode(for response: HTTPResponse) -> String? {
        ProviderErrorText.openAICode(response)
    }
}
