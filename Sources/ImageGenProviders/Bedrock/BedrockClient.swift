import ImageGenCore
import ImageGenHTTP

/// AWS Bedrock's InvokeModel for image models (SPEC §3): one signed POST per
/// call to `{endpoint}/model/{model id}/invoke`.
package struct BedrockClient: ImageProvider {
    package let kind = ProviderKind.bedrock
    package let model: String
    package let configuration: BedrockConfiguration
    let family: BedrockModelFamily
    /// The body keys of an Image Service's input images, from the catalogue.
    let imageFields: [String]
    /// Unix time for signatures; a parameter so tests can pin it.
    let now: @Sendable () -> Double

    package init(
        model: String, configuration: BedrockConfiguration, knowledge: ModelKnowledge,
        now: @escaping @Sendable () -> Double = Clock.now
    ) throws(ImageGenError) {
        guard let family = knowledge.bedrockFamily else {
            throw BedrockModelFamily.unknownModel(model, suggestion: nil)
        }
        self.model = model
        self.configuration = configuration
        self.family = family
        self.imageFields = knowledge.accepts?.edits?.imageFields ?? ["image"]
        self.now = now
    }

    package var secrets: [String] { configuration.secrets }

    package var credentialSource: String { configuration.authSource }

    package var isOfficialEndpoint: Bool { HTTPURL.host(of: configuration.endpoint).hasSuffix(".amazonaws.com") }

    package func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest] {
        // Only the Image Services edit; they do nothing else.
        if (request.edit != nil) != (family == .stabilityServices) {
            throw .usage(
                request.edit == nil
                    ? "\(model) edits images only: imagegen edit -m bedrock/\(model) --task TASK --image FILE"
                    : "\(model) does not edit images; imagegen models lists the Bedrock models that do")
        }
        let fanOut = family.oneImagePerRequest ? request.imageCount : 1
        // The id is one path segment, encoded as the AWS SDKs do (`:` → `%3A`, `/` → `%2F`);
        // the signer encodes that path once more for the canonical request.
        let url = HTTPURL.join(configuration.endpoint, "model/\(HTTPURL.percentEncode(model))/invoke")
        let unsigned = HTTPRequest(
            method: "POST", url: url,
            headers: [
                HTTPHeader("Content-Type", "application/json"),
                HTTPHeader("Accept", "application/json"),
            ], body: Array(family.body(for: request, imageFields: imageFields).text.utf8))
        return Array(repeating: prepareForSending(unsigned), count: fanOut)
    }

    /// Signs with the current time on every attempt: a signature is only
    /// accepted for a few minutes, and retries or queued requests may be later.
    package func prepareForSending(_ request: HTTPRequest) -> HTTPRequest {
        BedrockClient.authorize(request, configuration: configuration, time: Int(now()))
    }

    /// `request` signed for `time`, or carrying the Bedrock API key: how every
    /// Bedrock call authenticates, runtime and control plane alike.
    static func authorize(_ request: HTTPRequest, configuration: BedrockConfiguration, time: Int) -> HTTPRequest {
        switch configuration.auth {
        case .sigV4(let credentials):
            let signer = SigV4Signer(credentials: credentials, region: configuration.region, service: "bedrock")
            return signer.sign(request, time: time)
        case .temporary(let provider):
            // Before the fetch (`--dry-run`) the request is shown signed with
            // stand-ins, which the printer masks like real keys.
            let credentials =
                provider.credentials()
                ?? AWSCredentials(
                    accessKeyID: "ASIA-NOT-FETCHED", secretAccessKey: "not-fetched", sessionToken: "not-fetched")
            let signer = SigV4Signer(credentials: credentials, region: configuration.region, service: "bedrock")
            return signer.sign(request, time: time)
        case .bearer(let token):
            var sent = request
            sent.headers.removeAll { $0.name.lowercased() == "authorization" }
            sent.headers.append(HTTPHeader("Authorization", "Bearer \(token)"))
            return sent
        }
    }

    package func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer {
        let json = try response.json(from: kind, carriesImages: true)
        return ProviderAnswer(images: try family.parse(json, model: model))
    }

    package func errorCode(for response: HTTPResponse) -> String? {
        BedrockErrorText.errorType(response, json: try? JSON.parse(response.body))
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        BedrockErrorText.describe(response, model: model, configuration: configuration)
    }
}

/// Bedrock errors: the type from `x-amzn-ErrorType` (or the body's `__type`),
/// the `message` from the body, and what to check for the types that mean
/// "your credentials, region or model access".
package enum BedrockErrorText {
    static func describe(_ response: HTTPResponse, model: String, configuration: BedrockConfiguration) -> String {
        let json = try? JSON.parse(response.body)
        let type = errorType(response, json: json)
        let message =
            (json?["message"]?.stringValue ?? json?["Message"]?.stringValue)?.trimmingASCIIWhitespace()
            ?? ProviderErrorText.excerpt(response.body)
        var text = message
        if let type, !message.contains(type) { text += " (\(type))" }
        if let hint = hint(type: type, message: message, model: model, configuration: configuration) {
            text += "; " + hint
        }
        return text
    }

    /// `ValidationException:http://internal.amazon.com/…` or `com.amazon.…#ValidationException` → `ValidationException`.
    static func errorType(_ response: HTTPResponse, json: JSON?) -> String? {
        guard var raw = response.header("x-amzn-ErrorType") ?? json?["__type"]?.stringValue else { return nil }
        if let colon = raw.firstIndex(of: ":") { raw = String(raw[..<colon]) }
        if let hash = raw.lastIndex(of: "#") { raw = String(raw[raw.index(after: hash)...]) }
        return raw.isEmpty ? nil : raw
    }

    static func hint(type: String?, message: String, model: String, configuration: BedrockConfiguration) -> String? {
        let credentials = "credentials from \(configuration.authSource)"
        let region =
            "region \(configuration.region) (\(configuration.regionSource == "default" ? "the default" : "from " + configuration.regionSource))"
        switch type {
        case "AccessDeniedException":
            return "check that the \(credentials) may call bedrock:InvokeModel and that access to \(model) "
                + "is granted in \(region)"
        case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
            "SignatureDoesNotMatch", "ExpiredTokenException", "InvalidClientTokenId",
            "MissingAuthenticationTokenException":
            if message.lowercased().contains("signature expired") {
                return "the system clock is off; correct it and try again"
            }
            var advice = "check the \(credentials) and the \(region)"
            if case .sigV4(let keys) = configuration.auth, keys.sessionToken != nil {
                advice += "; temporary credentials expire, so renew the session token if it is old"
            }
            if case .temporary = configuration.auth {
                advice += "; check that the role may call Bedrock"
            }
            return advice
        case "ResourceNotFoundException":
            return "check the model id and that \(model) is offered in \(region)"
        case "ThrottlingException":
            return "wait and try again, raise --max-retries, or lower --concurrency"
        case "ServiceQuotaExceededException":
            // A 400: not retried. The account's quota for the model, not a
            // moment's rate, is used up.
            return "a service quota of the account is used up for \(model) in \(region); request an increase "
                + "in the Service Quotas console"
        default:
            return nil
        }
    }
}
