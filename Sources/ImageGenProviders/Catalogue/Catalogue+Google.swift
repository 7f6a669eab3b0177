import ImageGenCore

// Google's image models, served by Google AI Studio (`gemini/…`) and Vertex
// AI (`vertex_ai/…`) under the same ids. Each row is written once and listed
// for both providers: the two publish one schedule for these models (the
// Imagen shutdown applies "to both the Gemini Developer API and Vertex AI").
extension ModelCatalogue {
    static let googleSources = (
        deprecations: "https://ai.google.dev/gemini-api/docs/deprecations",
        imageGeneration: "https://ai.google.dev/gemini-api/docs/image-generation",
        imagen: "https://ai.google.dev/gemini-api/docs/imagen",
        imagenShutdown: "https://firebase.google.com/docs/ai-logic/generate-images-imagen",
        vertexImagen3: "https://cloud.google.com/vertex-ai/generative-ai/docs/models/imagen/3-0-generate",
        pricing: "https://ai.google.dev/gemini-api/docs/pricing"
    )

    /// The ten ratios of the Gemini 2.5 / 3 Pro image models.
    static let geminiRatios = ["1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9"]
    /// Gemini 3.1 Flash Image adds the extreme ratios.
    static let geminiFlash31Ratios = geminiRatios + ["1:4", "4:1", "1:8", "8:1"]
    static let imagenRatios = ["1:1", "3:4", "4:3", "9:16", "16:9"]
    static let geminiTiers: [(name: String, side: Int)] = [("1K", 1024), ("2K", 2048), ("4K", 4096)]

    /// What every Google image model refuses, whatever its API.
    static func googleBase(_ rule: GoogleImageRule, counts: ClosedRange<Int>) -> Capabilities {
        var accepts = Capabilities(counts: counts)
        accepts.google = rule
        accepts.responseFormats = ["b64_json"]
        accepts.hints = [
            "quality": "does not take --quality; --size picks the resolution",
            "style": "does not take --style; describe the style in the prompt",
            "user": "does not take --user; drop it",
            "background": "does not take --background; drop it",
            "moderation": "does not take --moderation; drop it",
            "output-format": "does not take --output-format; the file's format follows the answer",
            "seed": "does not take --seed; drop it",
        ]
        return accepts
    }

    static func gemini(ratios: [String], tiers: [(name: String, side: Int)]) -> Capabilities {
        // candidateCount: the GenerationConfig reference gives no image-specific
        // limit; 8 is its general bound, and the service refuses what a model cannot.
        var accepts = googleBase(
            GoogleImageRule(api: .generateContent, aspectRatios: ratios, imageSizes: tiers), counts: 1...8)
        accepts.seeds = 0...2_147_483_647
        accepts.hints.removeValue(forKey: "seed")
        return accepts
    }

    static func imagen(tiers: [(name: String, side: Int)]) -> Capabilities {
        googleBase(GoogleImageRule(api: .predict, aspectRatios: imagenRatios, imageSizes: tiers), counts: 1...4)
    }

