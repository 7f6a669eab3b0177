/// The providers imagegen can talk to (`--provider NAME`). The raw value is
/// LiteLLM's route prefix (`gemini/MODEL`, `vertex_ai/MODEL`), so adding a
/// provider adds its prefix to routing.
package enum ProviderKind: String, CaseIterable, Sendable {
    case openai
    case azure
    case bedrock
    case blackForestLabs = "black_forest_labs"
    case recraft
    case openrouter
    case xinference
    case nscale
    /// Google AI Studio (the Gemini API).
    case gemini
    case vertexAI = "vertex_ai"

    /// What a person calls the provider, in messages.
    package var displayName: String {
        switch self {
        case .openai: return "OpenAI"
        case .azure: return "Azure OpenAI"
        case .bedrock: return "Bedrock"
        case .gemini: return "Google AI Studio"
        case .vertexAI: return "Vertex AI"
        case .blackForestLabs: return "Black Forest Labs"
        case .recraft: return "Recraft"
        case .openrouter: return "OpenRouter"
        case .xinference: return "Xinference"
        case .nscale: return "Nscale"
        }
    }

    /// Whether the provider takes an API key (`imagegen keys set NAME`):
    /// Vertex AI authenticates with Google credentials instead.
    package var takesAPIKey: Bool { self != .vertexAI }

    /// The providers `imagegen keys` stores keys for.
    package static var withAPIKeys: [ProviderKind] { allCases.filter(\.takesAPIKey) }

    /// The prefix that routes a model name to this provider; none for
    /// OpenAI, whose bare names route there.
    package var routePrefix: String { self == .openai ? "" : rawValue + "/" }
}
