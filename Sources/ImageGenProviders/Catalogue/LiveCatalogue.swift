import ImageGenCore

/// One line of `imagegen models`: a catalogue row, a model the provider
/// listed, or both.
package struct ModelRow: Sendable {
    package var id: String
    package var provider: ProviderKind
    /// The catalogue's row; nil for a model imagegen's catalogue does not have.
    package var entry: CatalogueEntry?
    /// The provider's word when it listed the model, else the table's.
    package var lifecycle: Lifecycle
    /// Nil when no provider list was asked for.
    package var listedByProvider: Bool?

    package init(
        id: String, provider: ProviderKind, entry: CatalogueEntry?, lifecycle: Lifecycle, listedByProvider: Bool?
    ) {
        self.id = id
        self.provider = provider
        self.entry = entry
        self.lifecycle = lifecycle
        self.listedByProvider = listedByProvider
    }
}

extension ModelCatalogue {
    /// Azure deployments serve OpenAI's models: the OpenAI rows describe them.
    static func catalogueProvider(_ provider: ProviderKind) -> ProviderKind {
        provider == .azure ? .openai : provider
    }

    /// Every catalogue row of `provider`, or of all providers, in table order.
    package static func rows(for provider: ProviderKind?) -> [ModelRow] {
        let wanted = provider.map(catalogueProvider)
        return entries.filter { wanted == nil || $0.provider == wanted }.map {
            ModelRow(id: $0.id, provider: $0.provider, entry: $0, lifecycle: $0.lifecycle, listedByProvider: nil)
        }
    }

    /// The catalogue's own row for a name a provider listed (not a family's defaults).
    static func listedEntry(_ provider: ProviderKind, _ id: String) -> CatalogueEntry? {
        guard let found = entry(catalogueProvider(provider), id), found.listed else { return nil }
        return found.entry
    }

    /// `live` with what only the catalogue knows added: the replacement to
    /// move to, which no provider's list names. Dates stay the provider's.
    package static func completed(_ live: [LiveModel], provider: ProviderKind) -> [LiveModel] {
        live.map { model in
            guard let entry = listedEntry(provider, model.id) else { return model }
            var completed = model
            switch model.lifecycle {
            case .active, .scheduled:
                break
            case .deprecated(let shutdown, nil):
                completed.lifecycle = .deprecated(shutdown: shutdown, replacement: entry.lifecycle.replacement)
            case .retired(let date, nil):
                completed.lifecycle = .retired(on: date, replacement: entry.lifecycle.replacement)
            case .deprecated, .retired:
                break
            }
            return completed
        }
    }

    /// The provider's list merged with the catalogue: every model the
    /// provider reported, with its life cycle as the provider gives it (the
    /// provider wins over the table), then, from the provider's own
    /// endpoint, the catalogue rows it no longer lists. A compatible
    /// server's list says nothing about the provider's models, so there the
    /// catalogue adds nothing. Ordered as the catalogue, then unknown models by name.
    package static func merge(_ live: [LiveModel], provider: ProviderKind, official: Bool) -> [ModelRow] {
        let catalogue = rows(for: provider)
        var ranked: [(rank: Int, row: ModelRow)] = []
        var listed = Set<String>()
        for model in completed(live, provider: provider) {
            let entry = listedEntry(provider, model.id)
            if let entry { listed.insert(entry.id) }
            let rank = entry.flatMap { entry in catalogue.firstIndex { $0.id == entry.id } } ?? catalogue.count
            ranked.append(
                (
                    rank,
                    ModelRow(
                        id: model.id, provider: provider, entry: entry, lifecycle: model.lifecycle,
                        listedByProvider: true)
                ))
        }
        if official {
            for (rank, row) in catalogue.enumerated() where !listed.contains(row.id) {
                var unlisted = row
                unlisted.provider = provider
                unlisted.listedByProvider = false
                ranked.append((rank, unlisted))
            }
        }
        return ranked.sorted { a, b in
            a.rank != b.rank ? a.rank < b.rank : a.row.id.utf8.lexicographicallyPrecedes(b.row.id.utf8)
        }.map(\.row)
    }
}

extension Lifecycle {
    /// The model to move to, when one is named.
    package var replacement: String? {
        switch self {
        case .active: return nil
        case .scheduled(_, let replacement), .deprecated(_, let replacement), .retired(_, let replacement):
            return replacement
        }
    }

