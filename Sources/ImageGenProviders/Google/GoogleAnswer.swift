import ImageGenCore
import ImageGenHTTP

/// Reading Google's image answers. Everything in them is untrusted: a
/// missing field, a part that is not an image, a refusal dressed as a
/// success are all named, and the model's own words are sanitised before
/// they reach a message.
enum GoogleAnswer {
    /// `finishReason` / `blockReason` values that mean the safety filters
    /// or a policy stopped the image, as the GenerateContentResponse
    /// reference lists them (https://ai.google.dev/api/generate-content, checked 2026-11-29).
    static let refusals: Set<String> = [
        "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
        "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "OTHER",
    ]

    /// At most this much of the model's text goes into a message.
    static let textLimit = 600

    static func candidates(_ json: JSON, provider: ProviderKind) throws(ImageGenError) -> ProviderAnswer {
        if let blocked = json["promptFeedback"]?["blockReason"]?.stringValue {
            let detail = json["promptFeedback"]?["blockReasonMessage"]?.stringValue
            throw .rejected(
                provider: provider, status: 200,
                message: "the prompt was blocked (\(clean(blocked)))" + (detail.map { ": " + clean($0) } ?? "")
                    + "; nothing was generated", code: clean(blocked))
        }
        guard let candidates = json["candidates"]?.arrayValue else {
            throw .badResponse(provider: provider, message: "the answer has no \"candidates\" array")
        }
        var images: [GeneratedImage] = []
        var words: [String] = []
        var reasons: [String] = []
        for (index, candidate) in candidates.enumerated() {
            if let reason = candidate["finishReason"]?.stringValue, reason != "STOP", reason != "MAX_TOKENS" {
                reasons.append(clean(reason))
            }
            guard let parts = candidate["content"]?["parts"]?.arrayValue else { continue }
            for (number, part) in parts.enumerated() {
                if let text = part["text"]?.stringValue, part["thought"] != .bool(true) {
                    words.append(text)
                }
                guard let inline = part["inlineData"] ?? part["inline_data"] else { continue }
                let place = "candidates[\(index)].content.parts[\(number)].inlineData"
                let mime = (inline["mimeType"] ?? inline["mime_type"])?.stringValue ?? ""
                guard mime.lowercased().hasPrefix("image/") else {
                    throw .badResponse(
                        provider: provider,
                        message: "\(place) is \(mime.isEmpty ? "without a mimeType" : "'\(clean(mime))'"), not an image"
                    )
                }
                // Thinking models may show drafts; only the final images count.
                if part["thought"] == .bool(true) { continue }
                guard let data = inline["data"]?.utf8Bytes, !data.isEmpty else {
                    throw .badResponse(provider: provider, message: "\(place) has no \"data\"")
                }
                var image = GeneratedImage()
                image.base64 = data
                image.extra = [("mime_type", .string(mime))]
                images.append(image)
            }
        }
        guard !images.isEmpty else {
            throw noImage(reasons: reasons, words: words, provider: provider)
        }
        return ProviderAnswer(images: images, usage: usage(json["usageMetadata"]))
    }

    static func predictions(_ json: JSON, provider: ProviderKind) throws(ImageGenError) -> ProviderAnswer {
        // An answer whose every image was filtered has no predictions at all.
        let predictions = json["predictions"]?.arrayValue ?? []
        var images: [GeneratedImage] = []
        var reasons: [String] = []
        for (index, prediction) in predictions.enumerated() {
            if let reason = prediction["raiFilteredReason"]?.stringValue {
                reasons.append(clean(reason))
                continue
            }
            let mime = prediction["mimeType"]?.stringValue ?? "image/png"
            guard mime.lowercased().hasPrefix("image/") else {
                throw .badResponse(
                    provider: provider, message: "predictions[\(index)] is '\(clean(mime))', not an image")
            }
            guard let data = prediction["bytesBase64Encoded"]?.utf8Bytes, !data.isEmpty else {
                throw .badResponse(provider: provider, message: "predictions[\(index)] has no \"bytesBase64Encoded\"")
            }
            var image = GeneratedImage()
            image.base64 = data
            image.extra = [("mime_type", .string(mime))]
            if let revised = prediction["prompt"]?.stringValue { image.revisedPrompt = revised }
            images.append(image)
        }
        guard !images.isEmpty else {
            if !reasons.isEmpty {
                throw .rejected(
                    provider: provider, status: 200,
                    message: "every image was withheld by the safety filters: " + reasons.joined(separator: "; "))
            }
            throw .badResponse(provider: provider, message: "the answer has no image (no \"predictions\")")
        }
        return ProviderAnswer(images: images)
    }

    /// No image: a refusal when a candidate says so, else a bad answer with
    /// what the model said instead (LiteLLM returns an empty success here).
    static func noImage(reasons: [String], words: [String], provider: ProviderKind) -> ImageGenError {
        let said = clean(words.joined(separator: " "))
        let quoted = said.isEmpty ? "" : "; the model said: \"\(said)\""
        if let reason = reasons.first(where: refusals.contains) {
            return .rejected(
                provider: provider, status: 200, message: "no image was made (finishReason \(reason))" + quoted,
                code: reason)
        }
        let why = reasons.first.map { " (finishReason \($0))" } ?? ""
        return .badResponse(provider: provider, message: "the answer has no image\(why)" + quoted)
    }

    /// Provider text made safe for a terminal and a message: control
    /// characters gone, whitespace runs joined, cut to `textLimit`.
    static func clean(_ text: String) -> String {
        let flat = TerminalText.sanitized(text).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })
            .joined(separator: " ")
        return flat.count > textLimit ? String(flat.prefix(textLimit)) + "…" : flat
    }

    /// `usageMetadata` in the names the JSON document uses; nil when absent
    /// or not counts.
    static func usage(_ metadata: JSON?) -> JSON? {
        guard let metadata, let input = metadata["promptTokenCount"]?.intValue,
            let output = metadata["candidatesTokenCount"]?.intValue, input >= 0, output >= 0
        else { return nil }
        let total = metadata["totalTokenCount"]?.intValue ?? input.addingReportingOverflow(output).partialValue
        return .object([
            ("input_tokens", .int(input)), ("output_tokens", .int(output)), ("total_tokens", .int(total)),
        ])
    }
}
