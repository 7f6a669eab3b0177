import ImageGenCore
import ImageGenHTTP

/// Azure OpenAI deployments (SPEC §3): OpenAI's Images API behind a
/// deployment URL, with `api-key` (or Entra ID bearer) auth and an
/// `api-version` query. Answers have OpenAI's shape plus Azure's per-image
/// content-filter results, which `parseImages` keeps in `extra`.
package struct AzureClient: ImageProvider {
    package let kind = ProviderKind.azure
    /// The deployment name.
    package let model: String
    package let configuration: AzureConfiguration
    let knowledge: ModelKnowledge

    package init(deployment: String, configuration: AzureConfiguration, knowledge: ModelKnowledge) {
        self.model = deployment
        self.configuration = configuration
        self.knowledge = knowledge
    }

    package var secrets: [String] { [configuration.credential.secret] }

    package var credentialSource: String { configuration.credentialSource }

    package var isOfficialEndpoint: Bool { AzureClient.isOfficial(configuration.apiBase) }

    /// Whether `url` is on one of Azure's own OpenAI hosts.
    static func isOfficial(_ url: String) -> Bool {
        let host = HTTPURL.host(of: url)
        return [".openai.azure.com", ".cognitiveservices.azure.com", ".services.ai.azure.com"].contains {
            host.hasSuffix($0)
        }
    }

    package func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest] {
        var headers: [HTTPHeader]
        switch configuration.credential {
        case .apiKey(let key): headers = [HTTPHeader("api-key", key)]
        case .adToken(let token): headers = [HTTPHeader("Authorization", "Bearer \(token)")]
        }
        // A form's Content-Type carries the boundary libcurl picks, so libcurl sets it.
        if request.edit == nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        headers.append(HTTPHeader("Accept", OpenAIClient.accept(request)))
        let fanOut = OpenAIClient.fansOut(request, knowledge: knowledge)
        let fields = body(for: request, n: fanOut ? 1 : request.parameters.n)
        let one: HTTPRequest
        if let edit = request.edit {
            // Azure serves images edits only, no variations or other tasks.
            guard edit.task == EditTask.defaultName else {
                throw .usage(
                    "Azure OpenAI deployments perform --task edit only, not --task \(edit.task); "
                        + "use -m openai/MODEL --api-base URL for a server that does")
            }
            one = HTTPRequest(
                method: "POST", url: configuration.editsURL(deployment: model), headers: headers,
                content: .multipart(OpenAIClient.form(edit, fields: fields)))
        } else {
            one = HTTPRequest(
                method: "POST", url: configuration.generationsURL(deployment: model),
                headers: headers, body: Array(fields.text.utf8))
        }
        return Array(repeating: one, count: fanOut ? request.imageCount : 1)
    }

    /// OpenAI's body. On a deployment URL the deployment already picks the
    /// model, and a deployment name sent as `model` is refused by newer image
    /// models ("Unknown model"), so `model` is left out unless the user set it
    /// with `--param`. The v1 API has no deployment in the URL: `model` names it.
    func body(for request: GenerationRequest, n: Int?) -> JSON {
        let body = OpenAIClient.body(for: request, model: model, n: n)
        guard !configuration.usesV1API, request.parameters.extra("model") == nil,
            case .object(var fields) = body
        else { return body }
        fields.removeAll { $0.0 == "model" }
        return .object(fields)
    }

    package func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer {
        try OpenAIClient.parseImages(response, provider: kind)
    }

    package func makeStream(
        maxEventSize: Int, onPartial: @escaping @Sendable (PartialImage) -> Void
    ) -> (any StreamedBody)? {
        OpenAIImageStream(
            provider: kind, origin: HTTPURL.origin(of: configuration.apiBase), maxEventSize: maxEventSize,
            onPartial: onPartial)
    }

    package func errorCode(for response: HTTPResponse) -> String? {
        ProviderErrorText.openAICode(response)
    }

    package func isQuotaExhausted(_ response: HTTPResponse) -> Bool {
        ProviderErrorText.isOpenAIQuotaExhausted(response)
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        AzureErrorText(response: response, deployment: deploymentInURL, configuration: configuration).message
    }

    /// The deployment the URL actually names (a base may carry its own).
    var deploymentInURL: String {
        guard !configuration.usesV1API, let marker = configuration.apiBase.firstRange(of: "/openai/deployments/") else {
            return model
        }
        let rest = configuration.apiBase[marker.upperBound...]
        return String(rest.prefix { $0 != "/" })
    }
}
