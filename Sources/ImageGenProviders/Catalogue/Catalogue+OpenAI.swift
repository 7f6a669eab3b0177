import ImageGenCore

// OpenAI's image models, as OpenAI's image API reference, models and
// deprecations pages and pricing page give them. Each row names its
// source and the day it was checked; `imagegen models --live` asks OpenAI
// itself and caches what it says, so lifecycle stays right after this table ages.
extension ModelCatalogue {
    static let openAISources = (
        reference: "https://platform.openai.com/docs/api-reference/images/create",
        deprecations: "https://platform.openai.com/docs/deprecations",
        pricing: "https://platform.openai.com/docs/pricing",
        guide: "https://platform.openai.com/docs/guides/image-generation"
    )

    /// What every GPT image model takes; rows narrow or widen it.
    static var gptImage: Capabilities {
        var accepts = Capabilities(counts: 1...10)
        accepts.sizes = .list(["1024x1024", "1536x1024", "1024x1536", "auto"])
        accepts.qualities = ["low", "medium", "high", "auto"]
        accepts.backgrounds = ["transparent", "opaque", "auto"]
        accepts.outputFormats = ["png", "jpeg", "webp"]
        accepts.outputCompression = 0...100
        accepts.moderation = ["auto", "low"]
        accepts.partialImages = 0...3
        accepts.promptMaxLength = 32_000
        accepts.acceptsUser = true
        accepts.hints = [
            "response-format": "always answers with b64_json and rejects response_format; drop --response-format",
            "style": "does not take --style (a dall-e-3 option); describe the style in the prompt",
            "seed": "does not take --seed; OpenAI's image models have no seed",
        ]
        return accepts
    }

    /// GPT image models with custom sizes: edges multiples of 16 up to
    /// 3840, at most 3:1, from 655,360 to 8,294,400 pixels.
    static var gptImageCustomSizes: Capabilities {
        var accepts = gptImage
        accepts.sizes = .constrained(
            multiple: 16, edges: 16...3840, pixels: 655_360...8_294_400, maxAspect: 3, keywords: ["auto"])
        accepts.backgrounds = ["opaque", "auto"]
        accepts.hints["background"] = "has no transparent background; use --background opaque or auto"
        return accepts
    }

    /// Output tokens per image at about a megapixel (OpenAI's image guide,
    /// "Cost and latency"), by quality: square, portrait, landscape.
    static let gptImageTokens: [String: (square: Int, portrait: Int, landscape: Int)] = [
        "low": (272, 408, 400), "medium": (1056, 1584, 1568), "high": (4160, 6240, 6208),
    ]

    static func tokenPrice(
        input: Int, output: Int, tokens: [String: (square: Int, portrait: Int, landscape: Int)] = gptImageTokens,
        dearest: String = "high"
    ) -> Price {
        .perToken(
            TokenPrice(
                textInputPerMillion: input, imageOutputPerMillion: output, outputTokens: tokens,
                dearestQuality: dearest))
    }

