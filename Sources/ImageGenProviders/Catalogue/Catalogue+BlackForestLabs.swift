import ImageGenCore

// Black Forest Labs' FLUX models as its API reference and pricing page give
// them. BFL publishes no model list (`imagegen models --live` says so), so
// this table is all imagegen knows; each task makes one image.
extension ModelCatalogue {
    static let blackForestLabsSources = (
        reference: "https://docs.bfl.ai/api-reference (one page per model endpoint)",
        pricing: "https://docs.bfl.ai/quick_start/pricing",
        flux2: "https://docs.bfl.ai/api-reference/models/generate-or-edit-an-image-with-flux2-[pro]"
    )

    /// What every FLUX endpoint takes: a seed, jpeg or png, one image a task.
    static var flux: Capabilities {
        var accepts = Capabilities(counts: nil)
        accepts.outputFormats = ["jpeg", "png"]
        // BFL documents the seed as an integer without bounds.
        accepts.seeds = 0...Int.max
        accepts.hints = [
            "quality": "does not take --quality; FLUX has none",
            "style": "does not take --style; describe the style in the prompt",
            "response-format": "answers with a URL that imagegen downloads; drop --response-format",
        ]
        return accepts
    }

    /// FLUX.1 [pro], [dev], 1.1 [pro]: `width` and `height` from 256 to
    /// 1440, multiples of 32 (the endpoints' reference pages).
    static var fluxSized: Capabilities {
        var accepts = flux
        accepts.sizes = .constrained(
            multiple: 32, edges: 256...1440, pixels: 65_536...2_073_600, maxAspect: 5.625, keywords: [])
        return accepts
    }

    /// FLUX.2: `width` and `height` of at least 64 (multiples of 16 as its
    /// reference shows in examples), up to 4 megapixels.
    static var flux2: Capabilities {
        var accepts = flux
        accepts.sizes = .constrained(
            multiple: 16, edges: 64...4096, pixels: 4096...4_194_304, maxAspect: 64, keywords: [])
        return accepts
    }

    /// Ultra and Kontext take `aspect_ratio`, not a size.
    static var fluxAspect: Capabilities {
        var accepts = flux
        accepts.sizes = .notAccepted
        accepts.hints["size"] = "does not take --size; use --param aspect_ratio=16:9 (from 21:9 to 9:21)"
        return accepts
    }

    static let blackForestLabsRows: [CatalogueEntry] = {
        let checked = CalendarDate(2026, 11, 29)
        let priced = Source(blackForestLabsSources.pricing, checked: checked)
        func row(_ id: String, _ accepts: Capabilities, _ micros: Int?, source: Source = priced) -> CatalogueEntry {
            CatalogueEntry(
                .blackForestLabs, id, family: .flux, accepts: accepts,
                price: micros.map { .perImage([ImagePrice($0)]) }, source: source)
        }
        // FLUX.2 is priced by megapixel: the first one's price is known, a
        // larger image's is left unknown rather than guessed.
        func flux2Row(_ id: String, firstMegapixel micros: Int) -> CatalogueEntry {
            CatalogueEntry(
                .blackForestLabs, id, family: .flux, accepts: flux2,
                price: .perImage([ImagePrice(micros, maxPixels: 1_048_576)]),
                source: Source(
                    blackForestLabsSources.flux2, checked: checked,
                    note: "priced per megapixel; only the first megapixel's price is in this table"))
        }
        return [
            flux2Row("flux-2-pro", firstMegapixel: 30_000),
            flux2Row("flux-2-max", firstMegapixel: 70_000),
            flux2Row("flux-2-flex", firstMegapixel: 50_000),
            row("flux-kontext-pro", fluxAspect, 40_000),
            row("flux-kontext-max", fluxAspect, 80_000),
            row("flux-pro-1.1", fluxSized, 40_000),
            row("flux-pro-1.1-ultra", fluxAspect, 60_000),
            row(
                "flux-pro", fluxSized, nil,
                source: Source(
                    blackForestLabsSources.reference, checked: checked, note: "no price on BFL's pricing page")),
            row(
                "flux-dev", fluxSized, nil,
                source: Source(
                    blackForestLabsSources.reference, checked: checked, note: "no price on BFL's pricing page")),
        ]
    }()
}
