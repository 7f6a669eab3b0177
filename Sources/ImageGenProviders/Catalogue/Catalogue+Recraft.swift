import ImageGenCore

// Recraft's models, as its API documentation gives them
// (https://www.recraft.ai/docs, checked 2026-11-29): OpenAI's Images API
// shape with its own `style` and `substyle` (`--style`, `--param substyle=…`).
// Vector styles answer with SVG, which is not an image imagegen writes, so
// only raster styles are offered.
extension ModelCatalogue {
    static let recraftSource = "https://www.recraft.ai/docs"

    static var recraftRaster: Capabilities {
        var accepts = Capabilities(counts: 1...6)
        accepts.sizes = .list([
            "1024x1024", "1365x1024", "1024x1365", "1536x1024", "1024x1536", "1820x1024", "1024x1820",
            "1024x2048", "2048x1024", "1434x1024", "1024x1434", "1024x1280", "1280x1024", "1024x1707", "1707x1024",
        ])
        accepts.styles = ["any", "realistic_image", "digital_illustration"]
        accepts.responseFormats = ["url", "b64_json"]
        accepts.promptMaxLength = 1000
        accepts.hints = [
            "style": "takes --style any, realistic_image or digital_illustration; vector styles answer with SVG",
            "quality": "does not take --quality",
            "seed": "does not take --seed",
        ]
        return accepts
    }

    static let recraftRows: [CatalogueEntry] = {
        let checked = CalendarDate(2026, 11, 29)
        // "$0.04 per raster image, $0.08 per vector image", whatever the model.
        let source = Source(
            recraftSource, checked: checked,
            note: "raster price; LiteLLM also reads RECRAFT_API_BASE without /v1 and passes style, substyle, controls")
        return [
            CatalogueEntry(
                .recraft, "recraftv3", family: .recraft, accepts: recraftRaster,
                price: .perImage([ImagePrice(40_000)]), source: source),
            CatalogueEntry(
                .recraft, "recraftv2", family: .recraft, accepts: recraftRaster,
                price: .perImage([ImagePrice(40_000)]), source: source),
        ]
    }()
}
