import ImageGenCore
import ImageGenHTTP

/// OpenRouter's `GET /models?output_modalities=image`: the models that
/// draw (https://openrouter.ai/docs/api-reference/list-available-models,
/// checked 2026-11-29). Each entry has an `id` (`VENDOR/MODEL`) and its
/// `architecture.output_modalities`, checked again here in case a proxy
/// ignores the filter.
package struct OpenRouterModelList: ModelListing {
    package let kind = ProviderKind.openrouter
    package let hosted: HostedEndpoint

    package init(endpoint: HostedEndpoint) {
        self.hosted = endpoint
    }

    package var endpoint: String { hosted.apiBase }

    package var isOfficialEndpoint: Bool { HTTPURL.host(of: hosted.apiBase) == "openrouter.ai" }
    package var region: String? { nil }
    package var secrets: [String] { [hosted.apiKey] }

    package func request() -> HTTPRequest {
        HTTPRequest(
            method: "GET", url: HTTPURL.join(hosted.apiBase, "models?output_modalities=image"),
            headers: [
                HTTPHeader("Authorization", "Bearer \(hosted.apiKey)"), HTTPHeader("Accept", "application/json"),
            ])
    }

    package func models(in answer: JSON) throws(ImageGenError) -> [LiveModel] {
        try OpenAIModelList.entries(of: answer, provider: kind).compactMap { id, item in
            if let outputs = item["architecture"]?["output_modalities"]?.arrayValue,
                !outputs.contains(where: { $0.stringValue == "image" })
            {
                return nil
            }
            // An `expiration_date` is OpenRouter's announced removal.
            let expires = item["expiration_date"].flatMap { $0.isNull ? nil : $0 }
            let lifecycle: Lifecycle =
                expires.map { .deprecated(shutdown: ListedDate.parse($0), replacement: nil) } ?? .active
            return LiveModel(id: id, lifecycle: lifecycle)
        }
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = ProviderErrorText.openAIStyle(response)
        return response.status == 401 ? message + "; check OPENROUTER_API_KEY or --api-key" : message
    }

    package func errorCode(for response: HTTPResponse) -> String? { ProviderErrorText.openAICode(response) }
}
