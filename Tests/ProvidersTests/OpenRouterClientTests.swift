import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct OpenRouterClientTests {
    let client = OpenRouterClient(
        model: "google/gemini-2.5-flash-image",
        endpoint: HostedEndpoint(apiKey: "or-test-key", apiBase: "https://openrouter.ai/api/v1"))

    func response(_ json: String) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")], body: Array(json.utf8))
    }

    @Test func theBodyAsksForBothModalitiesAndTheNearestAspectRatio() throws {
        var parameters = GenerationParameters(n: 2, size: "1920x1080", seed: 5)
        parameters.extra = [Param(key: "max_tokens", value: .int(100))]
        let requests = try client.makeRequests(for: GenerationRequest(prompt: "a fox", parameters: parameters))
        #expect(requests.count == 2)
        #expect(requests[0].url == "https://openrouter.ai/api/v1/chat/completions")
        #expect(requests[0].header("authorization") == "Bearer or-test-key")
        #expect(
            try JSON.parse(requests[0].body)
                == .object([
                    ("model", .string("google/gemini-2.5-flash-image")),
                    ("messages", .array([.object([("role", .string("user")), ("content", .string("a fox"))])])),
                    ("modalities", .array([.string("image"), .string("text")])),
                    ("image_config", .object([("aspect_ratio", .string("16:9"))])), ("seed", .int(5)),
                    ("max_tokens", .int(100)),
                ]))
    }

    @Test func sizesMapToTheClosestListedRatio() {
        let cases = [
            ("1024x1024", "1:1"), ("1536x1024", "3:2"), ("1024x1536", "2:3"), ("1080x1920", "9:16"),
            ("2560x1080", "21:9"), ("4000x100", "21:9"), ("100x4000", "9:16"), ("1200x1000", "5:4"),
        ]
        for (size, ratio) in cases {
            #expect(OpenRouterClient.nearestAspectRatio(ImageSize(size)!) == ratio, "\(size)")
        }
    }

    @Test func imagesComeBackAsDataURLsWithTheCharge() throws {
        let answer = try client.parseSuccess(
            response(
                #"{"created":5,"choices":[{"message":{"role":"assistant","content":"Here","images":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0K"}}]}}],"usage":{"prompt_tokens":3,"cost":0.039}}"#
            ))
        #expect(answer.images.count == 1)
        #expect(answer.images[0].b64JSON == "iVBORw0K")
        #expect(answer.usage?["cost"] == .number("0.039"))
        #expect(answer.created == 5)
    }

    @Test func aTextOnlyAnswerIsAFailureWithTheModelsWords() {
        do {
            _ = try client.parseSuccess(
                response(#"{"choices":[{"message":{"content":"I cannot draw\u001b[2J that"}}]}"#))
            Issue.record("accepted an answer without images")
        } catch {
            #expect(error.exitCode == 7)
            #expect(error.message.contains("I cannot draw[2J that"))
        }
    }

    @Test func hostileAnswersAreBadResponses() {
        let bodies = [
            "nope", "{}", #"{"choices":7}"#,
            #"{"choices":[{"message":{"images":[{"image_url":{"url":"https://x/y.png"}}]}}]}"#,
            #"{"choices":[{"message":{"images":[{"image_url":{"url":"data:text/html;base64,PGI+"}}]}}]}"#,
            #"{"choices":[{"message":{"images":[{"image_url":{"url":"data:image/png,raw"}}]}}]}"#,
            #"{"choices":[{"message":{"images":[{}]}}]}"#, #"{"error":{"message":"upstream failed","code":502}}"#,
        ]
        for body in bodies {
            #expect(throws: ImageGenError.self, "\(body)") { try client.parseSuccess(response(body)) }
        }
    }

    @Test func theModelListKeepsOnlyModelsThatDraw() throws {
        let list = OpenRouterModelList(endpoint: client.endpoint)
        #expect(list.request().url == "https://openrouter.ai/api/v1/models?output_modalities=image")
        let answer = try JSON.parse(
            #"{"data":[{"id":"a/img","architecture":{"output_modalities":["image","text"]}},{"id":"b/chat","architecture":{"output_modalities":["text"]}},{"id":"c/old","expiration_date":"2026-12-31"}]}"#
        )
        let models = try list.models(in: answer)
        #expect(models.map(\.id) == ["a/img", "c/old"])
        #expect(models[1].lifecycle == .deprecated(shutdown: CalendarDate(2026, 12, 31), replacement: nil))
    }
}
