import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// Streamed requests and the reading of their event streams, OpenAI and Azure alike.
@Suite struct OpenAIImageStreamTests {
    let configuration = OpenAIConfiguration(apiKey: "sk-test", apiBase: "http://127.0.0.1:9/v1/")

    func client(_ model: String = "gpt-image-2") throws -> OpenAIClient {
        OpenAIClient(
            model: model, configuration: configuration,
            knowledge: try ModelCatalogue.knowledge(for: Route(provider: .openai, model: model)))
    }

    static func streamed(_ partials: Int = 2, n: Int? = nil, edit: EditInputs? = nil) -> GenerationRequest {
        var parameters = GenerationParameters()
        parameters.n = n
        var request = GenerationRequest(prompt: "owl", parameters: parameters, edit: edit)
        request.partialImages = partials
        return request
    }

    @Test func aStreamedRequestAsksForEventsWithStreamAndPartialImages() throws {
        let requests = try client().makeRequests(for: Self.streamed(3))
        #expect(requests.count == 1)
        #expect(requests[0].header("accept") == "text/event-stream")
        #expect(
            try JSON.parse(requests[0].body)
                == JSON.object([
                    ("model", .string("gpt-image-2")), ("prompt", .string("owl")), ("stream", .bool(true)),
                    ("partial_images", .int(3)),
                ]))
        let plain = try client().makeRequests(for: GenerationRequest(prompt: "owl"))
        #expect(plain[0].header("accept") == "application/json")
        #expect(try JSON.parse(plain[0].body)["stream"] == nil)
    }

    @Test func severalStreamedImagesAreOneRequestEach() throws {
        let requests = try client().makeRequests(for: Self.streamed(n: 3))
        #expect(requests.count == 3)
        #expect(try JSON.parse(requests[0].body)["n"] == .int(1))
    }

    @Test func aStreamedEditCarriesStreamAndPartialImagesAsFormFields() throws {
        let image = InputImage(filename: "a.png", contentType: "image/png", bytes: [1], sha256: "00")
        let requests = try client().makeRequests(for: Self.streamed(1, edit: EditInputs(images: [image])))
        let parts = try #require(requests[0].parts)
        #expect(
            parts.suffix(2) == [
                MultipartPart(name: "stream", text: "true"), MultipartPart(name: "partial_images", text: "1"),
            ])
    }

    @Test func azureStreamsTheSameWay() throws {
        let azure = AzureClient(
            deployment: "images",
            configuration: AzureConfiguration(
                credential: .apiKey("k"), credentialSource: "AZURE_API_KEY", apiBase: "https://r.openai.azure.com",
                apiVersion: AzureConfiguration.defaultAPIVersion),
            knowledge: try ModelCatalogue.knowledge(
                for: Route(provider: .azure, model: "images"), baseModel: "gpt-image-1.5"))
        let requests = try azure.makeRequests(for: Self.streamed(2, n: 2))
        #expect(requests.count == 2)
        #expect(try JSON.parse(requests[0].body)["stream"] == .bool(true))
        #expect(azure.makeStream(maxEventSize: 1024, onPartial: { _ in }) != nil)
    }

    @Test func modelsThatDoNotStreamAreRefusedBeforeSending() throws {
        let knowledge = try ModelCatalogue.knowledge(for: Route(provider: .openai, model: "dall-e-2"))
        #expect(throws: ImageGenError.self) { try knowledge.check(Self.streamed()) }
        let gpt = try ModelCatalogue.knowledge(for: Route(provider: .openai, model: "gpt-image-2"))
        #expect(throws: Never.self) { try gpt.check(Self.streamed(3)) }
        #expect(throws: ImageGenError.usage("gpt-image-2 takes --partial-images from 0 to 3")) {
            try gpt.check(Self.streamed(4))
        }
    }

    // MARK: - Reading the stream

    final class Partials: @unchecked Sendable {
        var seen: [PartialImage] = []
    }

    static func body(_ events: [(String, String)]) -> [UInt8] {
        Array(events.map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined().utf8)
    }

    static let final =
        #"{"type":"image_generation.completed","b64_json":"QUJD","created_at":1700000000,"size":"1024x1024","#
        + #""usage":{"input_tokens":5,"output_tokens":100,"total_tokens":105}}"#

    func read(
        _ body: [UInt8], cuts: [Int] = [], broken: String? = nil, partials: Partials = Partials()
    )
        throws(ImageGenError) -> HTTPResponse
    {
        let stream = OpenAIImageStream(
            provider: .openai, origin: "http://127.0.0.1:9", maxEventSize: 4096,
            onPartial: { partials.seen.append($0) })
        let headers = [HTTPHeader("Content-Type", "text/event-stream; charset=utf-8")]
        #expect(stream.begin(status: 200, headers: headers))
        var start = 0
        for end in cuts + [body.count] {
            try stream.receive(body[start..<end])
            start = end
        }
        return try stream.finish(status: 200, headers: headers, broken: broken)
    }

    @Test func partialsGoOutAsTheyArriveAndTheFinalEventReadsAsAPlainAnswer() throws {
        let partials = Partials()
        let body = Self.body([
            (
                "image_generation.partial_image",
                #"{"type":"image_generation.partial_image","b64_json":"AAAA","partial_image_index":0}"#
            ),
            (
                "image_generation.partial_image",
                #"{"type":"image_generation.partial_image","b64_json":"BBBB","partial_image_index":1}"#
            ),
            ("image_generation.completed", Self.final),
        ])
        let response = try read(body, cuts: [7, 40, 41, 100], partials: partials)
        #expect(partials.seen.map(\.index) == [0, 1])
        #expect(partials.seen.map(\.base64) == [Array("AAAA".utf8), Array("BBBB".utf8)])
        #expect(response.header("content-type") == "application/json")
        let answer = try OpenAIClient.parseImages(response, provider: .openai)
        #expect(answer.created == 1_700_000_000)
        #expect(answer.images.map(\.base64) == [Array("QUJD".utf8)[...]])
        #expect(answer.usage?["total_tokens"] == .int(105))
    }

    @Test func editEventsAreReadToo() throws {
        let body = Self.body([
            (
                "image_edit.partial_image",
                #"{"type":"image_edit.partial_image","b64_json":"AAAA","partial_image_index":0}"#
            ),
            ("image_edit.completed", #"{"type":"image_edit.completed","b64_json":"QUJD"}"#),
        ])
        let partials = Partials()
        let response = try read(body, partials: partials)
        #expect(partials.seen.count == 1)
        #expect(try OpenAIClient.parseImages(response, provider: .openai).images.count == 1)
    }

    @Test func anErrorEventIsARefusal() {
        let body = Self.body([
            (
                "error",
                #"{"type":"error","error":{"code":"moderation_blocked","message":"Rejected by the safety system."}}"#
            )
        ])
        #expect(
            throws: ImageGenError.rejected(
                provider: .openai, status: 200,
                message: "the event stream ended with an error: Rejected by the safety system. (moderation_blocked)",
                code: "moderation_blocked")
        ) { try read(body) }
    }

    @Test func aStreamEndingWithoutTheFinalImageIsBroken() {
        let body = Self.body([
            (
                "image_generation.partial_image",
                #"{"type":"image_generation.partial_image","b64_json":"AAAA","partial_image_index":0}"#
            )
        ])
        #expect(
            throws: ImageGenError.brokenStream(
                "the event stream from http://127.0.0.1:9 ended before the final image (after 1 partial image); "
                    + "nothing was written")
        ) { try read(body) }
        #expect(
            throws: ImageGenError.brokenStream(
                "the event stream from http://127.0.0.1:9 ended before the final image: connection reset; "
                    + "nothing was written")
        ) { try read([], broken: "connection reset") }
        #expect(ImageGenError.brokenStream("x").exitCode == 7)
    }

    @Test func anEventOverTheLimitIsRefused() {
        let body = Self.body([("image_generation.completed", String(repeating: "A", count: 5000))])
        #expect(throws: ImageGenError.self) { try read(body) }
    }

    @Test func anErrorAnswerOrAPlainJSONAnswerIsNotTakenAsAStream() {
        let stream = OpenAIImageStream(provider: .openai, origin: "o", maxEventSize: 10, onPartial: { _ in })
        #expect(!stream.begin(status: 400, headers: [HTTPHeader("Content-Type", "text/event-stream")]))
        #expect(!stream.begin(status: 200, headers: [HTTPHeader("Content-Type", "application/json")]))
    }
}
