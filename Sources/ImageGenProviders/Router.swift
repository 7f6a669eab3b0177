import ImageGenCore

/// Which provider serves a model, and the model name it is sent as (SPEC §3).
package struct Route: Equatable, Sendable {
    package var provider: ProviderKind
    package var model: String

    package init(provider: ProviderKind, model: String) {
        self.provider = provider
        self.model = model
    }
}

package enum Router {
    /// `--provider` wins; then a known `provider/` prefix (removed from the name
    /// sent); then known model names. Anything else is taken to be a model on an
    /// OpenAI-compatible server, which is what a user with `--api-base` means.
    package static func route(model: String, provider forced: ProviderKind?) -> Route {
        let prefix = model.firstIndex(of: "/").map { String(model[..<$0]) }
        let unprefixed = model.firstIndex(of: "/").map { String(model[model.index(after: $0)...]) } ?? model

        if let forced {
            // `--provider azure --model azure/x` still means deployment `x`, as in LiteLLM.
            return Route(provider: forced, model: prefix == forced.rawValue ? unprefixed : model)
        }
        if let prefix, let kind = ProviderKind(rawValue: prefix) {
            return Route(provider: kind, model: unprefixed)
        }
        return Route(provider: ModelCatalogue.knownProvider(for: model) ?? .openai, model: model)
    }
}
