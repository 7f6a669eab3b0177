import ImageGenCore
import ImageGenHTTP

/// A hosted provider's key and base URL, resolved from flags, then the
/// provider's variables (LiteLLM's names), then its default base. Shared by
/// every provider added after OpenAI, Azure and Bedrock, which differ only in
/// the names and defaults handed in.
package struct HostedEndpoint: Equatable, Sendable {
    /// Empty when the provider takes requests without one (a local Xinference).
    package var apiKey: String
    package var apiBase: String
    /// Whether the base is the provider's own default (not a proxy or a flag).
    package var isDefaultBase: Bool

    package init(apiKey: String, apiBase: String, isDefaultBase: Bool = false) {
        self.apiKey = apiKey
        self.apiBase = apiBase
        self.isDefaultBase = isDefaultBase
    }

    /// `name` is the provider as messages call it; a nil `defaultBase` makes
    /// the base required. Missing settings are named together, with the fix.
    package static func resolve(
        _ options: ConnectionOptions, environment: Environment, name: String, keyVariables: [String],
        keyRequired: Bool = true, baseVariables: [String], defaultBase: String?
    ) throws(ImageGenError) -> HostedEndpoint {
        let key = environment.resolve(flag: options.apiKey, flagName: "--api-key", variables: keyVariables)
        let base = environment.resolve(
            flag: options.apiBase, flagName: "--api-base", variables: baseVariables, default: defaultBase)
        var missing: [String] = []
        if base == nil {
            missing.append(
                "no \(name) API base: pass --api-base URL or export \(baseVariables.joined(separator: " or "))")
        }
        if key == nil && keyRequired {
            missing.append(
                "\(keyVariables[0]) is not set: pass --api-key KEY or export "
                    + keyVariables.joined(separator: " or "))
        }
        guard let base, key != nil || !keyRequired else { throw .configuration(missing.joined(separator: "; ")) }
        guard HTTPURL.isHTTP(base.value) else {
            throw base.invalid("\(base.source) must be an http:// or https:// URL, got '\(base.value)'")
        }
        if let key { try HeaderValue.check(key) }
        return HostedEndpoint(
            apiKey: key?.value ?? "", apiBase: base.value, isDefaultBase: base.source == "default")
    }
}
