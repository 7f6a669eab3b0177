import ImageGenCore
import ImageGenHTTP

/// Google AI Studio, the Gemini API (`gemini/MODEL`): `POST
/// {base}/models/{model}:generateContent` for Gemini image models,
/// `:predict` for Imagen, the key in an `x-goog-api-key` header.
/// https://ai.google.dev/api (authentication: "every request … must include
/// an x-goog-api-key header"), checked 2026-11-29. The key is never put in
/// the URL's `?key=`, where logs and proxies would keep it.
package struct GeminiClient: ImageProvider {
    package let kind = ProviderKind.gemini
    package let model: String
    package let configuration: GeminiConfiguration
    let rule: GoogleImageRule

    package init(model: String, configuration: GeminiConfiguration, knowledge: ModelKnowledge) {
        self.model = model
        self.configuration = configuration
        self.rule = knowledge.googleRule ?? GoogleModels.defaultRule(for: model)
    }

    package var secrets: [String] { [configuration.apiKey] }

    package var credentialSource: String { configuration.keySource }

    package var isOfficialEndpoint: Bool {
        HTTPURL.host(of: configuration.apiBase) == "generativelanguage.googleapis.com"
    }

    package func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest] {
        if request.edit != nil {
            throw .usage("imagegen edit does not reach Google's models yet; generate with gemini/\(model)")
        }
        let url = HTTPURL.join(
            configuration.apiBase, "models/\(HTTPURL.percentEncode(model)):\(rule.api.method)")
        let body = try rule.api.body(for: request, rule: rule)
        return [
            HTTPRequest(
                method: "POST", url: url,
                headers: [
                    HTTPHeader("x-goog-api-key", configuration.apiKey),
                    HTTPHeader("Content-Type", "application/json"), HTTPHeader("Accept", "application/json"),
                ], body: Array(body.text.utf8))
        ]
    }

    package func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer {
        try rule.api.parse(response, provider: kind)
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = GoogleErrorText.describe(response)
        if response.status == 400 || response.status == 401 || response.status == 403,
            GoogleErrorText.status(response) == "PERMISSION_DENIED" || message.contains("API key")
        {
            return message + "; check GEMINI_API_KEY or --api-key"
        }
        if response.status == 404 {
            let guess = ModelCatalogue.suggestion(for: model, provider: kind).map { "did you mean \($0)? " } ?? ""
            return message + "; \(guess)imagegen models --live --provider gemini lists the models the key can use"
        }
        return message
    }

    package func errorCode(for response: HTTPResponse) -> String? { GoogleErrorText.status(response) }

    package func isQuotaExhausted(_ response: HTTPResponse) -> Bool { GoogleErrorText.isQuotaExhausted(response) }
}

/// Key and base URL for Google AI Studio: flags, then the environment
/// (LiteLLM's `GEMINI_API_KEY`, `GEMINI_API_BASE`), then the default.
package struct GeminiConfiguration: Equatable, Sendable {
    package static let defaultBase = "https://generativelanguage.googleapis.com/v1beta"

    package var apiKey: String
    /// Where the key came from (`GEMINI_API_KEY`, `--api-key-file k`), for `-v`.
    package var keySource: String
    package var apiBase: String

    package init(apiKey: String, keySource: String = "--api-key", apiBase: String = GeminiConfiguration.defaultBase) {
        self.apiKey = apiKey
        self.keySource = keySource
        self.apiBase = apiBase
    }

    package static func resolve(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> GeminiConfiguration {
        let endpoint = try HostedEndpoint.resolve(
            options, environment: environment, provider: .gemini, name: "Google AI Studio",
            keyVariables: ["GEMINI_API_KEY"],
            keyHint: "a key from Google AI Studio, https://aistudio.google.com/apikey",
            baseVariables: ["GEMINI_API_BASE"], defaultBase: defaultBase)
        return GeminiConfiguration(apiKey: endpoint.apiKey, keySource: endpoint.keySource, apiBase: endpoint.apiBase)
    }
}

/// Google's error answers: `{"error": {"code", "message", "status"}}`, the
/// shape every Google API shares (https://cloud.google.com/apis/design/errors, checked 2026-11-29).
enum GoogleErrorText {
    static func describe(_ response: HTTPResponse) -> String {
        guard let json = try? JSON.parse(response.body), let error = json["error"],
            let message = error["message"]?.stringValue, !message.isEmpty
        else {
            return ProviderErrorText.excerpt(response.body)
        }
        let text = GoogleAnswer.clean(message)
        if let status = error["status"]?.stringValue, !status.isEmpty, !text.contains(status) {
            return "\(text) (\(GoogleAnswer.clean(status)))"
        }
        return text
    }

    static func status(_ response: HTTPResponse) -> String? {
        guard let json = try? JSON.parse(response.body) else { return nil }
        return json["error"]?["status"]?.stringValue.map(GoogleAnswer.clean)
    }

    /// A 429 whose message says a daily or billing quota is spent: waiting
    /// a few seconds does not help, so it is not retried.
    static func isQuotaExhausted(_ response: HTTPResponse) -> Bool {
        guard response.status == 429, let json = try? JSON.parse(response.body),
            let message = json["error"]?["message"]?.stringValue?.lowercased()
        else { return false }
        return message.contains("billing") || message.contains("per day") || message.contains("perday")
    }
}
