/// What the user asked for, independent of any provider. Optional fields are
/// ones the user did not give; providers send only what is set (LiteLLM does the same).
public struct GenerationRequest: Equatable, Sendable {
    public var prompt: String
    /// The model as the user wrote it, possibly with a `provider/` prefix.
    public var model: String
    public var n: Int?
    public var size: String?
    public var quality: String?
    public var style: String?
    public var responseFormat: String?
    public var user: String?
    /// `--param KEY=VALUE` pairs in the order given; a later key replaces an earlier one.
    public var extraParams: [(String, JSON)]

    public init(prompt: String, model: String, n: Int? = nil, size: String? = nil,
                quality: String? = nil, style: String? = nil, responseFormat: String? = nil,
                user: String? = nil, extraParams: [(String, JSON)] = []) {
        self.prompt = prompt
        self.model = model
        self.n = n
        self.size = size
        self.quality = quality
        self.style = style
        self.responseFormat = responseFormat
        self.user = user
        self.extraParams = extraParams
    }

    public static func == (lhs: GenerationRequest, rhs: GenerationRequest) -> Bool {
        lhs.prompt == rhs.prompt && lhs.model == rhs.model && lhs.n == rhs.n && lhs.size == rhs.size
            && lhs.quality == rhs.quality && lhs.style == rhs.style
            && lhs.responseFormat == rhs.responseFormat && lhs.user == rhs.user
            && lhs.extraParams.count == rhs.extraParams.count
            && zip(lhs.extraParams, rhs.extraParams).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    /// Number of images asked for (1 when `-n` was not given).
    public var imageCount: Int { n ?? 1 }
}

/// The providers imagegen can talk to (`--provider NAME`).
public enum ProviderKind: String, CaseIterable, Sendable {
    case openai
    case azure
    case bedrock
}
