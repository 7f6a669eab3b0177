import ImageGenCore
import ImageGenHTTP

/// OpenAI's Images API and every server that speaks it (SPEC §3).
package struct OpenAIClient: ImageProvider {
    package let model: String
    package let configuration: OpenAIConfiguration
    let knowledge: ModelKnowledge
    /// Which OpenAI-compatible provider this is (OpenAI itself, Nscale…).
    package let preset: CompatiblePreset

    package init(
        model: String, configuration: OpenAIConfiguration, knowledge: ModelKnowledge,
        preset: CompatiblePreset = .openAI
    ) {
        self.model = model
        self.configuration = configuration
        self.knowledge = knowledge
        self.preset = preset
    }

    package var kind: ProviderKind { preset.kind }

    package var secrets: [String] { [configuration.apiKey] }

    package var credentialSource: String { configuration.keySource }

    package var isOfficialEndpoint: Bool { HTTPURL.host(of: configuration.apiBase) == preset.officialHost }

    package func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest] {
        var request = request
        if let format = preset.defaultResponseFormat, request.parameters.responseFormat == nil,
            request.parameters.extra("response_format") == nil
        {
            request.parameters.responseFormat = format
        }
        // A local server without a key gets no Authorization header at all.
        var headers =
            configuration.apiKey.isEmpty ? [] : [HTTPHeader("Authorization", "Bearer \(configuration.apiKey)")]
        // A form's Content-Type carries the boundary libcurl picks, so libcurl sets it.
        if request.edit == nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        headers.append(HTTPHeader("Accept", OpenAIClient.accept(request)))
        if let organization = configuration.organization {
            headers.append(HTTPHeader("OpenAI-Organization", organization))
        }
        let fanOut = OpenAIClient.fansOut(request, knowledge: knowledge)
        let perRequest = fanOut ? 1 : request.parameters.n
        let one: HTTPRequest
        if let edit = request.edit, edit.task == "variation" {
            if request.isStreamed { throw .usage("variations do not stream; drop --stream") }
            // Variations take no prompt: the image, then the options given.
            let fields = JSON.object(
                JSON.merging([("model", .string(model))], request.parameters.fields(n: perRequest)))
            one = HTTPRequest(
                method: "POST", url: HTTPURL.join(configuration.apiBase, "images/variations"), headers: headers,
                content: .multipart(OpenAIClient.form(edit, fields: fields)))
        } else if let edit = request.edit {
            one = HTTPRequest(
                method: "POST", url: HTTPURL.join(configuration.apiBase, "images/edits"), headers: headers,
                content: .multipart(
                    OpenAIClient.form(edit, fields: OpenAIClient.body(for: request, model: model, n: perRequest))))
        } else {
            let body = Array(OpenAIClient.body(for: request, model: model, n: perRequest).text.utf8)
            one = HTTPRequest(
                method: "POST", url: HTTPURL.join(configuration.apiBase, "images/generations"), headers: headers,
                body: body)
        }
        return Array(repeating: one, count: fanOut ? request.imageCount : 1)
    }

    /// The images edits form, shared with Azure: the image (`image`, or
    /// `image[]` for each of several), the mask, then `fields` (the JSON
    /// body a generation would send) as text parts in the same order.
    static func form(_ edit: EditInputs, fields: JSON) -> [MultipartPart] {
        let imageName = edit.images.count > 1 ? "image[]" : "image"
        var parts = edit.images.map { part(imageName, $0) }
        if let mask = edit.mask { parts.append(part("mask", mask)) }
        if case .object(let members) = fields {
            for (name, value) in members {
                // A form field is text: strings as they are, anything else as its JSON.
                parts.append(MultipartPart(name: name, text: value.stringValue ?? value.text))
            }
        }
        return parts
    }

    private static func part(_ name: String, _ image: InputImage) -> MultipartPart {
        MultipartPart(
            name: name, filename: image.filename, contentType: image.contentType, bytes: image.bytes,
            sha256: image.sha256)
    }

    /// `{"model", "prompt"}` plus exactly the options the user gave, then
    /// `--param` fields (which replace a same-named option in place), then
    /// `stream` and `partial_images` when streamed.
    static func body(for request: GenerationRequest, model: String, n: Int?) -> JSON {
        let base: [(String, JSON)] = [("model", .string(model)), ("prompt", .string(request.prompt))]
        let fields = JSON.merging(base, request.parameters.fields(n: n))
        guard let partials = request.partialImages else { return .object(fields) }
        return .object(JSON.merging(fields, [("stream", .bool(true)), ("partial_images", .int(partials))]))
    }

    /// One image per request for one-image models and for every streamed
    /// request: a stream's partial events do not say which of several
    /// images they belong to.
    static func fansOut(_ request: GenerationRequest, knowledge: ModelKnowledge) -> Bool {
        (knowledge.oneImagePerRequest || request.isStreamed) && request.imageCount > 1
    }

    /// A streamed answer is an event stream, any other JSON.
    static func accept(_ request: GenerationRequest) -> String {
        request.isStreamed ? "text/event-stream" : "application/json"
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

    /// Shared with Azure, whose answers have the same shape.
    static func parseImages(_ response: HTTPResponse, provider: ProviderKind) throws(ImageGenError) -> ProviderAnswer {
        let json = try response.json(from: provider, carriesImages: true)
        guard let items = json["data"]?.arrayValue else {
            throw .badResponse(provider: provider, message: "the answer has no \"data\" array")
        }
        var images: [GeneratedImage] = []
        for (index, item) in items.enumerated() {
            guard case .object(let members) = item else {
                throw .badResponse(provider: provider, message: "data[\(index)] is not an object")
            }
            var image = GeneratedImage()
            for (key, value) in members {
                switch key {
                case "url":
                    // Printed one per line with --no-download and fetched
                    // otherwise: a space or control character would forge a
                    // line or smuggle bytes into the request.
                    if let url = value.stringValue, url.unicodeScalars.contains(where: HTTPURL.isUnsafe) {
                        throw .badResponse(
                            provider: provider, message: "data[\(index)].url holds a space or a control character")
                    }
                    image.url = value.stringValue
                case "b64_json": image.base64 = value.utf8Bytes
                case "revised_prompt": image.revisedPrompt = value.stringValue
                default: image.extra.append((key, value))
                }
            }
            guard image.url != nil || image.base64 != nil else {
                throw .badResponse(provider: provider, message: "data[\(index)] has neither \"url\" nor \"b64_json\"")
            }
            images.append(image)
        }
        return ProviderAnswer(created: json["created"]?.intValue, images: images, usage: json["usage"])
    }

    package func errorCode(for response: HTTPResponse) -> String? {
        ProviderErrorText.openAICode(response)
    }

    package func isQuotaExhausted(_ response: HTTPResponse) -> Bool {
        ProviderErrorText.isOpenAIQuotaExhausted(response)
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = ProviderErrorText.openAIStyle(response)
        // The provider's text says the key is wrong, not where the tool found it.
        if response.status == 401 { return message + "; check \(preset.keyVariables[0]) or --api-key" }
        if preset.kind == .openai, ProviderErrorText.isModelNotFound(response),
            let suggestion = ModelCatalogue.suggestion(for: model)
        {
            return message + "; did you mean \(suggestion)?"
        }
        return message
    }
}

