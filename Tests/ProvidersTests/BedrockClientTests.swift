import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct BedrockClientTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let configuration = BedrockConfiguration(
        auth: .sigV4(credentials), authSource: "AWS_ACCESS_KEY_ID", region: "us-west-2",
        regionSource: "AWS_REGION", endpoint: "http://127.0.0.1:8123/")

    static func knowledge(_ model: String) throws(ImageGenError) -> ModelKnowledge {
        try ModelCatalogue.knowledge(for: Route(provider: .bedrock, model: model))
    }

    static func request(
        _ parameters: GenerationParameters = GenerationParameters(),
        prompt: String = "p"
    ) -> GenerationRequest {
        GenerationRequest(prompt: prompt, parameters: parameters)
    }

    func client(_ model: String, _ configuration: BedrockConfiguration = configuration) throws -> BedrockClient {
        try BedrockClient(
            model: model, configuration: configuration, knowledge: Self.knowledge(model),
            now: { 1_767_323_045 })
    }

    func body(_ model: String, _ request: GenerationRequest) throws -> String {
        String(decoding: try client(model).makeRequests(for: request)[0].body, as: UTF8.self)
    }

    @Test func sdxlRequestIsSignedAndEncoded() throws {
        let requests = try client("stability.stable-diffusion-xl-v1:0")
            .makeRequests(for: GenerationRequest(prompt: "a lighthouse"))
        #expect(requests.count == 1)
        let request = requests[0]
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:8123/model/stability.stable-diffusion-xl-v1%3A0/invoke")
        #expect(request.header("content-type") == "application/json")
        #expect(request.header("accept") == "application/json")
        #expect(request.header("host") == "127.0.0.1:8123")
        #expect(request.header("x-amz-date") == "20260102T030405Z")
        #expect(request.header("x-amz-security-token") == nil)
        let signer = SigV4Signer(credentials: Self.credentials, region: "us-west-2", service: "bedrock")
        #expect(request.header("authorization") == signer.signature(of: request).authorization)
        #expect(
            request.header("authorization")!.hasPrefix(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-west-2/bedrock/aws4_request, "
                    + "SignedHeaders=accept;content-type;host;x-amz-date, Signature="))
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"text_prompts":[{"text":"a lighthouse"}]}"#)
    }

    @Test func sdxlBodyAndFanOut() throws {
        let request = Self.request(
            GenerationParameters(
                n: 3, size: "1152x896",
                extra: [
                    Param(key: "cfg_scale", value: .int(7)), Param(key: "seed", value: .int(42)),
                    Param(key: "steps", value: .int(30)), Param(key: "style_preset", value: .string("photographic")),
                ]))
        let requests = try client("stability.stable-diffusion-xl-v1:0").makeRequests(for: request)
        #expect(requests.count == 3)
        #expect(
            String(decoding: requests[2].body, as: UTF8.self) == #"{"text_prompts":[{"text":"p"}],"height":896,"#
                + #""width":1152,"cfg_scale":7,"seed":42,"steps":30,"style_preset":"photographic"}"#)
    }

    @Test func stableImageBody() throws {
        let request = Self.request(
            GenerationParameters(
                n: 2,
                extra: [
                    Param(key: "aspect_ratio", value: .string("16:9")),
                    Param(key: "output_format", value: .string("png")),
                    Param(key: "mode", value: .string("text-to-image")), Param(key: "seed", value: .int(1)),
                ]),
            prompt: "a fox")
        let requests = try client("stability.sd3-large-v1:0").makeRequests(for: request)
        #expect(requests.count == 2)
        #expect(
            String(decoding: requests[0].body, as: UTF8.self) == #"{"prompt":"a fox","aspect_ratio":"16:9","#
                + #""output_format":"png","mode":"text-to-image","seed":1}"#)
        #expect(requests[0].url.hasSuffix("/model/stability.sd3-large-v1%3A0/invoke"))
    }

    @Test func amazonBodyRoutesParams() throws {
        let request = Self.request(
            GenerationParameters(
                n: 3, size: "1280x768", quality: "premium",
                extra: [
                    Param(key: "cfgScale", value: .number("6.5")), Param(key: "seed", value: .int(9)),
                    Param(key: "negativeText", value: .string("fog")), Param(key: "numberOfImages", value: .int(2)),
                ]),
            prompt: "a harbour")
        let requests = try client("amazon.titan-image-generator-v2:0").makeRequests(for: request)
        #expect(requests.count == 1)
        #expect(
            String(decoding: requests[0].body, as: UTF8.self) == #"{"taskType":"TEXT_IMAGE","#
                + #""textToImageParams":{"text":"a harbour","negativeText":"fog"},"imageGenerationConfig":{"#
                + #""numberOfImages":2,"height":768,"width":1280,"quality":"premium","cfgScale":6.5,"seed":9}}"#)
        #expect(
            try body("amazon.nova-canvas-v1:0", GenerationRequest(prompt: "x"))
                == #"{"taskType":"TEXT_IMAGE","textToImageParams":{"text":"x"}}"#)
    }

    @Test func sessionTokenAndBearer() throws {
        var withToken = Self.configuration
        withToken.auth = .sigV4(AWSCredentials(accessKeyID: "A", secretAccessKey: "S", sessionToken: "T0KEN"))
        let signed = try client("amazon.nova-canvas-v1:0", withToken).makeRequests(for: GenerationRequest(prompt: "x"))[
            0]
        #expect(signed.header("x-amz-security-token") == "T0KEN")
        #expect(
            signed.header("authorization")!.contains(
                "SignedHeaders=accept;content-type;host;x-amz-date;x-amz-security-token,"))

        var bearer = Self.configuration
        bearer.auth = .bearer("bedrock-key")
        let sent = try client("amazon.nova-canvas-v1:0", bearer).makeRequests(for: GenerationRequest(prompt: "x"))[0]
        #expect(sent.header("authorization") == "Bearer bedrock-key")
        #expect(sent.header("x-amz-date") == nil)
    }

    @Test func resignsOnEveryAttempt() throws {
        let request = try client("amazon.nova-canvas-v1:0").makeRequests(for: GenerationRequest(prompt: "x"))[0]
        let later = try BedrockClient(
            model: "amazon.nova-canvas-v1:0", configuration: Self.configuration,
            knowledge: Self.knowledge("amazon.nova-canvas-v1:0"),
            now: { 1_767_323_345 }
        ).prepareForSending(request)
        #expect(later.header("x-amz-date") == "20260102T030905Z")
        #expect(later.headers.count == request.headers.count)
    }

    @Test(arguments: [
        (request(GenerationParameters(size: "512x512")), "stability.stable-diffusion-xl-v1:0", "1152x896"),
        (request(GenerationParameters(quality: "hd")), "stability.stable-diffusion-xl-v1:0", "--quality"),
        (request(GenerationParameters(size: "1024x1024")), "stability.sd3-large-v1:0", "aspect_ratio"),
        (request(GenerationParameters(n: 6)), "amazon.nova-canvas-v1:0", "1 to 5"),
        (request(GenerationParameters(size: "big")), "amazon.nova-canvas-v1:0", "multiples of 16 from 320 to 4096"),
        (request(GenerationParameters(quality: "hd")), "amazon.titan-image-generator-v1", "premium"),
        (request(GenerationParameters(style: "vivid")), "amazon.nova-canvas-v1:0", "--style"),
        (request(GenerationParameters(responseFormat: "url")), "stability.sd3-large-v1:0", "use one of: b64_json"),
        (request(GenerationParameters(user: "u")), "stability.sd3-large-v1:0", "--user"),
        (request(), "anthropic.claude-v2", "not a Bedrock image model"),
    ])
    func localChecksAreUsageErrors(_ request: GenerationRequest, _ model: String, _ mention: String) {
        #expect { try Self.knowledge(model).check(request) } throws: {
            let error = $0 as! ImageGenError
            return error.exitCode == 2 && error.message.contains(mention)
        }
    }

    @Test func allowedSizesPass() throws {
        guard case .list(let sizes) = ModelCatalogue.stableDiffusionXL.sizes else {
            Issue.record("SDXL takes a list of sizes")
            return
        }
        for size in sizes {
            try Self.knowledge("stability.stable-diffusion-xl-v1:0").check(
                Self.request(GenerationParameters(size: size)))
        }
        try Self.knowledge("us.amazon.nova-canvas-v1:0").check(
            Self.request(GenerationParameters(responseFormat: "b64_json")))
    }

    func parse(_ model: String, _ body: String) throws(ImageGenError) -> ProviderAnswer {
        try BedrockClient(model: model, configuration: Self.configuration, knowledge: Self.knowledge(model))
            .parseSuccess(HTTPResponse(status: 200, body: Array(body.utf8)))
    }

    @Test func parsesEachFamily() throws {
        let sdxl = try parse(
            "stability.stable-diffusion-xl-v1:0",
            #"{"result":"success","artifacts":[{"seed":5,"base64":"iVBO","finishReason":"SUCCESS"}]}"#)
        #expect(sdxl.images == [GeneratedImage(b64JSON: "iVBO", extra: [("seed", .int(5))])])
        let sd3 = try parse(
            "stability.stable-image-core-v1:1",
            #"{"seeds":[7],"finish_reasons":[null],"images":["/9j/"]}"#)
        #expect(sd3.images == [GeneratedImage(b64JSON: "/9j/", extra: [("seed", .int(7))])])
        let titan = try parse("amazon.titan-image-generator-v1", #"{"images":["a","b"],"error":null}"#)
        #expect(titan.images.map(\.b64JSON) == ["a", "b"])
        #expect(titan.created == nil)
    }

    @Test(arguments: [
        (
            "stability.stable-diffusion-xl-v1:0",
            #"{"artifacts":[{"seed":1,"base64":"x","finishReason":"CONTENT_FILTERED"}]}"#, 4, "CONTENT_FILTERED"
        ),
        (
            "stability.sd3-large-v1:0", #"{"seeds":[1],"finish_reasons":["Filter reason: prompt"],"images":[]}"#, 4,
            "Filter reason: prompt"
        ),
        ("amazon.nova-canvas-v1:0", #"{"images":[],"error":"blocked by filter"}"#, 4, "blocked by filter"),
        ("amazon.nova-canvas-v1:0", #"{"images":[]}"#, 7, "\"images\""),
        ("stability.stable-diffusion-xl-v1:0", #"{"result":"success"}"#, 7, "artifacts"),
        ("stability.sd3-large-v1:0", "<html>", 7, "not JSON"),
    ])
    func badOrFilteredAnswers(_ model: String, _ body: String, _ exitCode: Int32, _ mention: String) {
        #expect { try parse(model, body) } throws: {
            let error = $0 as! ImageGenError
            return error.exitCode == exitCode && error.message.contains(mention)
        }
    }

    @Test func errorMessagesNameTypeAndHint() throws {
        let bedrock = try client("stability.stable-diffusion-xl-v1:0")
        func text(_ status: Int, _ type: String?, _ body: String) -> String {
            let headers = type.map { [HTTPHeader("x-amzn-ErrorType", $0)] } ?? []
            return bedrock.errorMessage(for: HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
        }
        #expect(
            text(
                400, "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/",
                #"{"message":"height must be 1024"}"#) == "height must be 1024 (ValidationException)")
        let denied = text(403, "AccessDeniedException", #"{"message":"You don't have access to the model"}"#)
        #expect(
            denied.contains("(AccessDeniedException)") && denied.contains("AWS_ACCESS_KEY_ID")
                && denied.contains("us-west-2"))
        let signature = text(403, nil, #"{"__type":"com.amazon.coral#InvalidSignatureException","message":"mismatch"}"#)
        #expect(
            signature.contains("InvalidSignatureException") && signature.contains("region us-west-2 (from AWS_REGION)"))
        #expect(
            text(403, "InvalidSignatureException", #"{"message":"Signature expired: 20200101T000000Z"}"#)
                .contains("clock"))
        #expect(text(429, "ThrottlingException", #"{"message":"Too many requests"}"#).contains("--max-retries"))
        #expect(text(503, nil, "") == "empty response body")
    }

    @Test func providerClientsBuildABedrockClient() throws {
        let environment = Environment([
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
            "AWS_REGION": "eu-west-1",
        ])
        let route = Router.route(model: "bedrock/amazon.nova-canvas-v1:0", provider: nil)
        let provider = try ProviderClients.make(
            for: ModelCatalogue.knowledge(for: route), connection: ConnectionOptions(),
            environment: environment)
        #expect(provider.kind == .bedrock)
        #expect(provider.model == "amazon.nova-canvas-v1:0")
        #expect(provider.secrets.contains("env-secret"))
    }
}
