import ImageGenCore
import ImageGenHTTP

/// Vertex AI (`vertex_ai/MODEL`): `POST {base}/projects/{p}/locations/{l}/
/// publishers/google/models/{m}:generateContent` (or `:predict` for
/// Imagen), the bodies of Google AI Studio, an OAuth bearer token from
/// Application Default Credentials
/// (https://cloud.google.com/vertex-ai/docs/reference/rest/v1/projects.locations.publishers.models/generateContent,
/// checked 2026-11-29). A custom `--api-base` keeps the token: LiteLLM then
/// sends none, which no proxy in front of Vertex AI accepts.
package struct VertexClient: ImageProvider {
    package let kind = ProviderKind.vertexAI
    package let model: String
    package let configuration: VertexConfiguration
    let rule: GoogleImageRule

    package init(model: String, configuration: VertexConfiguration, knowledge: ModelKnowledge) {
        self.model = model
        self.configuration = configuration
        self.rule = knowledge.googleRule ?? GoogleModels.defaultRule(for: model)
    }

    package var secrets: [String] { configuration.secrets + [GoogleTokenProvider.standIn] }

    package var credentialSource: String { configuration.tokens.description }

    package var isOfficialEndpoint: Bool {
        HTTPURL.host(of: configuration.apiBase).hasSuffix("aiplatform.googleapis.com")
    }

    package func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest] {
        if request.edit != nil {
            throw .usage("imagegen edit does not reach Google's models yet; generate with vertex_ai/\(model)")
        }
        let path =
            "projects/\(configuration.project)/locations/\(configuration.location)/publishers/google/models/"
            + "\(HTTPURL.percentEncode(model)):\(rule.api.method)"
        let body = try rule.api.body(for: request, rule: rule)
        let unsent = HTTPRequest(
            method: "POST", url: HTTPURL.join(configuration.apiBase, path),
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json")],
            body: Array(body.text.utf8))
        return [prepareForSending(unsent)]
    }

    /// The token current on this attempt: a retry after a refresh carries the new one.
    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest {
        var sent = request
        sent.headers.removeAll { $0.name.lowercased() == "authorization" }
        sent.headers.insert(
            HTTPHeader("Authorization", "Bearer \(configuration.tokens.token() ?? GoogleTokenProvider.standIn)"), at: 0)
        return sent
    }

    package func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer {
        try rule.api.parse(response, provider: kind)
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = GoogleErrorText.describe(response)
        switch response.status {
        case 401:
            return message + "; the token from \(configuration.tokens.description) was not accepted"
        case 403:
            return message
                + "; check that the account may use Vertex AI in project \(configuration.project) "
                + "(roles/aiplatform.user) and that the Vertex AI API is enabled"
        case 404:
            let guess = ModelCatalogue.suggestion(for: model, provider: kind).map { "did you mean \($0)? " } ?? ""
            return message + "; \(guess)check that \(model) is offered in location \(configuration.location)"
        default:
            return message
        }
    }

    package func errorCode(for response: HTTPResponse) -> String? { GoogleErrorText.status(response) }

    package func isQuotaExhausted(_ response: HTTPResponse) -> Bool { GoogleErrorText.isQuotaExhausted(response) }
}
