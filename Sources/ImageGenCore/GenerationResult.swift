/// One image as the provider described it, before anything is written.
package struct GeneratedImage: Equatable, Sendable {
    package var url: String?
    /// The base64 text as UTF-8 bytes, usually a slice of the response body:
    /// images are tens of megabytes and are not copied into a String.
    package var base64: ArraySlice<UInt8>?
    /// The image bytes when `base64` was already decoded (in place, in the
    /// response buffer, for large single-image answers); `base64` is then nil.
    package var decoded: [UInt8]?
    package var revisedPrompt: String?
    /// Provider-specific per-image fields kept for `--json` (Azure's
    /// `content_filter_results`, for one), in the order the provider sent them.
    package var extra: [(String, JSON)]

    package init(
        url: String? = nil, b64JSON: String? = nil, revisedPrompt: String? = nil,
        extra: [(String, JSON)] = []
    ) {
        self.url = url
        self.base64 = b64JSON.map { Array($0.utf8)[...] }
        self.revisedPrompt = revisedPrompt
        self.extra = extra
    }

    /// `b64_json` as text (a copy: prefer `base64` for large payloads).
    package var b64JSON: String? {
        get { base64.map { String(decoding: $0, as: UTF8.self) } ?? decoded.map(Base64.encode) }
        set { base64 = newValue.map { Array($0.utf8)[...] } }
    }

    /// Whether the provider sent the image itself (not only a URL).
    package var hasImageData: Bool { base64 != nil || decoded != nil }

    package static func == (lhs: GeneratedImage, rhs: GeneratedImage) -> Bool {
        lhs.url == rhs.url && lhs.base64.elementsEqual(rhs.base64) && lhs.decoded == rhs.decoded
            && lhs.revisedPrompt == rhs.revisedPrompt
            && JSON.object(lhs.extra) == JSON.object(rhs.extra)
    }
}

/// The provider's answer, normalised to LiteLLM's OpenAI-shaped result.
package struct GenerationResult: Equatable, Sendable {
    /// Unix seconds, as the provider reported it (or local time when it did not).
    package var created: Int
    /// The model name as sent to the provider (prefix removed).
    package var model: String
    package var provider: ProviderKind
    package var images: [GeneratedImage]
    /// The provider's `usage` object when it sent one.
    package var usage: JSON?

    package init(created: Int, model: String, provider: ProviderKind, images: [GeneratedImage], usage: JSON? = nil) {
        self.created = created
        self.model = model
        self.provider = provider
        self.images = images
        self.usage = usage
    }
}

extension Optional where Wrapped == ArraySlice<UInt8> {
    func elementsEqual(_ other: ArraySlice<UInt8>?) -> Bool {
        switch (self, other) {
        case (nil, nil): return true
        case (let a?, let b?): return a.elementsEqual(b)
        default: return false
        }
    }
}
