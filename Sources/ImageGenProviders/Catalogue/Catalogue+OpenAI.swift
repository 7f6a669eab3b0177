import ImageGenCore

// OpenAI's image models, as OpenAI's image API reference, models and
// deprecations pages and pricing page give them. Each row names its
// source and the day it was checked; `imagegen models --live` asks OpenAI
// itself and caches what it says, so lifecycle stays right after this table ages.
extension ModelCatalogue {
    static let openAISources = (
        reference: "https://developers.openai.com/api/reference/resources/images/methods/generate",
        editReference: "https://developers.openai.com/api/reference/resources/images/methods/edit",
        deprecations: "https://developers.openai.com/api/docs/deprecations",
        azureRetirements: "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements",
        spec: "https://github.com/openai/openai-openapi (CreateImageRequest, 2026-08-21)"
    )

    /// Streaming (`--stream`), checked 2026-11-29: OpenAI's create-image
    /// reference gives `stream` ("generate the image in streaming mode",
    /// GPT image models only) and `partial_images` 0–3 ("the final image
    /// may be sent before the full number of partial images"); its image
    /// streaming reference gives the events `image_generation.partial_image`
    /// (`b64_json`, 0-based `partial_image_index`) and
    /// `image_generation.completed` (`b64_json`, `usage`), and for edits
    /// `image_edit.partial_image` and `image_edit.completed`, whose form
    /// takes `stream` and `partial_images` too. Azure's image how-to gives
    /// the same two fields and events for its GPT image deployments.
    static let streamingSources = (
        reference: "https://developers.openai.com/api/docs/api-reference/images/create",
        edits: "https://developers.openai.com/api/reference/resources/images/edit-streaming-events",
        guide: "https://developers.openai.com/api/docs/guides/image-generation",
        azure: "https://learn.microsoft.com/azure/ai-foundry/openai/how-to/dall-e",
        checked: CalendarDate(2026, 11, 29)
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
        // Streams, with 0 to 3 partial images (`streamingSources`, checked 2026-11-29).
        accepts.partialImages = 0...3
        accepts.promptMaxLength = 32_000
        accepts.acceptsUser = true
        accepts.edits = gptImageEdits
        accepts.hints = [
            "response-format": "always answers with b64_json and rejects response_format; drop --response-format",
            "style": "does not take --style (a dall-e-3 option); describe the style in the prompt",
            "seed": "does not take --seed; OpenAI's image models have no seed",
        ]
        return accepts
    }

    /// OpenAI's edit reference (`openAISources.editReference`, checked
    /// 2026-11-29): "each image should be a png, webp, or jpg file less than
    /// 50MB. You can provide up to 16 images"; the mask "must be a valid PNG
    /// file, less than 4MB, and have the same dimensions as image".
    static let gptImageEdits = EditRule(
        maxImages: 16, formats: ["png", "jpeg", "webp"], maxBytes: 50 << 20, maskMaxBytes: 4 << 20)

    /// The same reference: "For dall-e-2, you can only provide one image, and
    /// it should be a square png file less than 4MB."
    /// Its variations reference states the same: "Must be a valid PNG file,
    /// less than 4MB, and square."
    static let dallE2Edits: EditRule = {
        var rule = EditRule(maxImages: 1, formats: ["png"], maxBytes: 4 << 20, square: true, maskMaxBytes: 4 << 20)
        rule.tasks = [EditTask.defaultName, "variation"]
        return rule
    }()

    /// GPT image models with custom sizes: edges multiples of 16 up to 3840,
    /// at most 3:1, from 655,360 to 8,294,400 pixels (OpenAI's reference
    /// states the multiples, the ratio and 3840x2160; Azure's the pixel bounds).
    static var gptImageCustomSizes: Capabilities {
        var accepts = gptImage
        accepts.sizes = .constrained(
            multiple: 16, edges: 16...3840, pixels: 655_360...8_294_400, maxAspect: 3, keywords: ["auto"])
        return accepts
    }

