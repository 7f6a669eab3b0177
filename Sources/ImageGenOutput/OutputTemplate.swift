import ImageGenCore

/// The fields `-o` may name besides `{i}`, filled in for each generation
/// before its files are planned: `-o 'out/{line}-{slug}.png'` gives every
/// batch line the same name on every run, which a re-run can rely on.
package struct OutputFields: Sendable {
    /// 1-based line of the batch file (1 without `--batch`).
    package var line: Int
    package var prompt: String
    package var model: String
    package var imageCount: Int
    package var seed: Int?
    package var date: CalendarDate
    /// The first 12 hex digits of the prompt's SHA-256.
    package var promptHash: String

    package init(
        line: Int, prompt: String, model: String, imageCount: Int, seed: Int?, date: CalendarDate,
        promptHash: String
    ) {
        self.line = line
        self.prompt = prompt
        self.model = model
        self.imageCount = imageCount
        self.seed = seed
        self.date = date
        self.promptHash = promptHash
    }
}

package enum OutputTemplate {
    /// Every field, in the order messages list them; `{i}` is the image's
    /// number, filled in later, per image.
    package static let fieldNames = ["line", "slug", "model", "hash", "n", "seed", "date", "i"]

    /// `template` with its fields filled in. A `{word}` that is no field is
    /// a usage error rather than part of a name: it is almost always a typo.
    package static func expand(_ template: String, _ fields: OutputFields) throws(ImageGenError) -> String {
        guard template.contains("{") else { return template }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}"), close > afterOpen,
                rest[afterOpen..<close].allSatisfy({ $0.isASCII && $0.isLowercase })
            else {
                result += "{"
                rest = rest[afterOpen...]
                continue
            }
            let name = String(rest[afterOpen..<close])
            result += try value(of: name, fields)
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    private static func value(of name: String, _ fields: OutputFields) throws(ImageGenError) -> String {
        switch name {
        case "line": return String(fields.line)
        case "slug": return OutputNaming.slug(fields.prompt)
        // A provider's model name may hold `/` (an ARN, a deployment path).
        case "model": return fields.model.replacing("/", with: "-")
        case "hash": return fields.promptHash
        case "n": return String(fields.imageCount)
        case "date": return fields.date.description
        case "i": return "{i}"
        case "seed":
            guard let seed = fields.seed else {
                throw .usage("-o names {seed}, but no seed was given; add --seed N, or take {seed} out of -o")
            }
            return String(seed)
        default:
            throw .usage(
                "-o names {\(name)}, which is not a field; the fields are "
                    + fieldNames.map { "{\($0)}" }.joined(separator: ", "))
        }
    }
}
