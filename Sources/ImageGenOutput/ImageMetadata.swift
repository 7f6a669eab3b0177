import ImageGenCore

/// The text chunks imagegen writes into every PNG (unless `--no-metadata`),
/// so an image remembers how it was made. Keys and order are fixed: `prompt`,
/// `model`, `provider`, `revised_prompt` (when the provider sent one),
/// `operation` and `sources` (only for `imagegen edit`: its `--task`, and a JSON
/// array of the input images' `{name, sha256}`), `parameters` (JSON of the
/// generation options sent), `created` (ISO 8601 UTC), `imagegen` (version).
package struct ImageMetadata: Equatable, Sendable {
    package var prompt: String
    package var model: String
    package var provider: ProviderKind
    /// The generation options as a JSON object (size, quality, style, n, params…).
    package var parameters: JSON
    /// Unix seconds.
    package var created: Int
    /// The images an edit was made from; nil for a generation.
    package var sources: [InputImage]?
    /// The edit's `--task` (`edit`, `inpaint`, `variation`…), written beside `sources`.
    package var operation = "edit"

    package init(prompt: String, model: String, provider: ProviderKind, parameters: JSON, created: Int) {
        self.prompt = prompt
        self.model = model
        self.provider = provider
        self.parameters = parameters
        self.created = created
    }

    /// What the user asked for beyond prompt and model, in the provider's field
    /// names, exactly the options that were given (nothing else is sent).
    package static func parameters(_ parameters: GenerationParameters) -> JSON {
        .object(parameters.allFields)
    }

    /// The chunks for one image, in the order they are written.
    package func entries(revisedPrompt: String?) -> [(key: String, value: String)] {
        var entries: [(key: String, value: String)] = [
            ("prompt", prompt), ("model", model), ("provider", provider.rawValue),
        ]
        if let revisedPrompt { entries.append(("revised_prompt", revisedPrompt)) }
        if let sources {
            let list = sources.map { JSON.object([("name", .string($0.filename)), ("sha256", .string($0.sha256))]) }
            entries += [("operation", operation), ("sources", JSON.array(list).text)]
        }
        entries += [
            ("parameters", parameters.text),
            ("created", UTCTime(created).iso8601),
            ("imagegen", ImageGenVersion.current),
        ]
        return entries
    }
}
