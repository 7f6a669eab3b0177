import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct OutputResultDocumentTests {
    let png = ImageInfo(
        format: .png, width: 1024, height: 1024, byteCount: 1_523_311,
        png: PNGDetails(bitDepth: 8, colorType: 2, interlaced: false))

    @Test func keyOrderAndValues() throws {
        let result = GenerationResult(
            created: 1_703_658_209, model: "dall-e-3", provider: .azure,
            images: [
                GeneratedImage(
                    b64JSON: "iVBORw0", revisedPrompt: "an otter",
                    extra: [("content_filter_results", .object([("hate", .object([("filtered", .bool(false))]))]))]),
                GeneratedImage(url: "http://127.0.0.1:8/a.png"),
                GeneratedImage(url: "http://127.0.0.1:8/b.png"),
                GeneratedImage(b64JSON: "xx"),
                GeneratedImage(url: "http://127.0.0.1:8/c.png"),
            ])
        let outcomes: [ImageOutcome] = [
            .success(SavedImage(destination: .file("out/an-otter-1.png"), info: png)),
            .success(SavedImage(destination: .notDownloaded(url: "http://127.0.0.1:8/a.png"), info: nil)),
            .failure(.rejected(provider: .azure, status: 403, message: "nope")),
            .failure(.badResponse(provider: .azure, message: "image 4: b64_json is not valid base64")),
            .success(SavedImage(destination: .standardOutput, info: png)),
        ]
        let document = ResultDocument.make(result, outcomes: outcomes)
        let expected = #"""
            {"created":1703658209,"model":"dall-e-3","provider":"azure","data":[\#
            {"url":null,"revised_prompt":"an otter","content_filter_results":{"hate":{"filtered":false}},\#
            "file":"out/an-otter-1.png","format":"png","width":1024,"height":1024,"bytes":1523311},\#
            {"url":"http://127.0.0.1:8/a.png","b64_json":null,"revised_prompt":null},\#
            {"url":"http://127.0.0.1:8/b.png","b64_json":null,"revised_prompt":null,\#
            "error":{"type":"rejected","message":"azure rejected the request (HTTP 403): nope","status":403,"provider":"azure"}},\#
            {"url":null,"b64_json":"xx","revised_prompt":null,\#
            "error":{"type":"bad_response","message":"bad response from azure: image 4: b64_json is not valid base64","status":null,"provider":"azure"}},\#
            {"url":"http://127.0.0.1:8/c.png","b64_json":null,"revised_prompt":null,\#
            "format":"png","width":1024,"height":1024,"bytes":1523311}],\#
            "usage":{"input_tokens":null,"output_tokens":null,"total_tokens":null,"provider_usage":null}}
            """#
        #expect(document.text == expected)
        // And printed for people it is valid JSON that reads back the same.
        var pretty = ""
        document.write(pretty: true) { pretty += $0 }
        #expect(try JSON.parse(pretty) == document)
    }

    @Test func providerUsageIsNormalisedAndPassedThrough() {
        let usage = JSON.object([
            ("input_tokens", .int(50)), ("output_tokens", .int(4160)), ("total_tokens", .int(4210)),
        ])
        let result = GenerationResult(created: 1, model: "gpt-image-1", provider: .openai, images: [], usage: usage)
        #expect(
            ResultDocument.make(result, outcomes: []).text
                == #"{"created":1,"model":"gpt-image-1","provider":"openai","data":[],"usage":{"input_tokens":50,"output_tokens":4160,"total_tokens":4210,"provider_usage":{"input_tokens":50,"output_tokens":4160,"total_tokens":4210}}}"#
        )
    }

    @Test func endToEndFromTheStage() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let bytes = Fixtures.bytes("rgba.png")
        let result = GenerationResult.outputTest([GeneratedImage(b64JSON: Base64.encode(bytes), revisedPrompt: "r")])
        let options = OutputOptions.outputTest(scratch.path + "/")
        let plan = try OutputPlan(output: options, prompt: "otter", imageCount: 1)
        let images = [try #require(ImageCheck.check(result.images[0], label: "image 1", provider: .openai))]
        let outcomes = OutputStage.write(
            result, images: images, plan: plan, options: options,
            standardOutput: CapturedIO().io.standardOutput)
        let item = try #require(ResultDocument.make(result, outcomes: outcomes)["data"]?.arrayValue?.first)
        #expect(item["file"] == .string(scratch.path + "/otter.png"))
        #expect(item["format"] == .string("png"))
        #expect(item["width"]?.intValue == 6)
        #expect(item["height"]?.intValue == 9)
        #expect(item["bytes"]?.intValue == bytes.count)
        // The bytes are in the file: the document does not carry them again, unless asked.
        #expect(item["b64_json"] == nil)
        let asked = try #require(
            ResultDocument.make(result, outcomes: outcomes, keepWrittenImageData: true)["data"]?.arrayValue?.first)
        #expect(asked["b64_json"] == .string(Base64.encode(bytes)))
    }
}
