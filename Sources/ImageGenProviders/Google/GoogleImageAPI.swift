import ImageGenCore
import ImageGenHTTP

/// The two ways Google's image models are called, shared by Google AI
/// Studio and Vertex AI (same bodies, same answers; only the URL and the
/// authentication differ):
///
/// - Gemini image models: `:generateContent` with `contents[].parts[].text`
///   and `generationConfig` (`responseModalities`, `candidateCount`,
///   `imageConfig.aspectRatio` / `imageSize`); images come back as
///   `candidates[].content.parts[].inlineData`.
///   https://ai.google.dev/gemini-api/docs/image-generation,
///   https://cloud.google.com/vertex-ai/generative-ai/docs/model-reference/inference (checked 2026-11-29)
/// - Imagen: `:predict` with `instances[].prompt` and `parameters`
///   (`sampleCount`, `aspectRatio`); images come back as
///   `predictions[].bytesBase64Encoded`.
///   https://ai.google.dev/gemini-api/docs/imagen,
///   https://cloud.google.com/vertex-ai/generative-ai/docs/image/configure-aspect-ratio (checked 2026-11-29)
package enum GoogleImageAPI: Sendable {
    case generateContent
    case predict

    /// The method after the model name in the URL.
    package var method: String {
        switch self {
        case .generateContent: return "generateContent"
        case .predict: return "predict"
        }
    }

    /// `--param` keys that belong in a Gemini body's `imageConfig` rather
    /// than `generationConfig`.
    static let imageConfigKeys: Set<String> = ["aspectRatio", "imageSize", "personGeneration"]

    /// The JSON body for `request`. `--size` becomes the nearest aspect ratio
    /// the model draws (and the resolution tier that holds it, where the
    /// model has tiers); the other options the model does not take were
    /// refused by the catalogue's checks before this.
    package func body(for request: GenerationRequest, rule: GoogleImageRule) throws(ImageGenError) -> JSON {
        let parameters = request.parameters
        let shape = try rule.shape(for: parameters.size)
        switch self {
        case .generateContent:
            var imageConfig: [(String, JSON)] = []
            if let ratio = shape.aspectRatio { imageConfig.append(("aspectRatio", .string(ratio))) }
            if let tier = shape.imageSize { imageConfig.append(("imageSize", .string(tier))) }
            // Google's examples ask for TEXT and IMAGE: the models may answer
            // with a sentence beside the picture, which is shown when no image comes.
            var config: [(String, JSON)] = [
                ("responseModalities", .array([.string("TEXT"), .string("IMAGE")]))
            ]
            if let n = parameters.n { config.append(("candidateCount", .int(n))) }
            if let seed = parameters.seed { config.append(("seed", .int(seed))) }
            var extraConfig: [(String, JSON)] = []
            for param in parameters.extra {
                if GoogleImageAPI.imageConfigKeys.contains(param.key) {
                    imageConfig = JSON.merging(imageConfig, [(param.key, param.value)])
                } else {
                    extraConfig.append((param.key, param.value))
                }
            }
            if !imageConfig.isEmpty { config.append(("imageConfig", .object(imageConfig))) }
            config = JSON.merging(config, extraConfig)
            return .object([
                (
                    "contents",
                    .array([
                        .object([
                            ("role", .string("user")),
                            ("parts", .array([.object([("text", .string(request.prompt))])])),
                        ])
                    ])
                ),
                ("generationConfig", .object(config)),
            ])
        case .predict:
            var fields: [(String, JSON)] = []
            if let n = parameters.n { fields.append(("sampleCount", .int(n))) }
            if let ratio = shape.aspectRatio { fields.append(("aspectRatio", .string(ratio))) }
            if let tier = shape.imageSize { fields.append(("sampleImageSize", .string(tier))) }
            fields = JSON.merging(fields, parameters.extra.map { ($0.key, $0.value) })
            // Only the prompt and these options: LiteLLM also copies its
            // vertex_credentials into `parameters`; nothing of the kind goes here.
            var body: [(String, JSON)] = [
                ("instances", .array([.object([("prompt", .string(request.prompt))])]))
            ]
            if !fields.isEmpty { body.append(("parameters", .object(fields))) }
            return .object(body)
        }
    }

    /// The images of a 2xx answer. An answer without an image is a failure:
    /// refused by the provider's safety filters (exit 4, with the reason),
    /// otherwise a bad answer (exit 7) carrying whatever text the model said.
    package func parse(_ response: HTTPResponse, provider: ProviderKind) throws(ImageGenError) -> ProviderAnswer {
        let json = try response.json(from: provider, carriesImages: true)
        switch self {
        case .generateContent: return try GoogleAnswer.candidates(json, provider: provider)
        case .predict: return try GoogleAnswer.predictions(json, provider: provider)
        }
    }
}

/// What the catalogue says about the shape of a Google model's images.
package struct GoogleImageRule: Sendable {
    package var api: GoogleImageAPI
    /// `W:H` ratios the model draws, as its documentation lists them.
    package var aspectRatios: [String]
    /// Resolution tiers (`1K`, `2K`, `4K`) and the side of a square image of
    /// each; empty when the model has one resolution.
    package var imageSizes: [(name: String, side: Int)]

    package init(api: GoogleImageAPI, aspectRatios: [String], imageSizes: [(name: String, side: Int)] = []) {
        self.api = api
        self.aspectRatios = aspectRatios
        self.imageSizes = imageSizes
    }

    /// `--size` as the model takes it: nothing when not given (or `auto`),
    /// else the nearest listed ratio and the smallest tier with at least
    /// that many pixels (the largest when none has).
    func shape(for size: String?) throws(ImageGenError) -> (aspectRatio: String?, imageSize: String?) {
        guard let size, size != "auto" else { return (nil, nil) }
        guard let pixels = ImageSize(size) else {
            throw .usage("--size \(size) is not WxH; Google's image models take a size such as 1024x1024 or auto")
        }
        let ratio = GoogleImageRule.nearest(pixels, among: aspectRatios)
        var tier: String?
        if !imageSizes.isEmpty {
            tier = (imageSizes.first { $0.side * $0.side >= pixels.pixelCount } ?? imageSizes.last!).name
        }
        return (ratio, tier)
    }

    /// The listed ratio closest to the size's, comparing long-over-short
    /// quotients of the two ratios (so 3:2 and 2:3 are as far from 1:1).
    static func nearest(_ size: ImageSize, among ratios: [String]) -> String? {
        var best: (ratio: String, distance: Double)?
        for ratio in ratios {
            let parts = ratio.split(separator: ":")
            guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a > 0, b > 0 else { continue }
            let wanted = Double(size.width) * Double(b)
            let offered = Double(a) * Double(size.height)
            let distance = max(wanted, offered) / min(wanted, offered)
            if distance < (best?.distance ?? .infinity) { best = (ratio, distance) }
        }
        return best?.ratio
    }
}
