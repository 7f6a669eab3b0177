/// The generation options a provider receives, as one value shared by the
/// command line, batch lines, request bodies, prices and PNG metadata.
/// A nil field was not given and is not sent: the provider's default
/// applies, as in LiteLLM.
package struct GenerationParameters: Equatable, Sendable {
    package var n: Int?
    package var size: String?
    package var quality: String?
    package var style: String?
    package var responseFormat: String?
    package var user: String?
    /// `transparent`, `opaque` or `auto` (GPT image models).
    package var background: String?
    /// `png`, `jpeg` or `webp`: what the provider encodes, and so the file's extension.
    package var outputFormat: String?
    /// 0–100, for jpeg and webp.
    package var outputCompression: Int?
    /// `auto` or `low` (GPT image models).
    package var moderation: String?
    package var seed: Int?
    /// `--param KEY=VALUE` fields in the order given.
    package var extra: [Param] = []

    package init(
        n: Int? = nil, size: String? = nil, quality: String? = nil, style: String? = nil,
        responseFormat: String? = nil, user: String? = nil, background: String? = nil,
        outputFormat: String? = nil, outputCompression: Int? = nil, moderation: String? = nil, seed: Int? = nil,
        extra: [Param] = []
    ) {
        self.n = n
        self.size = size
        self.quality = quality
        self.style = style
        self.responseFormat = responseFormat
        self.user = user
        self.background = background
        self.outputFormat = outputFormat
        self.outputCompression = outputCompression
        self.moderation = moderation
        self.seed = seed
        self.extra = extra
    }

    /// Number of images asked for (1 when `-n` was not given).
    package var imageCount: Int { n ?? 1 }

    /// `--size` as pixels; nil when not given or `auto`.
    package var pixelSize: ImageSize? { size.flatMap(ImageSize.init) }

    /// The last `--param` value given for `key`.
    package func extra(_ key: String) -> JSON? {
        extra.last { $0.key == key }?.value
    }

    /// These parameters with `other`'s on top: what `other` sets wins, and
    /// its `--param` fields come after these (a batch line over the command line).
    package func overridden(by other: GenerationParameters) -> GenerationParameters {
        GenerationParameters(
            n: other.n ?? n, size: other.size ?? size, quality: other.quality ?? quality,
            style: other.style ?? style, responseFormat: other.responseFormat ?? responseFormat,
            user: other.user ?? user, background: other.background ?? background,
            outputFormat: other.outputFormat ?? outputFormat,
            outputCompression: other.outputCompression ?? outputCompression,
            moderation: other.moderation ?? moderation, seed: other.seed ?? seed, extra: extra + other.extra)
    }

    /// The options in OpenAI's field names, in a fixed order (`n`, `size`,
    /// `quality`, `style`, `response_format`, `user`, `background`,
    /// `output_format`, `output_compression`, `moderation`, `seed`), then each
    /// `--param` field, which replaces a same-named option where it stands.
    /// `n` is passed in because a fan-out sends one image per request.
    package func fields(n: Int?) -> [(String, JSON)] {
        var fields: [(String, JSON)] = []
        if let n { fields.append(("n", .int(n))) }
        let strings: [(String, String?)] = [
            ("size", size), ("quality", quality), ("style", style), ("response_format", responseFormat),
            ("user", user), ("background", background), ("output_format", outputFormat),
        ]
        for case (let key, let value?) in strings { fields.append((key, .string(value))) }
        if let outputCompression { fields.append(("output_compression", .int(outputCompression))) }
        if let moderation { fields.append(("moderation", .string(moderation))) }
        if let seed { fields.append(("seed", .int(seed))) }
        return JSON.merging(fields, extra.map { ($0.key, $0.value) })
    }

    /// Every field as given, for PNG metadata and history.
    package var allFields: [(String, JSON)] { fields(n: n) }
}

/// One `--param KEY=VALUE`; VALUE already parsed as JSON when it was valid JSON.
package struct Param: Equatable, Sendable {
    package var key: String
    package var value: JSON

    package init(key: String, value: JSON) {
        self.key = key
        self.value = value
    }
}

extension JSON {
    /// `fields` with each of `replacements` replacing a same-named field in
    /// place, or appended when there is none.
    package static func merging(_ fields: [(String, JSON)], _ replacements: [(String, JSON)]) -> [(String, JSON)] {
        var result = fields
        for (key, value) in replacements {
            if let index = result.firstIndex(where: { $0.0 == key }) {
                result[index].1 = value
            } else {
                result.append((key, value))
            }
        }
        return result
    }
}