    /// `status`, `shutdown_date`, `retired_date` and `replacement`, each
    /// always present (null when it does not apply), as `imagegen models
    /// --json` and the cache write them.
    package var jsonFields: [(String, JSON)] {
        var shutdown = JSON.null
        var retired = JSON.null
        switch self {
        case .active, .scheduled: break
        case .deprecated(let date, _): shutdown = date.map { .string($0.description) } ?? .null
        case .retired(let date, _): retired = .string(date.description)
        }
        return [
            ("status", .string(status)), ("shutdown_date", shutdown), ("retired_date", retired),
            ("replacement", replacement.map(JSON.string) ?? .null),
        ]
    }

    /// The life cycle `jsonFields` wrote into `object`; nil when it is not one.
    package init?(fields object: JSON) {
        func date(_ key: String) -> CalendarDate?? {
            guard let value = object[key], !value.isNull else { return .some(nil) }
            guard let text = value.stringValue, let date = CalendarDate(text) else { return nil }
            return .some(date)
        }
        let replacement: String?
        switch object["replacement"] {
        case nil, .null?: replacement = nil
        case .some(let value):
            guard let text = value.stringValue else { return nil }
            replacement = text
        }
        guard let shutdown = date("shutdown_date"), let retired = date("retired_date") else { return nil }
        switch object["status"]?.stringValue {
        case "active": self = .active
        case "deprecated": self = .deprecated(shutdown: shutdown, replacement: replacement)
        case "retired":
            guard let retired else { return nil }
            self = .retired(on: retired, replacement: replacement)
        default: return nil
        }
    }
}

/// What a provider said about its models at one time: written by
/// `imagegen models --live`, read before each generation so that a model the
/// provider has since deprecated or retired is treated as such with no
/// request sent.
package struct LiveModelList: Sendable {
    package var provider: ProviderKind
    package var endpoint: String
    /// Whether the list came from the provider's own endpoint.
    package var official: Bool
    /// Bedrock's region; lists differ between regions.
    package var region: String?
    /// Unix seconds, for people reading the file.
    package var fetchedAt: Int
    /// The day of the fetch, compared with the catalogue's check dates.
    package var fetchedOn: CalendarDate
    package var models: [LiveModel]

    package init(
        provider: ProviderKind, endpoint: String, official: Bool, region: String?, fetchedAt: Int,
        fetchedOn: CalendarDate, models: [LiveModel]
    ) {
        self.provider = provider
        self.endpoint = endpoint
        self.official = official
        self.region = region
        self.fetchedAt = fetchedAt
        self.fetchedOn = fetchedOn
        self.models = models
    }

    package var json: JSON {
        .object([
            ("provider", .string(provider.rawValue)), ("endpoint", .string(endpoint)), ("official", .bool(official)),
            ("region", region.map(JSON.string) ?? .null),
            ("fetched_at", .string(UTCTime(fetchedAt).iso8601)), ("fetched_at_unix", .int(fetchedAt)),
            ("fetched_on", .string(fetchedOn.description)),
            ("models", .array(models.map { .object([("id", .string($0.id))] + $0.lifecycle.jsonFields) })),
        ])
    }

    /// The list `json` wrote; nil for anything else (a damaged or foreign file).
    package init?(json: JSON) {
        guard let providerName = json["provider"]?.stringValue, let provider = ProviderKind(rawValue: providerName),
            let endpoint = json["endpoint"]?.stringValue, case .bool(let official)? = json["official"],
            let fetchedAt = json["fetched_at_unix"]?.intValue,
            let day = json["fetched_on"]?.stringValue, let fetchedOn = CalendarDate(day),
            let items = json["models"]?.arrayValue
        else { return nil }
        var models: [LiveModel] = []
        for item in items {
            guard let id = item["id"]?.stringValue, let lifecycle = Lifecycle(fields: item) else { return nil }
            models.append(LiveModel(id: id, lifecycle: lifecycle))
        }
        self.init(
            provider: provider, endpoint: endpoint, official: official, region: json["region"]?.stringValue,
            fetchedAt: fetchedAt, fetchedOn: fetchedOn, models: models)
    }

    /// What this list says about the model behind `knowledge`, when it
    /// speaks for that model: the provider's own list for the same provider
    /// (and Bedrock region), fetched no earlier than the catalogue's row was
    /// checked (a newer table knows more than an old list), naming the model
    /// or one of its other names.
    package func lifecycle(for knowledge: ModelKnowledge, region: String?) -> Lifecycle? {
        let route = knowledge.route
        guard official, provider == route.provider, provider != .bedrock || self.region == region,
            let entry = knowledge.entry, fetchedOn >= entry.source.checked
        else { return nil }
        let typed = provider == .bedrock ? ModelCatalogue.bedrockBaseID(route.model) : route.model
        let names = [typed] + (knowledge.listed ? entry.names : [])
        for name in names {
            if let model = models.first(where: { $0.id == name }) { return model.lifecycle }
        }
        return nil
    }
}
