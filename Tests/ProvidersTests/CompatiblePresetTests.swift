import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// Xinference, Nscale and Recraft are OpenAI's client with a preset.
@Suite struct CompatiblePresetTests {
    func client(
        _ kind: ProviderKind, _ model: String, _ env: [String: String]
    ) throws(ImageGenError) -> any ImageProvider {
        let knowledge = try ModelCatalogue.knowledge(for: Route(provider: kind, model: model))
        return try ProviderClients.make(for: knowledge, connection: ConnectionOptions(), environment: Environment(env))
    }

    @Test func xinferenceNeedsABaseAndNeverFallsBackToOpenAI() {
        do {
            _ = try client(.xinference, "sd3", ["XINFERENCE_API_KEY": "xk", "OPENAI_API_KEY": "sk"])
            Issue.record("Xinference without a base was accepted")
        } catch {
            #expect(error.exitCode == 3)
            #expect(error.message.contains("XINFERENCE_API_BASE"))
        }
    }

    @Test func xinferenceWithoutAKeySendsNoAuthorization() throws {
        let provider = try client(.xinference, "sd3", ["XINFERENCE_API_BASE": "http://127.0.0.1:9997/v1"])
        let request = try #require(try provider.makeRequests(for: GenerationRequest(prompt: "p")).first)
        #expect(provider.kind == .xinference)
        #expect(request.url == "http://127.0.0.1:9997/v1/images/generations")
        #expect(request.header("authorization") == nil)
        #expect(!provider.isOfficialEndpoint)
        // Its default `url` is a path on the server: base64 is asked for.
        #expect(
            try JSON.parse(request.body)
                == .object([
                    ("model", .string("sd3")), ("prompt", .string("p")), ("response_format", .string("b64_json")),
                ]))
    }

    @Test func nscaleDefaultsToItsOwnBase() throws {
        let provider = try client(.nscale, "black-forest-labs/FLUX.1-schnell", ["NSCALE_API_KEY": "nk-123"])
        let requests = try provider.makeRequests(
            for: GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 2, size: "512x512")))
        #expect(requests.count == 2)
        #expect(requests[0].url == "https://inference.api.nscale.com/v1/images/generations")
        #expect(requests[0].header("authorization") == "Bearer nk-123")
        #expect(
            try JSON.parse(requests[0].body)
                == .object([
                    ("model", .string("black-forest-labs/FLUX.1-schnell")), ("prompt", .string("p")), ("n", .int(1)),
                    ("size", .string("512x512")),
                ]))
        #expect(provider.isOfficialEndpoint)
        #expect(throws: ImageGenError.self) { try client(.nscale, "m", ["OPENAI_API_KEY": "sk"]) }
    }

    @Test func recraftAddsV1ToLiteLLMsBaseAndSendsItsStyle() throws {
        for base in ["https://external.api.recraft.ai", "https://external.api.recraft.ai/v1/"] {
            let provider = try client(.recraft, "recraftv3", ["RECRAFT_API_KEY": "rk-123", "RECRAFT_API_BASE": base])
            var parameters = GenerationParameters(style: "digital_illustration")
            parameters.extra = [Param(key: "substyle", value: .string("hand_drawn"))]
            let request = try #require(
                try provider.makeRequests(for: GenerationRequest(prompt: "p", parameters: parameters)).first)
            #expect(request.url == "https://external.api.recraft.ai/v1/images/generations")
            #expect(
                try JSON.parse(request.body)
                    == .object([
                        ("model", .string("recraftv3")), ("prompt", .string("p")),
                        ("style", .string("digital_illustration")), ("substyle", .string("hand_drawn")),
                    ]))
        }
    }

    @Test func recraftsVectorStylesAreRefusedLocally() throws {
        let knowledge = try ModelCatalogue.knowledge(for: Route(provider: .recraft, model: "recraftv3"))
        #expect(throws: ImageGenError.self) {
            try knowledge.check(
                GenerationRequest(prompt: "p", parameters: GenerationParameters(style: "vector_illustration")))
        }
    }

    @Test func aWrongKeyNamesTheProvidersVariable() throws {
        let provider = try client(.nscale, "m", ["NSCALE_API_KEY": "nk-123"])
        let message = provider.errorMessage(
            for: HTTPResponse(status: 401, body: Array(#"{"error":{"message":"bad key"}}"#.utf8)))
        #expect(message == "bad key; check NSCALE_API_KEY or --api-key")
    }

    @Test func reportedChargesBecomeTheCost() {
        #expect(PriceTable.reportedCharge(.object([("cost", .number("0.039"))]), provider: .openrouter) == 39_000)
        #expect(PriceTable.reportedCharge(.object([("cost", .number("4.5"))]), provider: .blackForestLabs) == 45_000)
        #expect(PriceTable.reportedCharge(.object([("cost", .number("0.039"))]), provider: .openai) == nil)
        #expect(PriceTable.reportedCharge(.object([("cost", .number("-1"))]), provider: .openrouter) == nil)
        #expect(PriceTable.reportedCharge(.object([("cost", .number("1e300"))]), provider: .openrouter) == nil)
        #expect(PriceTable.reportedCharge(.object([("cost", .string("1"))]), provider: .openrouter) == nil)
    }

    @Test func routesUseLiteLLMsPrefixes() {
        #expect(
            Router.route(model: "black_forest_labs/flux-pro-1.1", provider: nil)
                == Route(provider: .blackForestLabs, model: "flux-pro-1.1"))
        #expect(
            Router.route(model: "openrouter/google/gemini-2.5-flash-image", provider: nil)
                == Route(provider: .openrouter, model: "google/gemini-2.5-flash-image"))
        #expect(
            Router.route(model: "nscale/black-forest-labs/FLUX.1-schnell", provider: nil)
                == Route(provider: .nscale, model: "black-forest-labs/FLUX.1-schnell"))
        #expect(Router.route(model: "xinference/sd3", provider: nil) == Route(provider: .xinference, model: "sd3"))
        #expect(
            Router.route(model: "recraft/recraftv3", provider: nil) == Route(provider: .recraft, model: "recraftv3"))
    }
}
