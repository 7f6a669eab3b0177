import ImageGenCore
import ImageGenHTTP

/// OpenAI's `GET /models` (and a compatible server's: Nscale's, a
/// Xinference server's): every model the key may use, an announced shutdown
/// as `shutdown_date`.
package struct OpenAIModelList: ModelListing {
    package let kind: ProviderKind
    package let configuration: OpenAIConfiguration
    /// The variable a 401 suggests checking.
    let keyVariable: String

    package init(
        configuration: OpenAIConfiguration, kind: ProviderKind = .openai, keyVariable: String = "OPENAI_API_KEY"
    ) {
        self.configuration = configuration
        self.kind = kind
        self.keyVariable = keyVariable
    }

    package var endpoint: String { configuration.apiBase }
    package var isOfficialEndpoint: Bool {
        kind == .openai && HTTPURL.host(of: configuration.apiBase) == "api.openai.com"
    }
    package var region: String? { nil }
    package var secrets: [String] { [configuration.apiKey] }

    /// OpenAI lists chat, audio and embedding models too; a compatible
    /// server's names say nothing, so there every model is kept.
    static let imagePrefixes = ["gpt-image", "chatgpt-image", "dall-e"]

    package func request() -> HTTPRequest {
        // A local server without a key gets no Authorization header, as its generations do.
        var headers =
            configuration.apiKey.isEmpty ? [] : [HTTPHeader("Authorization", "Bearer \(configuration.apiKey)")]
        headers.append(HTTPHeader("Accept", "application/json"))
        if let organization = configuration.organization {
            headers.append(HTTPHeader("OpenAI-Organization", organization))
        }
        return HTTPRequest(method: "GET", url: HTTPURL.join(configuration.apiBase, "models"), headers: headers)
    }

    package func models(in answer: JSON) throws(ImageGenError) -> [LiveModel] {
        try Self.entries(of: answer, provider: kind).compactMap { id, item in
            guard !isOfficialEndpoint || Self.imagePrefixes.contains(where: { id.hasPrefix($0) }) else { return nil }
            // Xinference says what each running model is (`model_type`: LLM,
            // embedding, image…); a server that says so is believed.
            if let type = item["model_type"]?.stringValue, type.lowercased() != "image" { return nil }
            // A shutdown_date that is not a date still says a shutdown is coming.
            let announced = item["shutdown_date"].map { !$0.isNull } ?? false
            let lifecycle: Lifecycle =
                announced ? .deprecated(shutdown: ListedDate.parse(item["shutdown_date"]), replacement: nil) : .active
            return LiveModel(id: id, lifecycle: lifecycle)
        }
    }

    /// The `data` array of an OpenAI-shaped model list (OpenAI's, Azure's),
    /// each entry with its `id`; a list without either is a bad answer.
    static func entries(of answer: JSON, provider: ProviderKind) throws(ImageGenError) -> [(id: String, item: JSON)] {
        guard let items = answer["data"]?.arrayValue else {
            throw .badResponse(provider: provider, message: "the model list has no \"data\" array")
        }
        var entries: [(id: String, item: JSON)] = []
        for (index, item) in items.enumerated() {
            guard let id = item["id"]?.stringValue, !id.isEmpty else {
                throw .badResponse(provider: provider, message: "data[\(index)] of the model list has no \"id\"")
            }
            entries.append((id, item))
        }
        return entries
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = ProviderErrorText.openAIStyle(response)
        return response.status == 401 ? message + "; check \(keyVariable) or --api-key" : message
    }

    package func errorCode(for response: HTTPResponse) -> String? {
        ProviderErrorText.openAICode(response)
    }
}
