import ImageGenCore

// OpenRouter's image models are many and change weekly: `imagegen models
// --live --provider openrouter` asks OpenRouter itself. These rows are the
// ones its image-generation guide names
// (https://openrouter.ai/docs/features/multimodal/image-generation, checked
// 2026-11-29). Prices are per token and vary by the upstream provider;
// OpenRouter reports each answer's charge as `usage.cost`, which is the
// cost imagegen prints, so no price is kept here.
extension ModelCatalogue {
    static var openRouterImage: Capabilities {
        var accepts = Capabilities(counts: nil)
        accepts.seeds = 0...Int.max
        accepts.acceptsUser = true
        accepts.hints = [
            "quality":
                "does not take --quality; use --param image_config='{\"image_size\":\"2K\"}' where the model has it",
            "style": "does not take --style; describe the style in the prompt",
            "output-format": "answers with PNG or the model's own format; drop --output-format",
        ]
        return accepts
    }

    static let openRouterRows: [CatalogueEntry] = {
        let source = Source(
            "https://openrouter.ai/docs/features/multimodal/image-generation", checked: CalendarDate(2026, 11, 29),
            note: "no price kept: the cost is OpenRouter's own usage.cost of each answer")
        return ["google/gemini-2.5-flash-image", "google/gemini-3-pro-image-preview"].map {
            CatalogueEntry(.openrouter, $0, family: .chatImage, accepts: openRouterImage, price: nil, source: source)
        }
    }()
}
