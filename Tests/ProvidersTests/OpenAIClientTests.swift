import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct OpenAIClientTests {
    let configuration = OpenAIConfiguration(
        apiKey: "sk-test", apiBase: "http://127.0.0.1:9/v1/",
        organization: "org-1")

    func client(_ model: String) throws -> OpenAIClient {
        OpenAIClient(
            model: model, configuration: configuration,
            knowledge: try ModelCatalogue.knowledge(for: Route(provider: .openai, model: model)))
    }

    @Test func editsAreAFormOfTheImagesThenTheFields() throws {
        let image = InputImage(filename: "a.png", contentType: "image/png", bytes: [1, 2], sha256: "00")
        let mask = InputImage(filename: "m.png", contentType: "image/png", bytes: [3], sha256: "11")
        var parameters = GenerationParameters()
        parameters.n = 2
        parameters.outputCompression = 50
        let one = try client("gpt-image-2").makeRequests(
            for: GenerationRequest(prompt: "hat", parameters: parameters, edit: EditInputs(images: [image], mask: mask))
        )
        #expect(one.count == 1)
        #expect(one[0].url == "http://127.0.0.1:9/v1/images/edits")
        #expect(one[0].header("content-type") == nil, "libcurl sets the form's type and boundary")
        #expect(
            one[0].parts
                == [
                    MultipartPart(
                        name: "image", filename: "a.png", contentType: "image/png", bytes: [1, 2], sha256: "00"),
                    MultipartPart(name: "mask", filename: "m.png", contentType: "image/png", bytes: [3], sha256: "11"),
                    MultipartPart(name: "model", text: "gpt-image-2"), MultipartPart(name: "prompt", text: "hat"),
                    MultipartPart(name: "n", text: "2"), MultipartPart(name: "output_compression", text: "50"),
                ])
        let several = try client("gpt-image-2").makeRequests(
            for: GenerationRequest(prompt: "hat", edit: EditInputs(images: [image, image])))
        #expect(several[0].parts?.prefix(2).map(\.name) == ["image[]", "image[]"])
    }

    @Test func bodyHasOnlyWhatWasGiven() throws {
        let client = try client("dall-e-2")
        let requests = try client.makeRequests(for: GenerationRequest(prompt: "otter"))
        #expect(requests.count == 1)
        #expect(String(decoding: requests[0].body, as: UTF8.self) == #"{"model":"dall-e-2","prompt":"otter"}"#)
        #expect(requests[0].url == "http://127.0.0.1:9/v1/images/generations")
        #expect(requests[0].method == "POST")
        #expect(requests[0].header("authorization") == "Bearer sk-test")
        #expect(requests[0].header("OpenAI-Organization") == "org-1")
        #expect(requests[0].header("content-type") == "application/json")
    }

    @Test func everyOptionAndParamsInOrder() throws {
        let client = try client("dall-e-3")
        let request = GenerationRequest(
            prompt: "a \"quoted\" otter",
            parameters: GenerationParameters(
                n: 1, size: "1792x1024", quality: "hd", style: "natural", responseFormat: "b64_json", user: "u1",
                extra: [Param(key: "seed", value: .number("42")), Param(key: "quality", value: .string("standard"))]))
        let body = String(decoding: try client.makeRequests(for: request)[0].body, as: UTF8.self)
        #expect(
            body == #"{"model":"dall-e-3","prompt":"a \"quoted\" otter","n":1,"size":"1792x1024","#
                + #""quality":"standard","style":"natural","response_format":"b64_json","user":"u1","seed":42}"#)
    }

    @Test func dallE3FansOutOneImagePerRequest() throws {
        let client = try client("dall-e-3")
        let requests = try client.makeRequests(
            for: GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 3)))
        #expect(requests.count == 3)
        for request in requests {
            #expect(try JSON.parse(request.body)["n"] == .number("1"))
        }
        let dallE2 = try self.client("dall-e-2")
        let one = try dallE2.makeRequests(for: GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 3)))
        #expect(one.count == 1)
        #expect(try JSON.parse(one[0].body)["n"] == .number("3"))
    }

    @Test func parsesImagesKeepingExtraFields() throws {
        let client = try client("dall-e-3")
        let body =
            #"{"created":1703658209,"data":[{"b64_json":"iVBO","revised_prompt":"r","#
            + #""content_filter_results":{"hate":{"filtered":false}}},{"url":"http://x/y.png"}],"#
            + #""usage":{"total_tokens":3}}"#
        let answer = try client.parseSuccess(HTTPResponse(status: 200, body: Array(body.utf8)))
        #expect(answer.created == 1_703_658_209)
        #expect(answer.images.count == 2)
        #expect(answer.images[0].b64JSON == "iVBO")
        #expect(answer.images[0].revisedPrompt == "r")
        #expect(answer.images[0].extra.map(\.0) == ["content_filter_results"])
        #expect(answer.images[1].url == "http://x/y.png")
        #expect(answer.usage?["total_tokens"] == .number("3"))
    }

    @Test(arguments: [
        ("<html>oops</html>", "not JSON"),
        (#"{"created":1}"#, "no \"data\" array"),
        (#"{"data":[{"revised_prompt":"x"}]}"#, "neither"),
        (#"{"data":[3]}"#, "not an object"),
    ])
    func rejectsMalformedAnswers(body: String, fragment: String) throws {
        let client = try client("dall-e-2")
        #expect {
            try client.parseSuccess(HTTPResponse(status: 200, body: Array(body.utf8)))
        } throws: { error in
            guard let error = error as? ImageGenError, case .badResponse(let provider, let message) = error else {
                return false
            }
            return provider == .openai && message.contains(fragment) && error.exitCode == 7
        }
    }

    @Test func providerErrorMessage() throws {
        let client = try client("dall-e-2")
        let body =
            #"{"error":{"message":"Your request was rejected.","type":"invalid_request_error","#
            + #""code":"content_policy_violation"}}"#
        #expect(
            client.errorMessage(for: HTTPResponse(status: 400, body: Array(body.utf8)))
                == "Your request was rejected. (content_policy_violation)")
        #expect(
            client.errorMessage(for: HTTPResponse(status: 502, body: Array("Bad gateway\n".utf8)))
                == "Bad gateway")
        #expect(client.errorMessage(for: HTTPResponse(status: 502)) == "empty response body")
    }

    @Test func configurationFromEnvironment() throws {
        let env = Environment([
            "OPENAI_API_KEY": "sk-env", "OPENAI_BASE_URL": "http://b", "OPENAI_API_BASE": "http://a",
            "OPENAI_ORGANIZATION": "org-e",
        ])
        let resolved = try OpenAIConfiguration.resolve(ConnectionOptions(), environment: env)
        #expect(
            resolved
                == OpenAIConfiguration(
                    apiKey: "sk-env", keySource: "OPENAI_API_KEY", apiBase: "http://a", organization: "org-e"))
        var flags = ConnectionOptions()
        flags.apiKey = "sk-flag"
        flags.apiBase = "https://c/v1"
        let fromFlags = try OpenAIConfiguration.resolve(flags, environment: env)
        #expect(fromFlags.apiKey == "sk-flag" && fromFlags.apiBase == "https://c/v1")
        let defaults = try OpenAIConfiguration.resolve(
            ConnectionOptions(), environment: Environment(["OPENAI_API_KEY": "k"]))
        #expect(defaults.apiBase == "https://api.openai.com/v1" && defaults.organization == nil)
    }

    @Test func missingKeyIsConfigurationError() {
        #expect(
            throws: ImageGenError.configuration(
                "OPENAI_API_KEY is not set; pass --api-key KEY or export OPENAI_API_KEY, "
                    + "or store it with imagegen keys set openai")
        ) {
            try OpenAIConfiguration.resolve(ConnectionOptions(), environment: Environment())
        }
    }

    @Test func badBaseNamesItsSource() {
        #expect(
            throws: ImageGenError.configuration(
                "OPENAI_API_BASE must be an http:// or https:// URL, got 'api.example.com'")
        ) {
            try OpenAIConfiguration.resolve(
                ConnectionOptions(),
                environment: Environment(["OPENAI_API_KEY": "k", "OPENAI_API_BASE": "api.example.com"]))
        }
        var flags = ConnectionOptions()
        flags.apiBase = "ftp://x"
        #expect(throws: ImageGenError.usage("--api-base must be an http:// or https:// URL, got 'ftp://x'")) {
            try OpenAIConfiguration.resolve(flags, environment: Environment(["OPENAI_API_KEY": "k"]))
        }
    }
}