/// Where and how to reach an OpenAI-compatible server, resolved from flags,
/// then the environment, then defaults (SPEC §2 connection table).
package struct OpenAIConfiguration: Equatable, Sendable {
    package static let defaultBase = "https://api.openai.com/v1"

    package var apiKey: String
    /// Where the key came from (`--api-key`, `OPENAI_API_KEY_FILE /run/secrets/openai`), for `-v`.
    package var keySource: String
    package var apiBase: String
    package var organization: String?

    package init(
        apiKey: String, keySource: String = "--api-key", apiBase: String = OpenAIConfiguration.defaultBase,
        organization: String? = nil
    ) {
        self.apiKey = apiKey
        self.keySource = keySource
        self.apiBase = apiBase
        self.organization = organization
    }

    package static func resolve(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> OpenAIConfiguration {
        guard
            let key = try APIKeySources.resolve(
                options, variables: ["OPENAI_API_KEY"], provider: .openai, environment: environment)
        else {
            throw .configuration(
                "OPENAI_API_KEY is not set; pass --api-key KEY or export OPENAI_API_KEY, "
                    + "or store it with imagegen keys set openai")
        }
        let base = environment.resolve(
            flag: options.apiBase, flagName: "--api-base",
            variables: ["OPENAI_API_BASE", "OPENAI_BASE_URL"],
            default: defaultBase)!
        guard HTTPURL.isHTTP(base.value) else {
            throw base.invalid("\(base.source) must be an http:// or https:// URL, got '\(base.value)'")
        }
        let organization = environment.resolve(
            flag: options.organization, flagName: "--organization",
            variables: ["OPENAI_ORGANIZATION"])
        try HeaderValue.check(key)
        if let organization { try HeaderValue.check(organization) }
        return OpenAIConfiguration(
            apiKey: key.value, keySource: key.source, apiBase: base.value, organization: organization?.value)
    }
}
