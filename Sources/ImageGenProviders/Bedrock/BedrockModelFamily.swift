import ImageGenCore

/// The four request and response formats of Bedrock's image models (SPEC §3).
/// Each family checks what it can locally (exit 2, nothing sent), builds its
/// body, and reads its answer into OpenAI-shaped images.
package enum BedrockModelFamily: String, Sendable {
    /// `stability.stable-diffusion-xl-*`: `text_prompts`, `artifacts[]`.
    case stableDiffusionXL = "Stability SDXL"
    /// `stability.sd3-*`, `stability.stable-image-*`: `prompt`, `images[]` + `finish_reasons`.
    case stableImage = "Stability SD3 / Stable Image"
    /// `amazon.titan-image-*`, `amazon.nova-canvas-*`: `TEXT_IMAGE` task, `images[]`.
    case amazonImage = "Amazon Titan / Nova Canvas"
    /// `stability.stable-image-inpaint-*` and the other Image Services: base64
    /// `image` (and `mask`) plus the task's fields; answers as Stable Image does.
    case stabilityServices = "Stability Image Services"

    static func unknownModel(_ model: String, suggestion: String?) -> ImageGenError {
        .usage(
            "'\(model)' is not a Bedrock image model imagegen knows"
                + (suggestion.map { "; did you mean \($0)?" }
                    ?? "; use stability.stable-diffusion-xl-*, stability.sd3-*, stability.stable-image-*, "
                    + "amazon.titan-image-generator-* or amazon.nova-canvas-*"))
    }

    /// Stability models make one image per call: `-n K` becomes K requests.
    var oneImagePerRequest: Bool { self != .amazonImage }

    /// The JSON body for one request; only what the user gave is sent.
    /// `imageFields` are the keys an Image Service takes its images under.
    func body(for request: GenerationRequest, imageFields: [String] = ["image"]) -> JSON {
        let size = request.parameters.pixelSize
        switch self {
        case .stableDiffusionXL:
            var fields: [(String, JSON)] = [("text_prompts", .array([.object([("text", .string(request.prompt))])]))]
            if let size { fields += [("height", .int(size.height)), ("width", .int(size.width))] }
            if let seed = request.parameters.seed { fields.append(("seed", .int(seed))) }
            return .object(JSON.merging(fields, request.parameters.extra.map { ($0.key, $0.value) }))
        case .stableImage:
            var fields: [(String, JSON)] = [("prompt", .string(request.prompt))]
            if let seed = request.parameters.seed { fields.append(("seed", .int(seed))) }
            if let format = request.parameters.outputFormat { fields.append(("output_format", .string(format))) }
            return .object(JSON.merging(fields, request.parameters.extra.map { ($0.key, $0.value) }))
        case .amazonImage:
            return amazonBody(request, size: size)
        case .stabilityServices:
            return servicesBody(request, imageFields: imageFields)
        }
    }

    /// The input image and mask as base64 strings, the prompt when the task
    /// has one, then the options and `--param` fields, which were checked
    /// against the model's task before this is built.
    private func servicesBody(_ request: GenerationRequest, imageFields: [String]) -> JSON {
        var fields: [(String, JSON)] = []
        for (key, image) in zip(imageFields, request.edit?.images ?? []) {
            fields.append((key, .string(Base64.encode(image.bytes))))
        }
        if let mask = request.edit?.mask { fields.append(("mask", .string(Base64.encode(mask.bytes)))) }
        if !request.prompt.isEmpty { fields.append(("prompt", .string(request.prompt))) }
        if let seed = request.parameters.seed { fields.append(("seed", .int(seed))) }
        if let format = request.parameters.outputFormat { fields.append(("output_format", .string(format))) }
        return .object(JSON.merging(fields, request.parameters.extra.map { ($0.key, $0.value) }))
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
        if let seed = parameters.seed { config.append(("seed", .int(seed))) }
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
        case .stableImage, .stabilityServices:
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
