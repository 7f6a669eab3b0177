import Testing
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders
import TestSupport

@Suite struct PriceTableTests {
    func estimate(_ model: String, n: Int? = nil, size: String? = nil, quality: String? = nil,
                  params: [(String, JSON)] = [], provider: ProviderKind? = nil, prompt: String = "p") -> String? {
        let request = GenerationRequest(prompt: prompt, model: model, n: n, size: size, quality: quality,
                                        extraParams: params)
        return PriceTable.estimate(request, route: Router.route(model: model, provider: provider))
            .map(PriceTable.dollarText)
    }

    @Test func dallE2BySize() {
        #expect(estimate("dall-e-2", size: "256x256") == "0.016")
        #expect(estimate("dall-e-2", size: "512x512") == "0.018")
        #expect(estimate("dall-e-2", size: "1024x1024") == "0.02")
        #expect(estimate("dall-e-2") == "0.02")  // the API's default size
        #expect(estimate("dall-e-2", n: 10, size: "256x256") == "0.16")
    }

    @Test func dallE3ByQualityAndSize() {
        #expect(estimate("dall-e-3") == "0.04")
        #expect(estimate("dall-e-3", size: "1024x1024", quality: "standard") == "0.04")
        #expect(estimate("dall-e-3", size: "1792x1024") == "0.08")
        #expect(estimate("dall-e-3", size: "1024x1792", quality: "standard") == "0.08")
        #expect(estimate("dall-e-3", size: "1024x1024", quality: "hd") == "0.08")
        #expect(estimate("dall-e-3", size: "1792x1024", quality: "hd") == "0.12")
        #expect(estimate("dall-e-3", n: 3, quality: "hd") == "0.24")
    }

    @Test func gptImage1ByPublishedTokenCountsPlusAPromptBound() {
        // output tokens × 40 USD/M, plus one token per prompt byte × 5 USD/M ("p": 0.000005).
        #expect(estimate("gpt-image-1", size: "1024x1024", quality: "low") == "0.010885")
        #expect(estimate("gpt-image-1", size: "1024x1536", quality: "medium") == "0.063365")
        #expect(estimate("gpt-image-1", size: "1536x1024", quality: "high") == "0.248325")
        #expect(estimate("gpt-image-1", size: "1024x1024", quality: "high") == "0.166405")
        // auto or unset: the dearest choice.
        #expect(estimate("gpt-image-1") == "0.249605")
        #expect(estimate("gpt-image-1", size: "auto", quality: "auto") == "0.249605")
        // n images share one prompt.
        #expect(estimate("gpt-image-1", n: 2, size: "1024x1024", quality: "low") == "0.021765")
        #expect(estimate("gpt-image-1-mini") == nil)
    }