    static let openAI: [CatalogueEntry] = {
        let checked = CalendarDate(2026, 11, 29)
        let reference = Source(openAISources.reference, checked: checked)
        let deprecations = Source(openAISources.deprecations, checked: checked)
        var dallE2 = Capabilities(counts: 1...10)
        dallE2.sizes = .list(["256x256", "512x512", "1024x1024"])
        dallE2.responseFormats = ["url", "b64_json"]
        dallE2.promptMaxLength = 1000
        dallE2.acceptsUser = true
        var dallE3 = Capabilities(counts: nil)
        dallE3.sizes = .list(["1024x1024", "1792x1024", "1024x1792"])
        dallE3.qualities = ["standard", "hd"]
        dallE3.styles = ["vivid", "natural"]
        dallE3.responseFormats = ["url", "b64_json"]
        dallE3.promptMaxLength = 4000
        dallE3.acceptsUser = true
        var xhigh = gptImageCustomSizes
        xhigh.qualities = ["low", "medium", "high", "xhigh", "max", "auto"]
        var xhighTokens = gptImageTokens
        xhighTokens["xhigh"] = (8320, 12480, 12416)
        xhighTokens["max"] = (16640, 24960, 24832)
        let shutdown = CalendarDate(2026, 12, 1)
        return [
            CatalogueEntry(
                .openai, "gpt-image-2", aliases: ["gpt-image-2-2026-04-21"], family: .gptImage,
                accepts: gptImageCustomSizes, price: tokenPrice(input: 5_000_000, output: 40_000_000),
                source: reference, recommended: true),
            CatalogueEntry(
                .openai, "gpt-image-2.5-sunburst", aliases: ["gpt-image-2.5-sunburst-2026-09-08"], family: .gptImage,
                accepts: xhigh,
                price: tokenPrice(input: 5_000_000, output: 40_000_000, tokens: xhighTokens, dearest: "max"),
                source: reference),
            CatalogueEntry(
                .openai, "gpt-image-2.5-flare", aliases: ["gpt-image-2.5-flare-2026-09-08"], family: .gptImage,
                accepts: xhigh,
                price: tokenPrice(input: 2_000_000, output: 8_000_000, tokens: xhighTokens, dearest: "max"),
                source: reference),
            CatalogueEntry(
                .openai, "gpt-image-2.6-sunburst", family: .gptImage, accepts: xhigh,
                price: tokenPrice(input: 5_000_000, output: 40_000_000, tokens: xhighTokens, dearest: "max"),
                source: reference),
            CatalogueEntry(
                .openai, "gpt-image-2.6-flare", family: .gptImage, accepts: xhigh,
                price: tokenPrice(input: 2_000_000, output: 8_000_000, tokens: xhighTokens, dearest: "max"),
                source: reference),
            CatalogueEntry(
                .openai, "gpt-image-1.5", aliases: ["gpt-image-1.5-2025-12-16"], family: .gptImage,
                lifecycle: .deprecated(shutdown: shutdown, replacement: "gpt-image-2.6-sunburst"),
                accepts: gptImage, price: tokenPrice(input: 5_000_000, output: 32_000_000), source: deprecations),
            CatalogueEntry(
                .openai, "gpt-image-1-mini", family: .gptImage,
                lifecycle: .deprecated(shutdown: shutdown, replacement: "gpt-image-2.6-flare"),
                accepts: gptImage, price: tokenPrice(input: 2_000_000, output: 8_000_000), source: deprecations),
            CatalogueEntry(
                .openai, "chatgpt-image-latest", family: .gptImage,
                lifecycle: .deprecated(shutdown: shutdown, replacement: "gpt-image-2.6-sunburst"),
                accepts: gptImage, price: tokenPrice(input: 5_000_000, output: 32_000_000), source: deprecations),
            CatalogueEntry(
                .openai, "gpt-image-1", family: .gptImage,
                lifecycle: .retired(on: CalendarDate(2026, 10, 23), replacement: "gpt-image-2.5-sunburst"),
                accepts: gptImage, price: tokenPrice(input: 5_000_000, output: 40_000_000), source: deprecations),
            CatalogueEntry(
                .openai, "dall-e-3", family: .dallE,
                lifecycle: .retired(on: CalendarDate(2026, 5, 12), replacement: "gpt-image-2"), accepts: dallE3,
                price: .perImage([
                    ImagePrice(80_000, quality: "hd", square: true), ImagePrice(120_000, quality: "hd"),
                    ImagePrice(40_000, square: true), ImagePrice(80_000),
                ]), source: deprecations),
            CatalogueEntry(
                .openai, "dall-e-2", family: .dallE,
                lifecycle: .retired(on: CalendarDate(2026, 5, 12), replacement: "gpt-image-2"), accepts: dallE2,
                price: .perImage([
                    ImagePrice(16_000, maxPixels: 256 * 256), ImagePrice(18_000, maxPixels: 512 * 512),
                    ImagePrice(20_000),
                ]), source: deprecations),
        ]
    }()

    /// A GPT image name the table does not list still gets the family's
    /// rules (no `response_format`, no `style`), its values unchecked.
    static func openAIFamilyDefaults(_ model: String) -> CatalogueEntry? {
        guard model.hasPrefix("gpt-image-") || model.hasPrefix("chatgpt-image") else { return nil }
        var accepts = gptImage
        accepts.sizes = .any
        accepts.qualities = .any
        accepts.backgrounds = .any
        accepts.outputFormats = .any
        accepts.moderation = .any
        return CatalogueEntry(
            .openai, model, family: .gptImage, accepts: accepts, price: nil,
            source: Source(openAISources.reference, checked: CalendarDate(2026, 11, 29)))
    }
}
