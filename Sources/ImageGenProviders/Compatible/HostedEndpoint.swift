import ImageGenCore
import ImageGenHTTP

/// A hosted provider's key and base URL, resolved from flags, then the
/// provider's variables (LiteLLM's names), then its default base. Shared by
/// every provider added after OpenAI, Azure and Bedrock, which differ only in
/// the names and defaults handed in.
package struct HostedEndpoint: Equatable, Sendable {
    /// Empty when the provider takes requests without one (a local Xinference).
    package var apiKey: String
    /// Where the key came from, for `-v`; empty without a key.
    package var keySource: String
    package var apiBase: String
    /// Whether the base is the provider's own default (not a proxy or a flag).
    package var isDefaultBase: Bool

    package init(apiKey: String, keySource: String = "--api-key", apiBase: String, isDefaultBase: Bool = false) {
        self.apiKey = apiKey
        self.keySource = apiKey.isEmpty ? "" : keySource
        self.apiBase = apiBase
        self.isDefaultBase = isDefaultBase
    }

    /// `name` is the provider as messages call it; a nil `defaultBase` makes
    /// the base required. Missing settings are named together, with the fix
    /// (`keyHint` says where a key is had).
    package static func resolve(
        _ options: ConnectionOptions, environment: Environment, provider: ProviderKind, name: String,
        keyVariables: [String], keyRequired: Bool = true, keyHint: String? = nil, baseVariables: [String],
        defaultBase: String?
    ) throws(ImageGenError) -> HostedEndpoint {
        // Every key source the configuration offers: flags, variables and
        // their _FILE twins, the profile's key settings, the keys file.
        let key = try APIKeySources.resolve(
            options, variables: keyVariables, provider: provider, environment: environment)
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
                    + keyVariables.joined(separator: " or ") + (keyHint.map { " (\($0))" } ?? "")
                    + ", or store it with imagegen keys set \(provider.rawValue)")
        }
        guard let base, key != nil || !keyRequired else { throw .configuration(missing.joined(separator: "; ")) }
        guard HTTPURL.isHTTP(base.value) else {
            throw base.invalid("\(base.source) must be an http:// or https:// URL, got '\(base.value)'")
        }
        if let key { try HeaderValue.check(key) }
        return HostedEndpoint(
            apiKey: key?.value ?? "", keySource: key?.source ?? "", apiBase: base.value,
            isDefaultBase: base.source == "default")
    }
}
