import ImageGenCore
import ImageGenHTTP

/// A provider that speaks OpenAI's Images API, as data: its name, the
/// variables its key and base come from, its default base and its own host.
/// Each is served by `OpenAIClient` with one of these, not by a copy of it.
package struct CompatiblePreset: Equatable, Sendable {
    package var kind: ProviderKind
    /// The provider as messages name it.
    package var name: String
    package var keyVariables: [String]
    /// A local server may take requests without a key; none is sent then.
    package var keyRequired: Bool
    package var baseVariables: [String]
    /// Nil: the base must be given (a self-hosted server has no default).
    package var defaultBase: String?
    /// The path segment the Images API lives under, added to a base that
    /// does not end in it (Recraft's base is given without `/v1` in LiteLLM).
    package var versionSegment: String?
    /// The provider's own API host: only there do its model names and life cycle apply.
    package var officialHost: String?
    /// `response_format` sent when the user names none, where the provider's
    /// own default answer cannot be used.
    package var defaultResponseFormat: String? = nil

    package static let openAI = CompatiblePreset(
        kind: .openai, name: "OpenAI", keyVariables: ["OPENAI_API_KEY"], keyRequired: true,
        baseVariables: ["OPENAI_API_BASE", "OPENAI_BASE_URL"], defaultBase: OpenAIConfiguration.defaultBase,
        versionSegment: nil, officialHost: "api.openai.com")

    /// https://inference.readthedocs.io/en/latest/models/model_abilities/image.html,
    /// checked 2026-11-29: OpenAI's `/v1/images/generations` on the server the
    /// user runs. Its default answer's `url` is a file path on that server
    /// ("/home/admin/.xinference/image/….jpg"), so `b64_json` is asked for
    /// unless `--response-format` says otherwise. LiteLLM sends
    /// XINFERENCE_API_KEY to api.openai.com when no base is set; here a
    /// missing base is a configuration error (exit 3).
    package static let xinference = CompatiblePreset(
        kind: .xinference, name: "Xinference", keyVariables: ["XINFERENCE_API_KEY"], keyRequired: false,
        baseVariables: ["XINFERENCE_API_BASE"], defaultBase: nil, versionSegment: nil, officialHost: nil,
        defaultResponseFormat: "b64_json")

    /// https://docs.nscale.com/api-reference/inferencing/create-image, checked
    /// 2026-11-29: `POST https://inference.api.nscale.com/v1/images/generations`,
    /// Bearer token, `model`, `prompt`, `size` (default 512x512), `n`; answers `b64_json`.
    package static let nscale = CompatiblePreset(
        kind: .nscale, name: "Nscale", keyVariables: ["NSCALE_API_KEY"], keyRequired: true,
        baseVariables: ["NSCALE_API_BASE"], defaultBase: "https://inference.api.nscale.com/v1",
        versionSegment: nil, officialHost: "inference.api.nscale.com")

    /// https://www.recraft.ai/docs (API reference, "Generate image"), checked
    /// 2026-11-29: `POST https://external.api.recraft.ai/v1/images/generations`,
    /// Bearer token, OpenAI's fields plus its own `style`, `substyle`, `style_id`
    /// and `controls`; answers OpenAI's `data` with `url` or `b64_json`.
    package static let recraft = CompatiblePreset(
        kind: .recraft, name: "Recraft", keyVariables: ["RECRAFT_API_KEY"], keyRequired: true,
        baseVariables: ["RECRAFT_API_BASE"], defaultBase: "https://external.api.recraft.ai",
        versionSegment: "v1", officialHost: "external.api.recraft.ai")

    package static func named(_ kind: ProviderKind) -> CompatiblePreset? {
        [openAI, xinference, nscale, recraft].first { $0.kind == kind }
    }

    /// The OpenAI client's configuration for this provider.
    package func configuration(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> OpenAIConfiguration {
        let endpoint = try HostedEndpoint.resolve(
            options, environment: environment, provider: kind, name: name, keyVariables: keyVariables,
            keyRequired: keyRequired,
            baseVariables: baseVariables, defaultBase: defaultBase)
        var base = Substring(endpoint.apiBase)
        while base.hasSuffix("/") { base = base.dropLast() }
        if let versionSegment, !base.hasSuffix("/" + versionSegment) { base += "/" + versionSegment }
        return OpenAIConfiguration(apiKey: endpoint.apiKey, keySource: endpoint.keySource, apiBase: String(base))
    }
}
