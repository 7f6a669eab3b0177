/// The providers imagegen can talk to (`--provider NAME`), named by
/// LiteLLM's route prefixes.
package enum ProviderKind: String, CaseIterable, Sendable {
    case openai
    case azure
    case bedrock
    case blackForestLabs = "black_forest_labs"
    case recraft
    case openrouter
    case xinference
    case nscale
}