    /// Output tokens per image at about a megapixel, by quality: square,
    /// portrait, landscape. OpenAI published these for gpt-image-1 (image
    /// generation guide, "Cost and latency"); it publishes none for the
    /// newer models, so their estimates assume the same counts, and the
    /// `xhigh` and `max` qualities have no estimate at all.
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
        dallE2.edits = dallE2Edits
        var dallE3 = Capabilities(counts: nil)
        dallE3.sizes = .list(["1024x1024", "1792x1024", "1024x1792"])
        dallE3.qualities = ["standard", "hd"]
        dallE3.styles = ["vivid", "natural"]
        dallE3.responseFormats = ["url", "b64_json"]
        dallE3.promptMaxLength = 4000
        dallE3.acceptsUser = true
        var finest = gptImageCustomSizes
        finest.qualities = ["low", "medium", "high", "xhigh", "max", "auto"]
        let deprecatedDecember = Lifecycle.deprecated(
            shutdown: CalendarDate(2026, 12, 1), replacement: "gpt-image-2.6-sunburst")
        // Per 1M tokens: text in, image out. Editing's image-input price does
        // not apply to generation.
        let current = tokenPrice(input: 5_000_000, output: 30_000_000)
        let thirdParty =
            "price from a reseller's copy of OpenAI's pricing page, not OpenAI's own (not in the stored copies)"
        return [
            CatalogueEntry(
                .openai, "gpt-image-2.6-sunburst", family: .gptImage, accepts: finest, price: current,
                source: Source(
                    "https://developers.openai.com/api/docs/models/gpt-image-2.6-sunburst", checked: checked,
                    note: "xhigh and max qualities, and the size rule, from third-party copies of OpenAI's guide"),
                recommended: true),
            CatalogueEntry(
                .openai, "gpt-image-2.6-flare", family: .gptImage, accepts: finest, price: current,
                source: Source(openAISources.reference, checked: checked, note: thirdParty)),
            CatalogueEntry(
                .openai, "gpt-image-2.5-sunburst", aliases: ["gpt-image-2.5-sunburst-2026-09-08"], family: .gptImage,
                accepts: finest, price: current,
                source: Source(openAISources.reference, checked: checked, note: thirdParty)),
            CatalogueEntry(
                .openai, "gpt-image-2.5-flare", aliases: ["gpt-image-2.5-flare-2026-09-08"], family: .gptImage,
                accepts: finest, price: current,
                source: Source(openAISources.reference, checked: checked, note: thirdParty)),
            CatalogueEntry(
                .openai, "gpt-image-2", aliases: ["gpt-image-2-2026-04-21"], family: .gptImage,
                azureLifecycle: .scheduled(retirement: CalendarDate(2027, 4, 21), replacement: nil),
                accepts: gptImageCustomSizes, price: current,
                source: Source(
                    "https://developers.openai.com/api/docs/models/gpt-image-2", checked: checked, note: thirdParty)),
            CatalogueEntry(
                .openai, "gpt-image-1.5", aliases: ["gpt-image-1.5-2025-12-16"], family: .gptImage,
                lifecycle: deprecatedDecember,
                azureLifecycle: .deprecated(shutdown: CalendarDate(2026, 12, 16), replacement: "gpt-image-2"),
                accepts: gptImage,
                price: .perImage([
                    ImagePrice(9_000, quality: "low", square: true), ImagePrice(13_000, quality: "low"),
                    ImagePrice(34_000, quality: "medium", square: true), ImagePrice(50_000, quality: "medium"),
                    ImagePrice(133_000, quality: "high", square: true), ImagePrice(200_000),
                ]),
                source: Source(
                    openAISources.deprecations, checked: checked,
                    note: "per-image prices from a reseller's copy of OpenAI's pricing, not OpenAI's own")),
            CatalogueEntry(
                .openai, "gpt-image-1-mini", family: .gptImage,
                lifecycle: .deprecated(shutdown: CalendarDate(2026, 12, 1), replacement: "gpt-image-2.6-flare"),
                azureLifecycle: .scheduled(retirement: CalendarDate(2027, 4, 7), replacement: "gpt-image-2"),
                accepts: gptImage,
                price: .perImage([
                    ImagePrice(5_000, quality: "low", square: true), ImagePrice(6_000, quality: "low"),
                    ImagePrice(11_000, quality: "medium", square: true), ImagePrice(15_000, quality: "medium"),
                    ImagePrice(36_000, quality: "high", square: true), ImagePrice(52_000),
                ]),
                source: Source("https://developers.openai.com/api/docs/models/gpt-image-1-mini", checked: checked)),
            CatalogueEntry(
                .openai, "chatgpt-image-latest", family: .gptImage, lifecycle: deprecatedDecember, accepts: gptImage,
                price: nil, source: Source(openAISources.deprecations, checked: checked, note: "price not found")),
            CatalogueEntry(
                .openai, "gpt-image-1", family: .gptImage,
                lifecycle: .retired(on: CalendarDate(2026, 10, 23), replacement: "gpt-image-2.5-sunburst"),
                azureLifecycle: .retired(on: CalendarDate(2026, 10, 23), replacement: "gpt-image-2"),
                accepts: gptImage, price: tokenPrice(input: 5_000_000, output: 40_000_000), source: reference),
            CatalogueEntry(
                .openai, "dall-e-3", family: .dallE,
                lifecycle: .retired(on: CalendarDate(2026, 5, 12), replacement: "gpt-image-2.5-sunburst"),
                azureLifecycle: .retired(on: CalendarDate(2026, 3, 4), replacement: "gpt-image-1.5"),
                accepts: dallE3,
                price: .perImage([
                    ImagePrice(80_000, quality: "hd", square: true), ImagePrice(120_000, quality: "hd"),
                    ImagePrice(40_000, square: true), ImagePrice(80_000),
                ]), source: reference),
            CatalogueEntry(
                .openai, "dall-e-2", family: .dallE,
                lifecycle: .retired(on: CalendarDate(2026, 5, 12), replacement: "gpt-image-2.5-sunburst"),
                azureLifecycle: .retired(on: CalendarDate(2025, 1, 27), replacement: nil),
                accepts: dallE2,
                price: .perImage([
                    ImagePrice(16_000, maxPixels: 256 * 256), ImagePrice(18_000, maxPixels: 512 * 512),
                    ImagePrice(20_000),
                ]), source: reference),
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
