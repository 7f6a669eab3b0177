import ImageGenCore
import ImageGenHTTP

/// One model as a provider's own list reports it, with the life cycle the
/// provider gives it (a listed model with no date is active).
package struct LiveModel: Equatable, Sendable {
    package var id: String
    package var lifecycle: Lifecycle

    package init(id: String, lifecycle: Lifecycle) {
        self.id = id
        self.lifecycle = lifecycle
    }
}

/// Asks a provider which image models it serves now (`imagegen models
/// --live`): one GET built here and sent by the scheduler like any
/// generation, so retries, `-v` and `--dry-run` behave the same.
package protocol ModelListing: Sendable {
    var kind: ProviderKind { get }
    /// Where the list comes from, for messages and the cache.
    var endpoint: String { get }
    /// Whether the list is the provider's own (not a compatible server's):
    /// only then does it say anything about the provider's models.
    var isOfficialEndpoint: Bool { get }
    /// The Bedrock region the list is for; nil for other providers.
    var region: String? { get }
    /// Secrets the request carries, for the redactor.
    var secrets: [String] { get }

    func request() -> HTTPRequest
    /// The request as it goes out on this attempt (SigV4 signs each afresh).
    func prepareForSending(_ request: HTTPRequest) -> HTTPRequest
    /// The image models in a successful answer.
    func models(in answer: JSON) throws(ImageGenError) -> [LiveModel]
    func errorMessage(for response: HTTPResponse) -> String
    func errorCode(for response: HTTPResponse) -> String?
}

extension ModelListing {
    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest { request }

    /// The models of a final answer, or the error it stands for, with the
    /// exit codes of a generation's answer (SPEC §2).
    package func read(_ response: HTTPResponse, attempts: Int, redactor: Redactor) throws(ImageGenError) -> [LiveModel]
    {
        guard (200..<300).contains(response.status) else {
            throw ImageGenError.failedAnswer(
                provider: kind, status: response.status, message: redactor.redact(errorMessage(for: response)),
                code: errorCode(for: response), attempts: attempts, quotaExhausted: false)
        }
        let json: JSON
        do {
            json = try JSON.parse(response.body)
        } catch {
            throw .badResponse(
                provider: kind,
                message: "the model list is not JSON (\(error)): "
                    + redactor.redact(ProviderErrorText.excerpt(response.body)))
        }
        return try models(in: json)
    }
}

/// The lister for each provider, with the credentials a generation would use.
package enum ModelListers {
    package static func make(
        for provider: ProviderKind, connection: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> any ModelListing {
        switch provider {
        case .openai:
            return OpenAIModelList(configuration: try OpenAIConfiguration.resolve(connection, environment: environment))
        case .azure:
            return AzureModelList(configuration: try AzureConfiguration.resolve(connection, environment: environment))
        case .bedrock:
            return try BedrockModelList(connection, environment: environment)
        case .openrouter:
            return OpenRouterModelList(endpoint: try OpenRouterClient.resolve(connection, environment: environment))
        case .blackForestLabs, .recraft:
            // Neither BFL's API reference nor Recraft's documents a model list.
            throw .usage(
                "\(provider.rawValue) publishes no list of its image models; "
                    + "imagegen models --provider \(provider.rawValue) shows the built-in table")
        case .nscale, .xinference:
            // Both serve OpenAI's API, `GET /models` included. Only Xinference
            // says which models make images (`model_type`), so Nscale's list
            // is shown whole, as any compatible server's is.
            let preset = CompatiblePreset.named(provider)!
            return OpenAIModelList(
                configuration: try preset.configuration(connection, environment: environment), kind: provider,
                keyVariable: preset.keyVariables[0])
        case .gemini:
            return GeminiModelList(configuration: try GeminiConfiguration.resolve(connection, environment: environment))
        case .vertexAI:
            return VertexModelList(configuration: try VertexConfiguration.resolve(connection, environment: environment))
        }
    }
}

/// Dates in model lists: `YYYY-MM-DD`, an ISO 8601 time (its day in UTC is
/// taken as written), or Unix seconds.
enum ListedDate {
    static func parse(_ value: JSON?) -> CalendarDate? {
        guard let value else { return nil }
        if let text = value.stringValue {
            return CalendarDate(String(text.prefix(10)))
        }
        guard case .number(let text) = value, let seconds = Double(text), seconds.isFinite,
            abs(seconds) < 1e12
        else { return nil }
        return CalendarDate(unixSeconds: Int(seconds))
    }
}
