import ImageGenCore
import ImageGenHTTP

/// Bedrock's ListFoundationModels, filtered to image output. It lives on
/// the control plane (`bedrock.REGION.amazonaws.com`), not the runtime that
/// generations go to, so the runtime's endpoint settings do not apply;
/// `--api-base` or `AWS_ENDPOINT_URL_BEDROCK` (the AWS SDKs' name for the
/// control plane's endpoint) move it. Signed like every Bedrock call.
package struct BedrockModelList: ModelListing {
    package let kind = ProviderKind.bedrock
    /// Credentials and region, resolved as for a generation.
    package let configuration: BedrockConfiguration
    /// The control plane's base URL.
    package let endpoint: String
    /// Unix time for signatures; a parameter so tests can pin it.
    let now: @Sendable () -> Double

    package init(
        _ connection: ConnectionOptions, environment: Environment, now: @escaping @Sendable () -> Double = Clock.now
    ) throws(ImageGenError) {
        configuration = try BedrockConfiguration.resolve(connection, model: "", environment: environment)
        let endpoint = environment.resolve(
            flag: connection.apiBase, flagName: "--api-base", variables: ["AWS_ENDPOINT_URL_BEDROCK"],
            default: "https://bedrock.\(configuration.region).amazonaws.com")!
        guard HTTPURL.isHTTP(endpoint.value) else {
            throw endpoint.invalid("\(endpoint.source) must be an http:// or https:// URL, got '\(endpoint.value)'")
        }
        self.endpoint = endpoint.value
        self.now = now
    }

    package var isOfficialEndpoint: Bool { HTTPURL.host(of: endpoint).hasSuffix(".amazonaws.com") }
    package var region: String? { configuration.region }
    package var secrets: [String] { configuration.secrets }

    package func request() -> HTTPRequest {
        HTTPRequest(
            method: "GET", url: HTTPURL.join(endpoint, "foundation-models?byOutputModality=IMAGE"),
            headers: [HTTPHeader("Accept", "application/json")])
    }

    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest {
        BedrockClient.authorize(request, configuration: configuration, time: Int(now()))
    }

    package func models(in answer: JSON) throws(ImageGenError) -> [LiveModel] {
        guard let items = answer["modelSummaries"]?.arrayValue else {
            throw .badResponse(provider: kind, message: "the model list has no \"modelSummaries\" array")
        }
        var models: [LiveModel] = []
        for (index, item) in items.enumerated() {
            guard let id = item["modelId"]?.stringValue, !id.isEmpty else {
                throw .badResponse(
                    provider: kind, message: "modelSummaries[\(index)] of the model list has no \"modelId\"")
            }
            // The query asked for image output already; a server that ignored it is not believed.
            if let modalities = item["outputModalities"]?.arrayValue,
                !modalities.contains(where: { $0.stringValue == "IMAGE" })
            {
                continue
            }
            let lifecycle = item["modelLifecycle"]
            let legacy = lifecycle?["status"]?.stringValue?.uppercased() == "LEGACY"
            models.append(
                LiveModel(
                    id: id,
                    lifecycle: legacy
                        ? .deprecated(shutdown: ListedDate.parse(lifecycle?["endOfLifeTime"]), replacement: nil)
                        : .active))
        }
        return models
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let json = try? JSON.parse(response.body)
        let type = BedrockErrorText.errorType(response, json: json)
        let message =
            (json?["message"]?.stringValue ?? json?["Message"]?.stringValue)?.trimmingASCIIWhitespace()
            ?? ProviderErrorText.excerpt(response.body)
        var text = message
        if let type, !message.contains(type) { text += " (\(type))" }
        let whose = "the credentials from \(configuration.authSource) in region \(configuration.region)"
        switch type {
        case "AccessDeniedException":
            text += "; check that \(whose) may call bedrock:ListFoundationModels"
        case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "SignatureDoesNotMatch", "ExpiredTokenException", "InvalidClientTokenId",
            "MissingAuthenticationTokenException":
            text += "; check \(whose)"
        default:
            break
        }
        return text
    }

    package func errorCode(for response: HTTPResponse) -> String? {
        BedrockErrorText.errorType(response, json: try? JSON.parse(response.body))
    }
}