    @Test func gptImage1CostComesFromTheReportedUsage() {
        let request = GenerationRequest(prompt: "p", model: "gpt-image-1", quality: "high")
        let result = GenerationResult(created: 0, model: "gpt-image-1", provider: .openai,
                                      images: [GeneratedImage(b64JSON: "x")],
                                      usage: .object([("input_tokens", .int(50)), ("output_tokens", .int(4160)),
                                                      ("total_tokens", .int(4210))]))
        let route = Route(provider: .openai, model: "gpt-image-1")
        #expect(PriceTable.cost(of: result, request: request, route: route).map(PriceTable.dollarText) == "0.16665")
        var noUsage = result
        noUsage.usage = nil
        #expect(PriceTable.cost(of: noUsage, request: request, route: route).map(PriceTable.dollarText)
            == "0.249605")
    }

    @Test func bedrockModels() {
        #expect(estimate("amazon.titan-image-generator-v1") == "0.01")
        #expect(estimate("amazon.titan-image-generator-v2:0", size: "512x512") == "0.008")
        #expect(estimate("amazon.titan-image-generator-v1", size: "1024x1024", quality: "premium") == "0.012")
        #expect(estimate("amazon.nova-canvas-v1:0") == "0.04")
        #expect(estimate("amazon.nova-canvas-v1:0", size: "1024x1024", quality: "premium") == "0.06")
        #expect(estimate("amazon.nova-canvas-v1:0", size: "2048x2048") == "0.06")
        #expect(estimate("bedrock/us.amazon.nova-canvas-v1:0", size: "2048x2048", quality: "premium") == "0.08")
        #expect(estimate("stability.sd3-large-v1:0") == "0.08")
        #expect(estimate("stability.stable-image-core-v1:1", n: 2) == "0.08")
        #expect(estimate("stability.stable-image-ultra-v1:1") == "0.14")
        #expect(estimate("stability.stable-diffusion-xl-v1") == "0.04")
        #expect(estimate("stability.stable-diffusion-xl-v1", size: "512x512") == "0.018")
        #expect(estimate("stability.stable-diffusion-xl-v1", params: [("steps", .int(70))]) == "0.08")
        #expect(estimate("stability.stable-diffusion-xl-v1", size: "512x512", params: [("steps", .int(51))])
            == "0.036")
        #expect(estimate("bedrock/stability.stable-diffusion-xl-v1", params: [("steps", .int(50))]) == "0.04")
        #expect(estimate("bedrock/meta.some-other-model") == nil)
    }

    @Test func unknownModelsHaveNoPrice() {
        #expect(estimate("openai/flux-schnell") == nil)
        #expect(estimate("my-model") == nil)
        #expect(estimate("azure/my-deployment") == nil)
    }

    @Test func azureDeploymentsNamedAfterTheModelArePricedAsTheModel() {
        #expect(estimate("azure/dall-e-3", quality: "hd") == "0.08")
        #expect(estimate("dall-e-3", provider: .azure) == "0.04")
    }

    @Test func resultCostCountsTheImagesThatCameBack() {
        let request = GenerationRequest(prompt: "p", model: "dall-e-3", n: 3)
        let result = GenerationResult(created: 0, model: "dall-e-3", provider: .openai,
                                      images: [GeneratedImage(b64JSON: "x"), GeneratedImage(b64JSON: "y")])
        #expect(PriceTable.cost(of: result, request: request, route: Route(provider: .openai, model: "dall-e-3"))
            == 80_000)
        #expect(PriceTable.cost(of: result, request: request, route: Route(provider: .openai, model: "x")) == nil)
    }

    @Test func dollarsAreExactDecimals() {
        #expect(PriceTable.dollarText(0) == "0")
        #expect(PriceTable.dollarText(120_000) == "0.12")
        #expect(PriceTable.dollarText(1_500_000) == "1.5")
        #expect(PriceTable.dollarText(16_325) == "0.016325")
        #expect(PriceTable.micros(dollars: 0.12) == 120_000)
        #expect(PriceTable.micros(dollars: 1e30) == Int.max)
        #expect(PriceTable.dollars(40_000) == .number("0.04"))
    }

    @Test func maxCostRefusesAboveTheEstimateAndUnknownPrices() throws {
        let request = GenerationRequest(prompt: "p", model: "dall-e-3", n: 3)  // 3 × 0.04: exactly 0.12
        let route = Route(provider: .openai, model: "dall-e-3")
        try CostGuard.check(request, route: route, maxCost: nil)
        try CostGuard.check(request, route: route, maxCost: 0.12)  // no floating-point surprise at the limit
        #expect(throws: ImageGenError.self) { try CostGuard.check(request, route: route, maxCost: 0.119) }
        do {
            try CostGuard.check(request, route: route, maxCost: 0.1)
            Issue.record("not refused")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("$0.12") && error.message.contains("--max-cost 0.1"))
            #expect(error.message.contains("nothing was sent"))
        }
        do {
            try CostGuard.check(request, route: Route(provider: .openai, model: "flux"), maxCost: 100)
            Issue.record("unknown price not refused")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("'flux'") && error.message.contains("drop --max-cost"))
        }
        #expect(CostGuard.estimateLine(request, route: route) == "estimated cost: $0.12 for 3 images with dall-e-3")
    }
}
