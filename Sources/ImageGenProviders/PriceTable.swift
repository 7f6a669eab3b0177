import ImageGenCore

/// What images cost, in millionths of a US dollar (integers, so a sum of
/// prices compares exactly against `--max-cost`).
///
/// Sources, as of 2025 (list prices, USD, on-demand, no discounts):
/// - OpenAI pricing page: dall-e-2 0.016 / 0.018 / 0.020 per 256 / 512 / 1024
///   square image; dall-e-3 standard 0.04 (1024x1024) and 0.08 (1792x1024,
///   1024x1792), hd 0.08 and 0.12; gpt-image-1 text input 5 USD and image
///   output 40 USD per million tokens. Recorded in docs/providers.md "Prices seen".
/// - gpt-image-1 output tokens per image, OpenAI image generation guide
///   ("Cost and latency"): low 272 / 408 / 400, medium 1056 / 1584 / 1568, high
///   4160 / 6240 / 6208 for 1024x1024 / 1024x1536 / 1536x1024. At 40 USD per
///   million these are OpenAI's published per-image prices (0.011 / 0.016,
///   0.042 / 0.063, 0.167 / 0.25), which is how they were cross-checked.
/// - AWS Bedrock pricing page: Titan Image Generator standard 0.008 (up to
///   512x512) / 0.01 (larger), premium 0.01 / 0.012; Nova Canvas standard
///   0.04 (up to 1024x1024) / 0.06 (up to 2048x2048), premium 0.06 / 0.08;
///   SD3 Large 0.08; Stable Image Core 0.04; Stable Image Ultra 0.14;
///   SDXL up to 512x512 0.018 and larger 0.04 with at most 50 steps, twice
///   that above 50 steps (0.036 / 0.08).
///
/// Azure OpenAI deployments are priced only when the deployment is named after
/// the model (azure/dall-e-3), at OpenAI's list price: Azure's list prices for
/// these models match, but a deployment called anything else could be any model.
package enum PriceTable {
    /// A model whose price is known.
    package enum PricedModel: Equatable, Sendable {
        case dallE2, dallE3, gptImage1
        case titanImage, novaCanvas, stableDiffusionXL, sd3, stableImageCore, stableImageUltra
    }

    static let gptImageInputPerToken = 5  // micro-USD
    static let gptImageOutputPerToken = 40

    /// The priced model behind a route, or nil when its price is unknown.
    static func pricedModel(_ route: Route) -> PricedModel? {
        switch route.provider {
        case .openai, .azure:
            switch route.model {
            case "dall-e-2": return .dallE2
            case "dall-e-3": return .dallE3
            case "gpt-image-1": return .gptImage1
            default: return nil
            }
        case .bedrock:
            // Cross-region inference profiles prefix the model id with a geography.
            var id = Substring(route.model)
            for geography in ["us.", "eu.", "apac.", "global."] where id.hasPrefix(geography) {
                id = id.dropFirst(geography.count)
            }
            let families: [(String, PricedModel)] = [
                ("amazon.titan-image-generator", .titanImage), ("amazon.nova-canvas", .novaCanvas),
                ("stability.stable-diffusion-xl", .stableDiffusionXL), ("stability.sd3", .sd3),
                ("stability.stable-image-core", .stableImageCore),
                ("stability.stable-image-ultra", .stableImageUltra),
            ]
            return families.first { id.hasPrefix($0.0) }?.1
        }
    }

    /// The estimated price of one image before anything is sent; nil when unknown.
    /// Where the price depends on a value the provider picks (gpt-image-1's
    /// `auto` quality or size), the dearest choice is assumed, so `--max-cost`
    /// never lets a run through that could cost more.
    static func perImage(_ model: PricedModel, _ request: GenerationRequest) -> Int {
        let size = request.parameters.pixelSize
        let quality = request.parameters.quality
        switch model {
        case .dallE2:
            switch size?.width {
            case 256: return 16_000
            case 512: return 18_000
            default: return 20_000
            }
        case .dallE3:
            let square = size.map { $0.width == $0.height } ?? true
            if quality == "hd" { return square ? 80_000 : 120_000 }
            return square ? 40_000 : 80_000
        case .gptImage1:
            return gptImageOutputTokens(quality: quality, size: size) * gptImageOutputPerToken
                + promptTokenBound(request.prompt) * gptImageInputPerToken
        case .titanImage:
            let small = size.map { $0.pixelCount <= 512 * 512 } ?? false
            if quality == "premium" { return small ? 10_000 : 12_000 }
            return small ? 8_000 : 10_000
        case .novaCanvas:
            let upTo1024 = size.map { $0.pixelCount <= 1024 * 1024 } ?? true
            if quality == "premium" { return upTo1024 ? 60_000 : 80_000 }
            return upTo1024 ? 40_000 : 60_000
        case .stableDiffusionXL:
            let steps = request.parameters.extra("steps")?.intValue ?? 30
            let small = size.map { $0.pixelCount <= 512 * 512 } ?? false
            let standard = small ? 18_000 : 40_000
            return steps > 50 ? standard * 2 : standard
        case .sd3: return 80_000
        case .stableImageCore: return 40_000
        case .stableImageUltra: return 140_000
        }
    }

    /// OpenAI's published output tokens for one gpt-image-1 image.
    static func gptImageOutputTokens(quality: String?, size: ImageSize?) -> Int {
        let table: [String: (square: Int, portrait: Int, landscape: Int)] = [
            "low": (272, 408, 400), "medium": (1056, 1584, 1568), "high": (4160, 6240, 6208),
        ]
        let row = quality.flatMap { table[$0] } ?? table["high"]!
        guard let size else { return row.portrait }  // auto: the largest
        if size.width == size.height { return row.square }
        return size.height > size.width ? row.portrait : row.landscape
    }

    /// No tokenizer here: one token per UTF-8 byte is a bound no prompt exceeds
    /// (real prompts use about a quarter of that), and at 5 USD per million
    /// tokens it adds a fraction of a cent.
    static func promptTokenBound(_ prompt: String) -> Int { prompt.utf8.count }

    /// The estimated cost of a whole request before sending, in micro-USD; nil
    /// when the model's price is unknown.
    package static func estimate(_ request: GenerationRequest, knowledge: ModelKnowledge) -> Int? {
        guard let model = knowledge.price else { return nil }
        if model == .gptImage1 {
            // One prompt per request however many images it makes.
            let images = gptImageOutputTokens(quality: request.parameters.quality, size: request.parameters.pixelSize)
            return request.imageCount * images * gptImageOutputPerToken
                + promptTokenBound(request.prompt) * gptImageInputPerToken
        }
        return request.imageCount * perImage(model, request)
    }

    /// What the run cost for the images that came back, in micro-USD: from the
    /// provider's token counts when it reports them (gpt-image-1), else the
    /// price per image. Nil when the price is unknown.
    package static func cost(
        of result: GenerationResult, request: GenerationRequest,
        knowledge: ModelKnowledge
    ) -> Int? {
        guard let model = knowledge.price else { return nil }
        if model == .gptImage1, let usage = result.usage, usage["output_tokens"] != nil {
            // The provider's numbers, checked: an absurd count leaves the cost
            // unknown rather than trapping or printing a wrapped-around sum.
            guard let input = usage["input_tokens"]?.intValue, let output = usage["output_tokens"]?.intValue,
                input >= 0, output >= 0
            else { return nil }
            let (inputCost, inputOverflow) = input.multipliedReportingOverflow(by: gptImageInputPerToken)
            let (outputCost, outputOverflow) = output.multipliedReportingOverflow(by: gptImageOutputPerToken)
            let (total, totalOverflow) = inputCost.addingReportingOverflow(outputCost)
            return inputOverflow || outputOverflow || totalOverflow ? nil : total
        }
        if model == .gptImage1 {
            var single = request
            single.parameters.n = result.images.count
            return result.images.isEmpty ? 0 : estimate(single, knowledge: knowledge)
        }
        return result.images.count * perImage(model, request)
    }

    /// Micro-USD as a JSON number of dollars with at most six decimals (`0.04`).
    package static func dollars(_ micros: Int) -> JSON {
        .number(dollarText(micros))
    }

    /// `0.04`, `1.2`, `0`.
    package static func dollarText(_ micros: Int) -> String {
        let whole = micros / 1_000_000
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }

    /// `--max-cost` in micro-USD, rounded to the nearest.
    package static func micros(dollars: Double) -> Int {
        let micros = (dollars * 1_000_000).rounded()
        return micros < Double(Int.max) ? Int(micros) : Int.max
    }
}
