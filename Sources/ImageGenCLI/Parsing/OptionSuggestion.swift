import ImageGenCore

/// "Did you mean" for mistyped long options.
package enum OptionSuggestion {
    /// Provider fields people type as options: each goes through `--param`
    /// under the provider's own name.
    static let providerFields = [
        "negative-prompt": "negative_prompt", "style-preset": "style_preset", "cfg-scale": "cfg_scale",
        "steps": "steps", "aspect-ratio": "aspect_ratio", "negative-text": "negativeText",
        "sampler": "sampler", "partial-images": "partial_images",
    ]

    static func unknownOptionMessage(_ spelled: String) -> String {
        let typed = String(spelled.drop { $0 == "-" }).lowercased().replacing("_", with: "-")
        if spelled.hasPrefix("--"), let field = providerFields[typed] {
            return "unknown option '\(spelled)'; it is a provider field: pass it with --param \(field)=VALUE "
                + "(see imagegen --help)"
        }
        if spelled.hasPrefix("--"), let name = suggestion(for: String(spelled.dropFirst(2))) {
            return "unknown option '\(spelled)'; did you mean '--\(name)'? (see imagegen --help)"
        }
        return "unknown option '\(spelled)' (see imagegen --help)"
    }

    /// The closest long name, or nil when none is close enough to be a likely typo.
    static func suggestion(for typed: String) -> String? {
        let names = OptionTable.all.map(\.long)
        // LiteLLM users write `response_format`, `api_key`.
        let normalized = String(typed.lowercased().map { $0 == "_" ? "-" : $0 })
        if names.contains(normalized) { return normalized }
        let extensions = names.filter { $0.hasPrefix(normalized) }
        if !normalized.isEmpty, extensions.count == 1 { return extensions[0] }
        let allowed = normalized.count <= 2 ? 0 : normalized.count <= 5 ? 1 : 2
        var best: (name: String, distance: Int)?
        for name in names {
            let distance = EditDistance.between(normalized, name)
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (name, distance)
            }
        }
        return best?.name
    }
}
