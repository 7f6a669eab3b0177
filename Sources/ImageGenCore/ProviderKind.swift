/// The providers imagegen can talk to (`--provider NAME`).
package enum ProviderKind: String, CaseIterable, Sendable {
    case openai
    case azure
    case bedrock
}
