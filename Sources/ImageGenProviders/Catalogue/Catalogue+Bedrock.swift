import ImageGenCore

// Amazon Bedrock's image-generation models, as AWS's model cards, model
// lifecycle page, inference-parameter pages and pricing page give them.
extension ModelCatalogue {
    static let bedrockSources = (
        lifecycle: "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html",
        titan: "https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-image.html",
        nova: "https://docs.aws.amazon.com/nova/latest/userguide/image-gen-req-resp-structure.html",
        stability: "https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-stability-diffusion.html",
        pricing: "https://aws.amazon.com/bedrock/pricing/"
    )

    /// What every Bedrock image model refuses, whatever its family.
    static func bedrockBase(counts: ClosedRange<Int>?) -> Capabilities {
        var accepts = Capabilities(counts: counts)
        accepts.responseFormats = ["b64_json"]
        accepts.hints = [
            "user": "does not take --user (Bedrock has no end-user field); drop it",
            "background": "does not take --background; drop it",
            "moderation": "does not take --moderation; Bedrock's guardrails are set on the account",
        ]
        return accepts
    }

    static var stableDiffusionXL: Capabilities {
        var accepts = bedrockBase(counts: nil)
        accepts.sizes = .list([
            "1024x1024", "1152x896", "1216x832", "1344x768", "1536x640", "640x1536", "768x1344", "832x1216",
            "896x1152",
        ])
        accepts.seeds = 0...4_294_967_295
        accepts.hints["quality"] = "does not take --quality; use --param steps=N instead"
        accepts.hints["style"] = "does not take --style; use --param style_preset=NAME instead"
        return accepts
    }

    static var stableImage: Capabilities {
        var accepts = bedrockBase(counts: nil)
        accepts.sizes = .notAccepted
        accepts.outputFormats = ["png", "jpeg", "webp"]
        accepts.seeds = 0...4_294_967_294
        accepts.promptMaxLength = 10_000
        accepts.hints["size"] =
            "does not take --size; use --param aspect_ratio=RATIO (one of 16:9, 1:1, 21:9, 2:3, 3:2, 4:5, 5:4, 9:16, 9:21)"
        accepts.hints["style"] = "does not take --style; describe the style in the prompt"
        return accepts
    }

    static var amazonImage: Capabilities {
        var accepts = bedrockBase(counts: 1...5)
        accepts.sizes = .constrained(
            multiple: 16, edges: 320...4096, pixels: 320 * 320...4_194_304, maxAspect: 4, keywords: [])
        accepts.qualities = ["standard", "premium"]
        accepts.seeds = 0...858_993_459
        accepts.promptMaxLength = 1024
        accepts.hints["style"] = "does not take --style; use --param style=NAME (Nova Canvas) instead"
        return accepts
    }