@Suite struct OpenAIModelLimitsTests {
    func check(_ model: String, _ configure: (inout GenerationParameters) -> Void) throws(ImageGenError) {
        var parameters = GenerationParameters()
        configure(&parameters)
        let request = GenerationRequest(prompt: "p", parameters: parameters)
        try ModelCatalogue.knowledge(for: Router.route(model: model, provider: nil)).check(request)
    }

    @Test func acceptsWhatTheTableAllows() throws {
        try check("dall-e-2") {
            $0.n = 10
            $0.size = "512x512"
            $0.responseFormat = "url"
        }
        try check("dall-e-3") {
            $0.n = 25
            $0.size = "1024x1792"
            $0.quality = "hd"
            $0.style = "vivid"
        }
        try check("gpt-image-1") {
            $0.n = 10
            $0.size = "auto"
            $0.quality = "low"
        }
        try check("my-compatible-model") {
            $0.n = 99
            $0.size = "3x3"
            $0.quality = "anything"
            $0.style = "x"
        }
    }

    @Test(
        arguments: [
            ("dall-e-2", 11, nil, nil, nil, nil, "dall-e-2 makes 1 to 10 images per request; -n 11 is out of range"),
            (
                "dall-e-2", nil, "1024x1792", nil, nil, nil,
                "dall-e-2 does not support --size 1024x1792; use one of: 256x256, 512x512, 1024x1024"
            ),
            ("dall-e-2", nil, nil, "hd", nil, nil, "dall-e-2 does not take --quality; drop it"),
            (
                "dall-e-3", nil, "512x512", nil, nil, nil,
                "dall-e-3 does not support --size 512x512; use one of: 1024x1024, 1792x1024, 1024x1792"
            ),
            (
                "dall-e-3", nil, nil, "ultra", nil, nil,
                "dall-e-3 does not support --quality ultra; use one of: standard, hd"
            ),
            (
                "dall-e-3", nil, nil, nil, "cute", nil,
                "dall-e-3 does not support --style cute; use one of: vivid, natural"
            ),
            (
                "gpt-image-1", nil, nil, nil, nil, "url",
                "gpt-image-1 always answers with b64_json and rejects response_format; drop --response-format"
            ),
            (
                "gpt-image-1", nil, nil, nil, "vivid", nil,
                "gpt-image-1 does not take --style (a dall-e-3 option); describe the style in the prompt"
            ),
            (
                "gpt-image-1", 0, nil, nil, nil, nil,
                "gpt-image-1 makes 1 to 10 images per request; -n 0 is out of range"
            ),
        ] as [(String, Int?, String?, String?, String?, String?, String)])
    func refuses(
        model: String, n: Int?, size: String?, quality: String?, style: String?, format: String?,
        message: String
    ) {
        #expect(throws: ImageGenError.usage(message)) {
            try check(model) {
                $0.n = n
                $0.size = size
                $0.quality = quality
                $0.style = style
                $0.responseFormat = format
            }
        }
    }
}
