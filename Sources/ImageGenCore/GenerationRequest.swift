/// What the user asked for, independent of any provider: the prompt and the
/// options to send. The model is resolved to a route before a request is built.
package struct GenerationRequest: Equatable, Sendable {
    package var prompt: String
    package var parameters: GenerationParameters
    /// Set for `imagegen edit`: the images the prompt changes.
    package var edit: EditInputs?
    /// `--stream`: the answer comes as server-sent events with this many
    /// partial images (0–3) before the final one; nil when not streamed.
    package var partialImages: Int?

    package init(
        prompt: String, parameters: GenerationParameters = GenerationParameters(), edit: EditInputs? = nil
    ) {
        self.prompt = prompt
        self.parameters = parameters
        self.edit = edit
    }

    /// Number of images asked for (1 when `-n` was not given).
    package var imageCount: Int { parameters.imageCount }

    package var isStreamed: Bool { partialImages != nil }
}

/// The images `imagegen edit` sends, read once and checked before anything
/// is sent; `images` is never empty.
package struct EditInputs: Equatable, Sendable {
    package var images: [InputImage]
    package var mask: InputImage?
    /// What the model is asked to do with them (`--task`): `edit` unless
    /// named; a catalogue task name, checked against the model before sending.
    package var task: String

    package init(images: [InputImage], mask: InputImage? = nil, task: String = "edit") {
        self.images = images
        self.mask = mask
        self.task = task
    }
}

/// One input file as it goes out: its base name (never the path, which may
/// say more about the user than the image does) and the type its bytes show.
package struct InputImage: Equatable, Sendable {
    package var filename: String
    package var contentType: String
    package var bytes: [UInt8]
    /// Lowercase hex, for `--dry-run`, `-v` and the written PNG's `sources`.
    package var sha256: String

    package init(filename: String, contentType: String, bytes: [UInt8], sha256: String) {
        self.filename = filename
        self.contentType = contentType
        self.bytes = bytes
        self.sha256 = sha256
    }
}
