import ImageGenCore
import ImageGenHTTP

/// One partial image of a streamed generation, as it arrived.
package struct PartialImage: Sendable {
    /// 0-based, as `partial_image_index` counts.
    package var index: Int
    /// The image's base64, not yet decoded.
    package var base64: [UInt8]
}

/// Reads one streamed answer of OpenAI's image API (Azure's is the same):
/// server-sent events `image_generation.partial_image` (edits:
/// `image_edit.partial_image`) with `b64_json` and `partial_image_index`,
/// then `image_generation.completed` (`image_edit.completed`) with the
/// final `b64_json` and `usage` (OpenAI's image streaming reference,
/// `ModelCatalogue.streamingSources`, checked 2026-11-29). An `error` event
/// ends the generation.
///
/// The final event becomes the JSON answer a request without `stream`
/// gets, `{"created", "data": [{"b64_json"}], "usage", …}`, so the image
/// is decoded, checked, priced and written exactly as it would have been.
package final class OpenAIImageStream: StreamedBody {
    private var parser: ServerSentEventParser
    private let provider: ProviderKind
    private let origin: String
    private let onPartial: @Sendable (PartialImage) -> Void
    private var answer: [UInt8]?
    private var partials = 0

    package init(
        provider: ProviderKind, origin: String, maxEventSize: Int,
        onPartial: @escaping @Sendable (PartialImage) -> Void
    ) {
        parser = ServerSentEventParser(maxEventSize: maxEventSize)
        self.provider = provider
        self.origin = origin
        self.onPartial = onPartial
    }

    package func begin(status: Int, headers: [HTTPHeader]) -> Bool {
        guard (200..<300).contains(status) else { return false }
        let type = headers.last { $0.name.lowercased() == "content-type" }?.value.lowercased() ?? ""
        return type.hasPrefix("text/event-stream")
    }

    package func receive(_ piece: ArraySlice<UInt8>) throws(ImageGenError) {
        let events: [ServerSentEvent]
        do {
            events = try parser.feed(piece)
        } catch {
            throw .refusedAnswer(
                "an event from \(origin) was larger than --max-filesize "
                    + "\(TransferSettings.sizeText(parser.maxEventSize)); raise it if the image is really that large")
        }
        for event in events { try handle(event) }
    }

    package func finish(status: Int, headers: [HTTPHeader], broken: String?) throws(ImageGenError) -> HTTPResponse {
        guard let answer else {
            let seen = partials == 0 ? "" : " (after \(partials) partial image\(partials == 1 ? "" : "s"))"
            let reason = broken.map { ": \($0)" } ?? ""
            throw .brokenStream(
                "the event stream from \(origin) ended before the final image\(seen)\(reason); nothing was written")
        }
        let kept = headers.filter { $0.name.lowercased() != "content-type" }
        return HTTPResponse(
            status: status, headers: kept + [HTTPHeader("Content-Type", "application/json")], body: answer)
    }

    private func handle(_ event: ServerSentEvent) throws(ImageGenError) {
        // Whatever follows the final image (a closing event of a later API version) changes nothing.
        guard answer == nil else { return }
        let json: JSON
        do {
            json = try JSON.parse(event.data, largeStrings: 4096)
        } catch {
            throw .badResponse(
                provider: provider,
                message: "an event of the stream is not JSON (\(error)): " + ProviderErrorText.excerpt(event.data))
        }
        let type = json["type"]?.stringValue ?? event.name
        if type == "error" || event.name == "error" {
            throw streamError(json)
        }
        switch type {
        case "image_generation.partial_image", "image_edit.partial_image":
            guard let base64 = json["b64_json"]?.utf8Bytes else {
                throw .badResponse(provider: provider, message: "a partial image event has no \"b64_json\"")
            }
            partials += 1
            onPartial(PartialImage(index: json["partial_image_index"]?.intValue ?? partials - 1, base64: Array(base64)))
        case "image_generation.completed", "image_edit.completed":
            answer = try Self.answer(from: json, provider: provider)
        default:
            break  // events this version does not know are not its business
        }
    }

    /// The final event as the answer a request without `stream` gets.
    static func answer(from event: JSON, provider: ProviderKind) throws(ImageGenError) -> [UInt8] {
        guard case .object(let members) = event, let image = event["b64_json"], image.utf8Bytes != nil else {
            throw .badResponse(provider: provider, message: "the completed event has no \"b64_json\"")
        }
        var fields: [(String, JSON)] = []
        if let created = event["created_at"] { fields.append(("created", created)) }
        fields.append(("data", .array([.object([("b64_json", image)])])))
        for (key, value) in members where !["type", "b64_json", "created_at"].contains(key) {
            fields.append((key, value))
        }
        return Array(JSON.object(fields).text.utf8)
    }

    /// A mid-stream `error` event: the provider refused after it had
    /// answered 200, so it is a refusal (exit 4), and not retried.
    private func streamError(_ json: JSON) -> ImageGenError {
        let error = json["error"] ?? json
        let message = error["message"]?.stringValue ?? "no message"
        let code = (error["code"]?.stringValue ?? error["type"]?.stringValue).flatMap { $0.isEmpty ? nil : $0 }
        return .rejected(
            provider: provider, status: 200,
            message: "the event stream ended with an error: " + message + (code.map { " (\($0))" } ?? ""),
            code: code)
    }
}
