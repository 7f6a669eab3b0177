import ImageGenCore

/// What imagegen knows about the model behind a route, looked up once when
/// a generation is prepared and handed to the checks, the client and the
/// price table.
package struct ModelKnowledge: Sendable {
    package let route: Route
    /// The catalogue's row, or its family's defaults for a name the table
    /// does not list; nil when nothing is known (a compatible server's model,
    /// an Azure deployment with a name of its own and no `--base-model`).
    package let entry: CatalogueEntry?
    /// Whether `entry` is the model's own row, not only its family's defaults.
    package let listed: Bool

    package var accepts: Capabilities? { entry?.accepts }
    var bedrockFamily: BedrockModelFamily? { entry?.family.bedrockFormat }
    var googleRule: GoogleImageRule? { entry?.accepts.google }
    var price: Price? { entry?.price }

    /// Models that make one image per request get `-n K` as K requests.
    package var oneImagePerRequest: Bool { accepts?.oneImagePerRequest ?? false }

    /// The checks that need no credentials, so a bad value is a usage error
    /// (exit 2) even on a machine with nothing configured.
    package func check(_ request: GenerationRequest) throws(ImageGenError) {
        try accepts?.check(request, model: route.model)
    }
}

/// The model catalogue: one table of rows (`openAI`, `bedrock`, `google` and
/// the other providers' rows, each with
/// its source and check date) and the lookups every other part uses.
package enum ModelCatalogue {
    package static var entries: [CatalogueEntry] { openAI + bedrock + google + moreProviderRows }

    /// The rows of the providers that have no family defaults of their own:
    /// a name not listed is sent as it is, with nothing checked.
    static var moreProviderRows: [CatalogueEntry] {
        blackForestLabsRows + recraftRows + openRouterRows + nscaleRows
    }

    /// The newest check date of any row: how old the built-in knowledge is.
    package static var checked: CalendarDate { entries.map(\.source.checked).max()! }

    /// The model used when none is named: the recommended OpenAI row.
    package static var defaultModel: String {
        openAI.first(where: \.recommended)!.id
    }

    /// `baseModel` (LiteLLM's `base_model`) names the model an Azure
    /// deployment serves, for its checks and price.
    package static func knowledge(
        for route: Route, baseModel: String? = nil
    ) throws(ImageGenError)
        -> ModelKnowledge
    {
        switch route.provider {
        case .openai:
            return knowledge(route, entry(.openai, route.model))
        case .azure:
            guard !route.model.isEmpty else {
                throw .usage(
                    "no Azure deployment named; use --model azure/DEPLOYMENT (the deployment's name "
                        + "in your Azure OpenAI resource)")
            }
            if let baseModel {
                guard let found = entry(.openai, baseModel) else {
                    throw .usage(
                        "--base-model \(baseModel) is not a model imagegen knows"
                            + suggestion(for: baseModel, provider: .openai).map { "; did you mean \($0)?" }.orEmpty)
                }
                return knowledge(route, found)
            }
            // A deployment named after a known model (Azure's portal suggests
            // exactly that) gets that model's checks and price.
            return knowledge(route, entry(.openai, route.model))
        case .bedrock:
            guard let found = entry(.bedrock, route.model) else {
                throw BedrockModelFamily.unknownModel(
                    route.model, suggestion: suggestion(for: route.model, provider: .bedrock))
            }
            return knowledge(route, found)
        case .blackForestLabs, .recraft, .openrouter, .xinference, .nscale:
            guard !route.model.isEmpty else {
                throw .usage("no model named; use --model \(route.provider.rawValue)/MODEL")
            }
            return knowledge(route, entry(route.provider, route.model))
        case .gemini, .vertexAI:
            guard !route.model.isEmpty else {
                throw .usage(
                    "no model named; use --model \(route.provider.routePrefix)MODEL, e.g. "
                        + "\(route.provider.routePrefix)\(GoogleModels.example)")
            }
            return knowledge(route, entry(route.provider, route.model))
        }
    }

    private static func knowledge(_ route: Route, _ found: (entry: CatalogueEntry, listed: Bool)?) -> ModelKnowledge {
        ModelKnowledge(route: route, entry: found?.entry, listed: found?.listed ?? false)
    }

    /// The row for `model`, by id or alias; else its family's defaults.
    static func entry(_ provider: ProviderKind, _ model: String) -> (entry: CatalogueEntry, listed: Bool)? {
        let name = provider == .bedrock ? bedrockBaseID(model) : model
        let rows = entries.filter { $0.provider == (provider == .azure ? .openai : provider) }
        if let row = rows.first(where: { $0.names.contains(name) }) { return (row, true) }
        return familyDefaults(provider, name).map { ($0, false) }
    }

    /// `us.amazon.nova-canvas-v1:0` and
    /// `arn:aws:bedrock:us-east-1:123:inference-profile/us.amazon.nova-canvas-v1:0`
    /// are `amazon.nova-canvas-v1:0`: cross-region profiles and ARNs name the
    /// same model.
    static func bedrockBaseID(_ model: String) -> String {
        var id = Substring(model)
        if id.hasPrefix("arn:"), let slash = id.lastIndex(of: "/") { id = id[id.index(after: slash)...] }
        for geography in ["us.", "eu.", "apac.", "jp.", "au.", "global."] where id.hasPrefix(geography) {
            id = id.dropFirst(geography.count)
        }
        return String(id)
    }

    /// The provider a bare model name belongs to, or nil for names only a
    /// compatible server knows.
    static func knownProvider(for model: String) -> ProviderKind? {
        if entry(.openai, model) != nil { return .openai }
        if model.hasPrefix("stability.") || model.hasPrefix("amazon.titan-image")
            || model.hasPrefix("amazon.nova-canvas")
        {
            return .bedrock
        }
        return nil
    }

    /// The closest known name to a mistyped one, with the prefix that
    /// routes it (`gpt-image2` → `gpt-image-2`, `bedrok/…` → `bedrock/…`,
    /// `bedrock/stability.sdxl` → the SDXL row); nil when nothing is close.
    package static func suggestion(for typed: String, provider: ProviderKind? = nil) -> String? {
        let lower = typed.lowercased()
        var best: (name: String, distance: Int)?
        func consider(_ candidate: String, _ compared: String, against: String) {
            let distance = EditDistance.between(against, compared.lowercased())
            let allowed = max(1, min(3, against.count / 4))
            if distance <= allowed, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        for row in entries where provider == nil || row.provider == provider {
            let prefix = row.provider.routePrefix
            // `stability.sdxl`: a nickname under the vendor's prefix.
            let vendor = row.id.firstIndex(of: ".").map { String(row.id[...$0]) } ?? ""
            for name in row.names + row.nicknames + row.nicknames.map({ vendor + $0 }) {
                let shown = prefix + (row.names.contains(name) ? name : row.id)
                consider(shown, prefix + name, against: lower)
                consider(shown, name, against: lower)
                if let slash = lower.firstIndex(of: "/") {
                    consider(shown, name, against: String(lower[lower.index(after: slash)...]))
                }
            }
        }
        guard let best, best.name != typed else { return nil }
        return best.name
    }

    /// Names `--model` completion and `--help` offer: every row not retired
    /// today, with the prefix that routes it.
    package static func completionNames(on today: CalendarDate) -> [String] {
        entries.filter { row in
            if case .retired = row.lifecycle.on(today) { return false }
            return true
        }.map { $0.provider.routePrefix + $0.id }
    }
}

extension Optional where Wrapped == String {
    fileprivate var orEmpty: String { self ?? "" }
}