    static let bedrock: [CatalogueEntry] = {
        let checked = CalendarDate(2026, 11, 29)
        var titan = amazonImage
        titan.sizes = .list([
            "1024x1024", "768x768", "512x512", "768x1152", "384x576", "1152x768", "576x384", "768x1280", "384x640",
            "1280x768", "640x384", "896x1152", "448x576", "1152x896", "576x448", "768x1408", "384x704", "1408x768",
            "704x384", "640x1408", "320x704", "1408x640", "704x320", "1152x640", "1173x640",
        ])
        titan.promptMaxLength = 512
        titan.seeds = 0...2_147_483_646
        var nova = amazonImage
        nova.seeds = 0...858_993_459
        // AWS's pricing page is not in the stored copies: these are the
        // project's earlier figures, unverified this time.
        let unverifiedPrice = "per-image price not found in the stored copies of AWS's pricing page; earlier figure"
        let titanPrice = Price.perImage([
            ImagePrice(10_000, quality: "premium", maxPixels: 512 * 512), ImagePrice(12_000, quality: "premium"),
            ImagePrice(8_000, maxPixels: 512 * 512), ImagePrice(10_000),
        ])
        return [
            CatalogueEntry(
                .bedrock, "amazon.nova-canvas-v1:0", family: .amazonImage,
                lifecycle: .deprecated(shutdown: CalendarDate(2026, 9, 30), replacement: "stability.sd3-5-large-v1:0"),
                accepts: nova,
                price: .perImage([
                    ImagePrice(60_000, quality: "premium", maxPixels: 1024 * 1024),
                    ImagePrice(80_000, quality: "premium"),
                    ImagePrice(40_000, maxPixels: 1024 * 1024), ImagePrice(60_000),
                ]),
                source: Source(
                    bedrockSources.lifecycle, checked: checked,
                    note: "Legacy with end of life 2026-09-30 per two third-party copies (AWS's row not in the stored "
                        + "copies); " + unverifiedPrice), nicknames: ["nova-canvas", "nova"]),
            CatalogueEntry(
                .bedrock, "amazon.titan-image-generator-v2:0", family: .amazonImage,
                lifecycle: .deprecated(shutdown: CalendarDate(2026, 6, 30), replacement: "stability.sd3-5-large-v1:0"),
                accepts: titan, price: titanPrice,
                source: Source(
                    "https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-amazon-titan-image-generator-g1-v2.html",
                    checked: checked, note: unverifiedPrice), nicknames: ["titan-v2", "titan"]),
            CatalogueEntry(
                .bedrock, "amazon.titan-image-generator-v1", aliases: ["amazon.titan-image-generator-v1:0"],
                family: .amazonImage, accepts: titan, price: titanPrice,
                source: Source(
                    bedrockSources.titan, checked: checked,
                    note: "lifecycle not found (likely end of life; imagegen models --live asks AWS); "
                        + unverifiedPrice),
                nicknames: ["titan-v1"]),
            CatalogueEntry(
                .bedrock, "stability.sd3-5-large-v1:0", family: .stableImage, accepts: stableImage,
                price: .perImage([ImagePrice(80_000)]),
                source: Source(
                    "https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-diffusion-3-5-large.html",
                    checked: checked, note: unverifiedPrice),
                nicknames: ["sd3.5", "sd3.5-large", "stable-diffusion-3.5"]),
            CatalogueEntry(
                .bedrock, "stability.sd3-large-v1:0", family: .stableImage, accepts: stableImage,
                price: .perImage([ImagePrice(80_000)]),
                source: Source(
                    bedrockSources.stability, checked: checked,
                    note: "lifecycle not found (AWS says other Stability models are being phased out); "
                        + unverifiedPrice),
                nicknames: ["sd3", "sd3-large"]),
            CatalogueEntry(
                .bedrock, "stability.stable-image-core-v1:1", aliases: ["stability.stable-image-core-v1:0"],
                family: .stableImage, accepts: stableImage, price: .perImage([ImagePrice(40_000)]),
                source: Source(bedrockSources.stability, checked: checked, note: unverifiedPrice),
                nicknames: ["stable-image-core", "core"]),
            CatalogueEntry(
                .bedrock, "stability.stable-image-ultra-v1:1", aliases: ["stability.stable-image-ultra-v1:0"],
                family: .stableImage, accepts: stableImage, price: .perImage([ImagePrice(140_000)]),
                source: Source(bedrockSources.stability, checked: checked, note: unverifiedPrice),
                nicknames: ["stable-image-ultra", "ultra"]),
            CatalogueEntry(
                .bedrock, "stability.stable-diffusion-xl-v1", aliases: ["stability.stable-diffusion-xl-v1:0"],
                family: .stableDiffusionXL, accepts: stableDiffusionXL,
                price: .perImage([
                    ImagePrice(36_000, maxPixels: 512 * 512, minSteps: 51), ImagePrice(80_000, minSteps: 51),
                    ImagePrice(18_000, maxPixels: 512 * 512), ImagePrice(40_000),
                ]),
                source: Source(
                    bedrockSources.stability, checked: checked,
                    note: "lifecycle not found (AWS says other Stability models are being phased out); "
                        + unverifiedPrice),
                nicknames: ["sdxl", "sdxl-1.0"]),
        ] + stabilityServiceRows
    }()

    /// A Bedrock id of a known family that the table does not list gets
    /// that family's rules, and no price.
    static func bedrockFamilyDefaults(_ model: String) -> CatalogueEntry? {
        let families: [(prefix: String, family: ModelFamily, accepts: Capabilities)] = [
            ("stability.stable-diffusion-xl", .stableDiffusionXL, stableDiffusionXL),
            ("stability.sd3", .stableImage, stableImage), ("stability.stable-image", .stableImage, stableImage),
            ("stability.stable-diffusion-3", .stableImage, stableImage),
            ("amazon.titan-image", .amazonImage, amazonImage), ("amazon.nova-canvas", .amazonImage, amazonImage),
        ]
        guard let match = families.first(where: { model.hasPrefix($0.prefix) }) else { return nil }
        return CatalogueEntry(
            .bedrock, model, family: match.family, accepts: match.accepts, price: nil,
            source: Source(bedrockSources.lifecycle, checked: CalendarDate(2026, 11, 29)))
    }

    static func familyDefaults(_ provider: ProviderKind, _ model: String) -> CatalogueEntry? {
        switch provider {
        case .bedrock: return bedrockFamilyDefaults(model)
        case .gemini, .vertexAI: return googleFamilyDefaults(provider, model)
        case .openai, .azure: return openAIFamilyDefaults(model)
        case .blackForestLabs, .recraft, .openrouter, .xinference, .nscale: return nil
        }
    }
}