    /// One row for each Google provider.
    static let google: [CatalogueEntry] = {
        let checked = CalendarDate(2026, 11, 29)
        let thirdPartyPrice =
            "per-image price from Google's pricing page as quoted by third parties (the page itself is not in "
            + "the stored copies)"
        let imagenGone = CalendarDate(2026, 8, 17)
        let rows: [GoogleRow] = [
            GoogleRow(
                "gemini-3.1-flash-image", .geminiImage, .active,
                gemini(ratios: geminiFlash31Ratios, tiers: geminiTiers),
                // 1120 / 1680 / 2520 output tokens at 60 USD per million.
                .perImage([
                    ImagePrice(67_000, maxPixels: 1024 * 1024), ImagePrice(101_000, maxPixels: 2048 * 2048),
                    ImagePrice(151_000),
                ]),
                Source(
                    googleSources.deprecations, checked: checked,
                    note: "released 2026-05-28, no shutdown announced; ratios and tiers from "
                        + googleSources.imageGeneration + "; " + thirdPartyPrice)
            ),
            GoogleRow(
                "gemini-3-pro-image", .geminiImage, .active, gemini(ratios: geminiRatios, tiers: geminiTiers),
                .perImage([ImagePrice(134_000, maxPixels: 2048 * 2048), ImagePrice(240_000)]),
                Source(
                    googleSources.deprecations, checked: checked,
                    note: "released 2026-05-28, no shutdown announced; " + thirdPartyPrice)
            ),
            GoogleRow(
                "gemini-3.1-flash-image-preview", .geminiImage,
                .retired(on: CalendarDate(2026, 6, 25), replacement: "gemini-3.1-flash-image"),
                gemini(ratios: geminiFlash31Ratios, tiers: geminiTiers), nil,
                Source(googleSources.deprecations, checked: checked)
            ),
            GoogleRow(
                "gemini-3-pro-image-preview", .geminiImage,
                .retired(on: CalendarDate(2026, 6, 25), replacement: "gemini-3-pro-image"),
                gemini(ratios: geminiRatios, tiers: geminiTiers), nil,
                Source(googleSources.deprecations, checked: checked)
            ),
            GoogleRow(
                // "Earliest October 2, 2026": an earliest date, not a shutdown,
                // so the model is warned about, not refused.
                "gemini-2.5-flash-image", .geminiImage,
                .deprecated(shutdown: nil, replacement: "gemini-3.1-flash-image"),
                gemini(ratios: geminiRatios, tiers: []),
                // 1290 output tokens at 30 USD per million.
                .perImage([ImagePrice(39_000)]),
                Source(
                    googleSources.deprecations, checked: checked,
                    note: "shutdown listed as earliest 2026-10-02; one resolution (1K); " + thirdPartyPrice)
            ),
            GoogleRow(
                "imagen-4.0-generate-001", .imagen, .retired(on: imagenGone, replacement: "gemini-3.1-flash-image"),
                imagen(tiers: [("1K", 1024), ("2K", 2048)]), .perImage([ImagePrice(40_000)]),
                Source(googleSources.imagenShutdown, checked: checked, note: thirdPartyPrice)
            ),
            GoogleRow(
                "imagen-4.0-ultra-generate-001", .imagen, .retired(on: imagenGone, replacement: "gemini-3-pro-image"),
                imagen(tiers: [("1K", 1024), ("2K", 2048)]), .perImage([ImagePrice(60_000)]),
                Source(googleSources.imagenShutdown, checked: checked, note: thirdPartyPrice)
            ),
            GoogleRow(
                "imagen-4.0-fast-generate-001", .imagen,
                .retired(on: imagenGone, replacement: "gemini-3.1-flash-image"),
                imagen(tiers: []), .perImage([ImagePrice(20_000)]),
                Source(googleSources.imagenShutdown, checked: checked, note: thirdPartyPrice)
            ),
            GoogleRow(
                "imagen-3.0-generate-002", .imagen,
                .retired(on: CalendarDate(2026, 6, 30), replacement: "gemini-3.1-flash-image"),
                imagen(tiers: []), .perImage([ImagePrice(30_000)]),
                Source(googleSources.vertexImagen3, checked: checked, note: thirdPartyPrice)
            ),
        ]
        return [ProviderKind.gemini, .vertexAI].flatMap { provider in
            rows.map { row in
                CatalogueEntry(
                    provider, row.id, family: row.family, lifecycle: row.lifecycle, accepts: row.accepts,
                    price: row.price, source: row.source)
            }
        }
    }()

    /// A Google name the table does not list: `imagen-…` is an Imagen model,
    /// anything else is taken to be a Gemini model asked for images. No price.
    static func googleFamilyDefaults(_ provider: ProviderKind, _ model: String) -> CatalogueEntry? {
        let isImagen = model.hasPrefix("imagen")
        var accepts = isImagen ? imagen(tiers: []) : gemini(ratios: geminiRatios, tiers: [])
        // Unknown limits: the service judges the count and the ratio.
        accepts.counts = 1...Int(Int32.max)
        return CatalogueEntry(
            provider, model, family: isImagen ? .imagen : .geminiImage, accepts: accepts, price: nil,
            source: Source(googleSources.imageGeneration, checked: CalendarDate(2026, 11, 29)))
    }
}

/// One Google model, listed for each Google provider.
struct GoogleRow {
    let id: String
    let family: ModelFamily
    let lifecycle: Lifecycle
    let accepts: Capabilities
    let price: Price?
    let source: Source

    init(
        _ id: String, _ family: ModelFamily, _ lifecycle: Lifecycle, _ accepts: Capabilities, _ price: Price?,
        _ source: Source
    ) {
        self.id = id
        self.family = family
        self.lifecycle = lifecycle
        self.accepts = accepts
        self.price = price
        self.source = source
    }
}

/// Names the Google clients fall back on.
package enum GoogleModels {
    /// The model a `--model gemini/` with no name is pointed to.
    static let example = "gemini-3.1-flash-image"

    static func defaultRule(for model: String) -> GoogleImageRule {
        ModelCatalogue.googleFamilyDefaults(.gemini, model)!.accepts.google!
    }
}
