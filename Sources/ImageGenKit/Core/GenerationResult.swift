/// One image as the provider described it, before anything is written.
public struct GeneratedImage: Equatable, Sendable {
    public var url: String?
    public var b64JSON: String?
    public var revisedPrompt: String?
    /// Provider-specific per-image fields kept for `--json` (Azure's
    /// `content_filter_results`, for one), in the order the provider sent them.
    public var extra: [(String, JSON)]

    public init(url: String? = nil, b64JSON: String? = nil, revisedPrompt: String? = nil,
                extra: [(String, JSON)] = []) {
        self.url = url
        self.b64JSON = b64JSON
        self.revisedPrompt = revisedPrompt
        self.extra = extra
    }

    public static func == (lhs: GeneratedImage, rhs: GeneratedImage) -> Bool {
        lhs.url == rhs.url && lhs.b64JSON == rhs.b64JSON && lhs.revisedPrompt == rhs.revisedPrompt
            && JSON.object(lhs.extra) == JSON.object(rhs.extra)
    }
}

/// The provider's answer, normalised to LiteLLM's OpenAI-shaped result.
public struct GenerationResult: Equatable, Sendable {
    /// Unix seconds, as the provider reported it (or local time when it did not).
    public var created: Int
    /// The model name as sent to the provider (prefix removed).
    public var model: String
    public var provider: ProviderKind
    public var images: [GeneratedImage]
    /// The provider's `usage` object when it sent one.
    public var usage: JSON?

    public init(created: Int, model: String, provider: ProviderKind, images: [GeneratedImage], usage: JSON? = nil) {
        self.created = created
        self.model = model
        self.provider = provider
        self.images = images
        self.usage = usage
    }
}
