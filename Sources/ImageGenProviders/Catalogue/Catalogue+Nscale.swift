import ImageGenCore

// Nscale's serverless image models, as its image-generation guide and API
// reference give them (https://docs.nscale.com/docs/inference/image-generation,
// https://docs.nscale.com/api-reference/inferencing/create-image, checked
// 2026-11-29): OpenAI's Images API, `size` defaulting to 512x512, `b64_json` answers.
extension ModelCatalogue {
    static let nscaleRows: [CatalogueEntry] = {
        // `n` is documented without a maximum: one image per request is safe.
        var accepts = Capabilities(counts: nil)
        accepts.hints = [
            "quality": "does not take --quality", "style": "does not take --style",
            "seed": "does not take --seed on Nscale's Images API",
        ]
        return [
            CatalogueEntry(
                .nscale, "black-forest-labs/FLUX.1-schnell", family: .flux, accepts: accepts, price: nil,
                source: Source(
                    "https://docs.nscale.com/api-reference/inferencing/create-image",
                    checked: CalendarDate(2026, 11, 29), note: "no per-image price found in Nscale's pages"))
        ]
    }()
}
