import ImageGenCore
import ImageGenHTTP

/// OpenRouter's image models, reached through chat completions as
/// OpenRouter documents it
/// (https://openrouter.ai/docs/features/multimodal/image-generation, checked
/// 2026-11-29): `modalities: ["image", "text"]` (LiteLLM leaves it out),
/// `image_config.aspect_ratio` from `--size`, and the images as `data:` URLs
/// in `choices[].message.images[].image_url.url`. The charge comes back as
/// `usage.cost` in US dollars, which becomes the run's cost. One image per
/// request: `-n K` is K requests.
package struct OpenRouterClient: ImageProvider {
    package static let defaultBase = "https://openrouter.ai/api/v1"
    /// The aspect ratios `image_config.aspect_ratio` takes (same page).
    package static let aspectRatios: [(name: String, width: Int, height: Int)] = [
        ("1:1", 1, 1), ("2:3", 2, 3), ("3:2", 3, 2), ("3:4", 3, 4), ("4:3", 4, 3), ("4:5", 4, 5), ("5:4", 5, 4),
        ("9:16", 9, 16), ("16:9", 16, 9), ("21:9", 21, 9),
    ]

    package let kind = ProviderKind.openrouter
    /// `VENDOR/MODEL`, as OpenRouter names it.
    package let model: String
    package let endpoint: HostedEndpoint

    package init(model: String, endpoint: HostedEndpoint) {
        self.model = model
        self.endpoint = endpoint
    }

    package static func resolve(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> HostedEndpoint {
        try HostedEndpoint.resolve(
            options, environment: environment, provider: .openrouter, name: "OpenRouter",
            keyVariables: ["OPENROUTER_API_KEY"],
            baseVariables: ["OPENROUTER_API_BASE"], defaultBase: defaultBase)
    }

    package var secrets: [String] { [endpoint.apiKey] }
    package var credentialSource: String { endpoint.keySource }
    package var isOfficialEndpoint: Bool { HTTPURL.host(of: endpoint.apiBase) == "openrouter.ai" }

    package func makeRequests(for request: GenerationRequest) throws(ImageGenError) -> [HTTPRequest] {
        if request.edit != nil {
            throw .usage("imagegen edit does not reach OpenRouter yet; generate with imagegen -m openrouter/MODEL")
        }
        let headers = [
            HTTPHeader("Authorization", "Bearer \(endpoint.apiKey)"), HTTPHeader("Content-Type", "application/json"),
            HTTPHeader("Accept", "application/json"),
        ]
        let one = HTTPRequest(
            method: "POST", url: HTTPURL.join(endpoint.apiBase, "chat/completions"), headers: headers,
            body: Array(Self.body(for: request, model: model).text.utf8))
        return Array(repeating: one, count: request.imageCount)
    }

    /// The chat body: the prompt as the one user message, both modalities,
    /// `image_config` when `--size` gives a shape, `seed`, then `--param`
    /// fields (`image_config` among them) replacing same-named ones.
    static func body(for request: GenerationRequest, model: String) -> JSON {
        let parameters = request.parameters
        var fields: [(String, JSON)] = [
            ("model", .string(model)),
            ("messages", .array([.object([("role", .string("user")), ("content", .string(request.prompt))])])),
            ("modalities", .array([.string("image"), .string("text")])),
        ]
        if let size = parameters.pixelSize {
            fields.append(("image_config", .object([("aspect_ratio", .string(nearestAspectRatio(size)))])))
        }
        if let seed = parameters.seed { fields.append(("seed", .int(seed))) }
        if let user = parameters.user { fields.append(("user", .string(user))) }
        return .object(JSON.merging(fields, parameters.extra.map { ($0.key, $0.value) }))
    }

    /// The listed ratio closest to `size`'s, on a scale where 2:1 is as
    /// far from 1:1 as 1:2 is.
    package static func nearestAspectRatio(_ size: ImageSize) -> String {
        let wanted = skew(size.width, size.height)
        return aspectRatios.min {
            abs(skew($0.width, $0.height) - wanted) < abs(skew($1.width, $1.height) - wanted)
        }!.name
    }

    /// 0 for square, w/h − 1 for wide, 1 − h/w for tall.
    private static func skew(_ width: Int, _ height: Int) -> Double {
        let ratio = Double(width) / Double(height)
        return ratio >= 1 ? ratio - 1 : 1 - 1 / ratio
    }

    package func parseSuccess(_ response: HTTPResponse) throws(ImageGenError) -> ProviderAnswer {
        let json = try response.json(from: kind, carriesImages: true)
        // OpenRouter reports a provider's failure inside a 200 as `error`.
        if let error = json["error"], !error.isNull {
            let message = error["message"]?.stringValue ?? error.text
            throw .badResponse(provider: kind, message: "the model failed: " + Self.printable(message))
        }
        guard let choices = json["choices"]?.arrayValue else {
            throw .badResponse(provider: kind, message: "the answer has no \"choices\" array")
        }
        var images: [GeneratedImage] = []
        var texts: [String] = []
        for (c, choice) in choices.enumerated() {
            guard let message = choice["message"] else { continue }
            if let text = message["content"]?.stringValue, !text.isEmpty { texts.append(text) }
            for (i, item) in (message["images"]?.arrayValue ?? []).enumerated() {
                images.append(try Self.image(item, label: "choices[\(c)].message.images[\(i)]"))
            }
        }
        guard !images.isEmpty else {
            let said = texts.isEmpty ? "" : ": " + Self.printable(String(texts.joined(separator: " ").prefix(300)))
            throw .badResponse(provider: kind, message: "the model answered with no image" + said)
        }
        return ProviderAnswer(created: json["created"]?.intValue, images: images, usage: json["usage"])
    }

    /// One `{"type": "image_url", "image_url": {"url": "data:image/png;base64,…"}}`:
    /// the base64 after the comma, left in the answer's buffer.
    static func image(_ item: JSON, label: String) throws(ImageGenError) -> GeneratedImage {
        guard let url = item["image_url"]?["url"]?.utf8Bytes else {
            throw .badResponse(provider: .openrouter, message: "\(label) has no image_url.url")
        }
        let prefix = Array("data:image/".utf8)
        guard url.starts(with: prefix), let comma = url.firstIndex(of: UInt8(ascii: ",")),
            String(decoding: url[url.startIndex..<comma], as: UTF8.self).hasSuffix(";base64")
        else {
            throw .badResponse(
                provider: .openrouter, message: "\(label) is not a data:image/…;base64 URL")
        }
        var image = GeneratedImage()
        image.base64 = url[url.index(after: comma)...]
        return image
    }

    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !HTTPURL.isUnsafe($0) || $0 == " " }))
    }

    package func errorMessage(for response: HTTPResponse) -> String {
        let message = ProviderErrorText.openAIStyle(response)
        if response.status == 401 { return message + "; check OPENROUTER_API_KEY or --api-key" }
        if response.status == 402 { return message + "; add credits at https://openrouter.ai/settings/credits" }
        return message
    }

    package func errorCode(for response: HTTPResponse) -> String? { ProviderErrorText.openAICode(response) }

    /// 402: "Your account or API key has insufficient credits" (OpenRouter's errors page).
    package func isQuotaExhausted(_ response: HTTPResponse) -> Bool { response.status == 402 }
}
