import ImageGenCore

/// The three request and response formats of Bedrock's image models (SPEC §3).
/// Each family checks what it can locally (exit 2, nothing sent), builds its
/// body, and reads its answer into OpenAI-shaped images.
package enum BedrockModelFamily: String, Sendable {
    /// `stability.stable-diffusion-xl-*`: `text_prompts`, `artifacts[]`.
    case stableDiffusionXL = "Stability SDXL"
    /// `stability.sd3-*`, `stability.stable-image-*`: `prompt`, `images[]` + `finish_reasons`.
    case stableImage = "Stability SD3 / Stable Image"
    /// `amazon.titan-image-*`, `amazon.nova-canvas-*`: `TEXT_IMAGE` task, `images[]`.
    case amazonImage = "Amazon Titan / Nova Canvas"

    /// The sizes SDXL 1.0 on Bedrock accepts (AWS's Diffusion 1.0 parameter page).
    static let stableDiffusionXLSizes = [
        "1024x1024", "1152x896", "1216x832", "1344x768", "1536x640",
        "640x1536", "768x1344", "832x1216", "896x1152",
    ]
    static let stableImageAspectRatios = "16:9, 1:1, 21:9, 2:3, 3:2, 4:5, 5:4, 9:16, 9:21"
    static let amazonQualities = ["standard", "premium"]
    static let amazonMaxImages = 5

    /// Matched anywhere in the id, so cross-region inference profiles
    /// (`us.amazon.nova-canvas-v1:0`) find their family too.
    static func of(_ model: String) -> BedrockModelFamily? {
        if model.contains("stability.stable-diffusion-xl") { return .stableDiffusionXL }
        if model.contains("stability.sd3") || model.contains("stability.stable-image")
            || model.contains("stability.stable-diffusion-3")
        {
            return .stableImage
        }
        if model.contains("amazon.titan-image") || model.contains("amazon.nova-canvas") { return .amazonImage }
        return nil
    }

    static func unknownModel(_ model: String) -> ImageGenError {
        .usage(
            "'\(model)' is not a Bedrock image model imagegen knows; use stability.stable-diffusion-xl-*, "
                + "stability.sd3-*, stability.stable-image-*, amazon.titan-image-generator-* or amazon.nova-canvas-*")
    }

    /// Stability models make one image per call: `-n K` becomes K requests.
    var oneImagePerRequest: Bool { self != .amazonImage }

    func check(_ request: GenerationParameters, model: String) throws(ImageGenError) {
        if let format = request.responseFormat, format != "b64_json" {
            throw .usage("Bedrock models answer with base64 images only; drop --response-format \(format)")
        }
        if request.user != nil { throw .usage("Bedrock models do not take --user; drop it") }
        if request.style != nil {
            let hint =
                self == .stableDiffusionXL
                ? "--param style_preset=NAME"
                : self == .amazonImage ? "--param style=NAME (Nova Canvas)" : "the prompt"
            throw .usage("\(model) does not take --style; use \(hint) instead")
        }
        switch self {
        case .stableDiffusionXL:
            if let size = request.size, !BedrockModelFamily.stableDiffusionXLSizes.contains(size) {
                throw .usage(
                    "\(model) does not support --size \(size); use one of: "
                        + BedrockModelFamily.stableDiffusionXLSizes.joined(separator: ", "))
            }
            if request.quality != nil { throw .usage("\(model) does not take --quality; use --param steps=N instead") }
        case .stableImage:
            if request.size != nil {
                throw .usage(
                    "\(model) does not take --size; use --param aspect_ratio=RATIO "
                        + "(one of \(BedrockModelFamily.stableImageAspectRatios))")
            }
            if request.quality != nil { throw .usage("\(model) does not take --quality; drop it") }
        case .amazonImage:
            if let n = request.n, n > BedrockModelFamily.amazonMaxImages {
                throw .usage(
                    "\(model) makes 1 to \(BedrockModelFamily.amazonMaxImages) images per request; "
                        + "-n \(n) is out of range")
            }
            if let size = request.size, ImageSize(size) == nil {
                throw .usage("--size must be WIDTHxHEIGHT in pixels, like 1024x1024; got '\(size)'")
            }
            if let quality = request.quality, !BedrockModelFamily.amazonQualities.contains(quality) {
                throw .usage(
                    "\(model) does not support --quality \(quality); use one of: "
                        + BedrockModelFamily.amazonQualities.joined(separator: ", "))
            }
        }
    }

    /// The JSON body for one request; only what the user gave is sent.
    func body(for request: GenerationRequest) -> JSON {
        let size = request.parameters.pixelSize
        switch self {
        case .stableDiffusionXL:
            var fields: [(String, JSON)] = [("text_prompts", .array([.object([("text", .string(request.prompt))])]))]
            if let size { fields += [("height", .int(size.height)), ("width", .int(size.width))] }
            return .object(JSON.merging(fields, request.parameters.extra.map { ($0.key, $0.value) }))
        case .stableImage:
            return .object(
                JSON.merging([("prompt", .string(request.prompt))], request.parameters.extra.map { ($0.key, $0.value) })
            )
        case .amazonImage:
            return amazonBody(request, size: size)
        }
    }

    /// `--param` keys that belong inside Titan/Nova's nested objects go there;
    /// anything else is a top-level field.
    private func amazonBody(_ request: GenerationRequest, size: ImageSize?) -> JSON {
        let configKeys: Set<String> = ["numberOfImages", "height", "width", "quality", "cfgScale", "seed"]
        let textKeys: Set<String> = ["negativeText", "style", "conditionImage", "controlMode", "controlStrength"]
        var text: [(String, JSON)] = [("text", .string(request.prompt))]
        var config: [(String, JSON)] = []
        let parameters = request.parameters
        if let n = parameters.n { config.append(("numberOfImages", .int(n))) }
        if let size { config += [("height", .int(size.height)), ("width", .int(size.width))] }
        if let quality = parameters.quality { config.append(("quality", .string(quality))) }
        var topLevel: [(String, JSON)] = []
        for (key, value) in parameters.extra.map({ ($0.key, $0.value) }) {
            if configKeys.contains(key) {
                config = JSON.merging(config, [(key, value)])
            } else if textKeys.contains(key) {
                text = JSON.merging(text, [(key, value)])
            } else {
                topLevel = JSON.merging(topLevel, [(key, value)])
            }
        }
        var fields: [(String, JSON)] = [("taskType", .string("TEXT_IMAGE")), ("textToImageParams", .object(text))]
        if !config.isEmpty { fields.append(("imageGenerationConfig", .object(config))) }
        return .object(JSON.merging(fields, topLevel))
    }

    /// The images in a 2xx answer. A filtered image is the provider declining
    /// the request (exit 4), even though it came back as HTTP 200.
    func parse(_ json: JSON, model: String) throws(ImageGenError) -> [GeneratedImage] {
        func filtered(_ reason: String) -> ImageGenError {
            .rejected(
                provider: .bedrock, status: 200,
                message: "\(model) withheld the image (\(reason)); "
                    + "the prompt or the image was blocked by the content filter, rephrase the prompt")
        }
        func missing(_ what: String) -> ImageGenError {
            .badResponse(provider: .bedrock, message: "the \(rawValue) answer has no \(what)")
        }
        var images: [GeneratedImage] = []
        switch self {
        case .stableDiffusionXL:
            guard let artifacts = json["artifacts"]?.arrayValue, !artifacts.isEmpty else {
                throw missing("\"artifacts\"")
            }
            for artifact in artifacts {
                let reason = artifact["finishReason"]?.stringValue ?? "SUCCESS"
                guard reason == "SUCCESS" else { throw filtered("finishReason \(reason)") }
                guard let base64 = artifact["base64"]?.utf8Bytes else { throw missing("artifacts[].base64") }
                images.append(image(base64, extra: artifact["seed"].map { [("seed", $0)] } ?? []))
            }
        case .stableImage:
            let reasons = json["finish_reasons"]?.arrayValue ?? []
            if let reason = reasons.first(where: { !$0.isNull }) {
                throw filtered(reason.stringValue ?? reason.text)
            }
            guard let list = json["images"]?.arrayValue, !list.isEmpty else { throw missing("\"images\"") }
            let seeds = json["seeds"]?.arrayValue ?? []
            for (index, item) in list.enumerated() {
                guard let base64 = item.utf8Bytes else { throw missing("base64 string in images[\(index)]") }
                let seed = index < seeds.count ? [("seed", seeds[index])] : []
                images.append(image(base64, extra: seed))
            }
        case .amazonImage:
            if let error = json["error"], !error.isNull {
                throw .rejected(provider: .bedrock, status: 200, message: error.stringValue ?? error.text)
            }
            guard let list = json["images"]?.arrayValue, !list.isEmpty else { throw missing("\"images\"") }
            for (index, item) in list.enumerated() {
                guard let base64 = item.utf8Bytes else { throw missing("base64 string in images[\(index)]") }
                images.append(image(base64))
            }
        }
        return images
    }

    private func image(_ base64: ArraySlice<UInt8>, extra: [(String, JSON)] = []) -> GeneratedImage {
        var image = GeneratedImage(extra: extra)
        image.base64 = base64
        return image
    }
}
