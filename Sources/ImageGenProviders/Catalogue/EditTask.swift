import ImageGenCore

/// What `imagegen edit --task T` asks a model to do. Names are data: the
/// option, the checks, the help and the completions all read this table,
/// and each catalogue row's `EditRule.tasks` says which of them it performs.
package struct EditTask: Sendable {
    /// Whether the task takes the PROMPT words.
    package enum Prompt: Sendable {
        case required, optional, none
    }

    package let name: String
    package let prompt: Prompt
    /// One line for `--help` and the man page.
    package let summary: String
    /// The generation options the task takes whatever the model; nil
    /// leaves it to the model's rule.
    package let options: [String]?
    package let takesMask: Bool
    /// Exactly this many `--image` files, whatever the model; nil leaves it to the model's rule.
    package let imageCount: Int?

    init(
        _ name: String, _ prompt: Prompt, _ summary: String, options: [String]? = nil, takesMask: Bool = true,
        imageCount: Int? = nil
    ) {
        self.name = name
        self.prompt = prompt
        self.summary = summary
        self.options = options
        self.takesMask = takesMask
        self.imageCount = imageCount
    }

    /// The task of a plain `imagegen edit` (OpenAI's images edits).
    package static let defaultName = "edit"

    package static let all: [EditTask] = [
        EditTask("edit", .required, "change the images as the prompt says (the default)"),
        // OpenAI's variations reference: image, model, n, response_format, size, user.
        EditTask(
            "variation", .none, "variations of one image, no prompt (OpenAI-compatible images variations)",
            options: ["n", "size", "response-format", "user"], takesMask: false, imageCount: 1),
        EditTask("inpaint", .required, "fill the --mask (or the image's transparent pixels) as the prompt says"),
        EditTask("outpaint", .optional, "extend the image by --param left, right, up or down pixels"),
        EditTask("erase", .none, "remove what the --mask (or the image's transparent pixels) covers"),
        EditTask("remove-background", .none, "cut the subject out of its background"),
        EditTask("search-replace", .required, "replace what --param search_prompt=TEXT finds with the prompt"),
        EditTask("search-recolor", .required, "recolor what --param select_prompt=TEXT finds as the prompt says"),
        EditTask("upscale-conservative", .required, "upscale to about 4 megapixels, changing little"),
        EditTask("upscale-creative", .required, "upscale a degraded image, reimagining detail"),
        EditTask("upscale-fast", .none, "upscale four times, quickly"),
        EditTask("control-sketch", .required, "draw what the prompt says from a sketch"),
        EditTask("control-structure", .required, "draw what the prompt says keeping the image's structure"),
        EditTask("style-guide", .required, "draw what the prompt says in the image's style"),
        EditTask("style-transfer", .optional, "restyle the first --image in the style of the second"),
    ]

    package static var names: [String] { all.map(\.name) }

    package static func named(_ name: String) -> EditTask? {
        all.first { $0.name == name }
    }
}

/// A body field a model takes through `--param KEY=VALUE`, with the values
/// its provider's reference allows; anything else is refused before sending.
package enum FieldRule: Sendable {
    case text(maxLength: Int)
    case integer(ClosedRange<Int>)
    case number(ClosedRange<Double>)
    case choice([String])

    /// Nil when `value` fits; else what the field takes.
    func problem(with value: JSON) -> String? {
        switch self {
        case .text(let limit):
            guard let text = value.stringValue else { return "text" }
            return text.count <= limit ? nil : "text of at most \(limit) characters"
        case .integer(let range):
            guard let number = value.intValue, range.contains(number) else {
                return "a whole number from \(range.lowerBound) to \(range.upperBound)"
            }
            return nil
        case .number(let range):
            guard case .number(let text) = value, let number = Double(text), range.contains(number) else {
                return "a number from \(range.lowerBound) to \(range.upperBound)"
            }
            return nil
        case .choice(let values):
            guard let text = value.stringValue, values.contains(text) else {
                return "one of " + values.joined(separator: ", ")
            }
            return nil
        }
    }
}
