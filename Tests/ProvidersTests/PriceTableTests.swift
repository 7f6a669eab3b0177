import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct PriceTableTests {
    func estimate(
        _ model: String, n: Int? = nil, size: String? = nil, quality: String? = nil,
        params: [(String, JSON)] = [], provider: ProviderKind? = nil, prompt: String = "p"
    )
        throws(ImageGenError) -> String?
    {
        let request = GenerationRequest(
            prompt: prompt,
            parameters: GenerationParameters(
                n: n, size: size, quality: quality, extra: params.map { Param(key: $0.0, value: $0.1) }))
        let knowledge = try ModelCatalogue.knowledge(for: Router.route(model: model, provider: provider))
        return PriceTable.estimate(request, knowledge: knowledge).map(PriceTable.dollarText)
    }

    func knowledge(_ provider: ProviderKind, _ model: String) throws(ImageGenError) -> ModelKnowledge {
        try ModelCatalogue.knowledge(for: Route(provider: provider, model: model))
    }

    @Test func dallE2BySize() throws {
        #expect(try estimate("dall-e-2", size: "256x256") == "0.016")
        #expect(try estimate("dall-e-2", size: "512x512") == "0.018")
        #expect(try estimate("dall-e-2", size: "1024x1024") == "0.02")
        #expect(try estimate("dall-e-2") == "0.02")  // the API's default size
        #expect(try estimate("dall-e-2", n: 10, size: "256x256") == "0.16")
    }

    @Test func dallE3ByQualityAndSize() throws {
        #expect(try estimate("dall-e-3") == "0.04")
        #expect(try estimate("dall-e-3", size: "1024x1024", quality: "standard") == "0.04")
        #expect(try estimate("dall-e-3", size: "1792x1024") == "0.08")
        #expect(try estimate("dall-e-3", size: "1024x1792", quality: "standard") == "0.08")
        #expect(try estimate("dall-e-3", size: "1024x1024", quality: "hd") == "0.08")
        #expect(try estimate("dall-e-3", size: "1792x1024", quality: "hd") == "0.12")
        #expect(try estimate("dall-e-3", n: 3, quality: "hd") == "0.24")
    }

    @Test func gptImage1ByPublishedTokenCountsPlusAPromptBound() throws {
        // output tokens × 40 USD/M, plus one token per prompt byte × 5 USD/M ("p": 0.000005).
        #expect(try estimate("gpt-image-1", size: "1024x1024", quality: "low") == "0.010885")
        #expect(try estimate("gpt-image-1", size: "1024x1536", quality: "medium") == "0.063365")
        #expect(try estimate("gpt-image-1", size: "1536x1024", quality: "high") == "0.248325")
        #expect(try estimate("gpt-image-1", size: "1024x1024", quality: "high") == "0.166405")
        // auto or unset: the dearest choice.
        #expect(try estimate("gpt-image-1") == "0.249605")
        #expect(try estimate("gpt-image-1", size: "auto", quality: "auto") == "0.249605")
        // n images share one prompt.
        #expect(try estimate("gpt-image-1", n: 2, size: "1024x1024", quality: "low") == "0.021765")
        // OpenAI's per-image table; with no quality given, the dearest (high).
        #expect(try estimate("gpt-image-1-mini") == "0.052")
        #expect(try estimate("gpt-image-1-mini", size: "1024x1024", quality: "low") == "0.005")
    }

    @Test func gptImage1CostComesFromTheReportedUsage() throws {
        let request = GenerationRequest(prompt: "p", parameters: GenerationParameters(quality: "high"))
        let result = GenerationResult(
            created: 0, model: "gpt-image-1", provider: .openai,
            images: [GeneratedImage(b64JSON: "x")],
            usage: .object([
                ("input_tokens", .int(50)), ("output_tokens", .int(4160)),
                ("total_tokens", .int(4210)),
            ]))
        let knowledge = try knowledge(.openai, "gpt-image-1")
        #expect(
            PriceTable.cost(of: result, request: request, knowledge: knowledge).map(PriceTable.dollarText) == "0.16665")
        var noUsage = result
        noUsage.usage = nil
        #expect(
            PriceTable.cost(of: noUsage, request: request, knowledge: knowledge).map(PriceTable.dollarText)
                == "0.249605")
    }

    @Test func bedrockModels() throws {
        #expect(try estimate("amazon.titan-image-generator-v1") == "0.01")
        #expect(try estimate("amazon.titan-image-generator-v2:0", size: "512x512") == "0.008")
        #expect(try estimate("amazon.titan-image-generator-v1", size: "1024x1024", quality: "premium") == "0.012")
        #expect(try estimate("amazon.nova-canvas-v1:0") == "0.04")
        #expect(try estimate("amazon.nova-canvas-v1:0", size: "1024x1024", quality: "premium") == "0.06")
        #expect(try estimate("amazon.nova-canvas-v1:0", size: "2048x2048") == "0.06")
        #expect(try estimate("bedrock/us.amazon.nova-canvas-v1:0", size: "2048x2048", quality: "premium") == "0.08")
        #expect(try estimate("stability.sd3-large-v1:0") == "0.08")
        #expect(try estimate("stability.stable-image-core-v1:1", n: 2) == "0.08")
        #expect(try estimate("stability.stable-image-ultra-v1:1") == "0.14")
        #expect(try estimate("stability.stable-diffusion-xl-v1") == "0.04")
        #expect(try estimate("stability.stable-diffusion-xl-v1", size: "512x512") == "0.018")
        #expect(try estimate("stability.stable-diffusion-xl-v1", params: [("steps", .int(70))]) == "0.08")
        #expect(
            try estimate("stability.stable-diffusion-xl-v1", size: "512x512", params: [("steps", .int(51))])
                == "0.036")
        #expect(try estimate("bedrock/stability.stable-diffusion-xl-v1", params: [("steps", .int(50))]) == "0.04")
        // A model no Bedrock family serves has no price either: it is refused
        // as unknown before a price is ever looked up.
        #expect(
            throws: ImageGenError.usage(
                "'meta.some-other-model' is not a Bedrock image model imagegen knows; "
                    + "use stability.stable-diffusion-xl-*, stability.sd3-*, stability.stable-image-*, "
                    + "amazon.titan-image-generator-* or amazon.nova-canvas-*")
        ) {
            try estimate("bedrock/meta.some-other-model")
        }
    }

    @Test func unknownModelsHaveNoPrice() throws {
        #expect(try estimate("openai/flux-schnell") == nil)
        #expect(try estimate("my-model") == nil)
        #expect(try estimate("azure/my-deployment") == nil)
    }

    @Test func azureDeploymentsNamedAfterTheModelArePricedAsTheModel() throws {
        #expect(try estimate("azure/dall-e-3", quality: "hd") == "0.08")
        #expect(try estimate("dall-e-3", provider: .azure) == "0.04")
    }

    @Test func resultCostCountsTheImagesThatCameBack() throws {
        let request = GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 3))
        let result = GenerationResult(
            created: 0, model: "dall-e-3", provider: .openai,
            images: [GeneratedImage(b64JSON: "x"), GeneratedImage(b64JSON: "y")])
        #expect(
            PriceTable.cost(of: result, request: request, knowledge: try knowledge(.openai, "dall-e-3"))
                == 80_000)
        #expect(PriceTable.cost(of: result, request: request, knowledge: try knowledge(.openai, "x")) == nil)
    }

    @Test func dollarsAreExactDecimals() {
        #expect(PriceTable.dollarText(0) == "0")
        #expect(PriceTable.dollarText(120_000) == "0.12")
        #expect(PriceTable.dollarText(1_500_000) == "1.5")
        #expect(PriceTable.dollarText(16_325) == "0.016325")
        #expect(PriceTable.amount(4_800_000) == "$4.80")
        #expect(PriceTable.amount(5_000_000) == "$5.00")
        #expect(PriceTable.amount(0) == "$0.00")
        #expect(PriceTable.amount(120_000) == "$0.12")
        #expect(PriceTable.amount(16_325) == "$0.016325")
        #expect(PriceTable.micros(dollars: 0.12) == 120_000)
        #expect(PriceTable.micros(dollars: 1e30) == Int.max)
        #expect(PriceTable.dollars(40_000) == .number("0.04"))
    }

    /// The figures `--max-cost` compares (the refusal itself, CostGuard, is in
    /// the CLI layer): the estimate and the limit, both whole micro-USD.
    @Test func maxCostFiguresAreExactAtTheLimit() throws {
        let request = GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 3))  // 3 × 0.04: exactly 0.12
        let estimate = try #require(PriceTable.estimate(request, knowledge: try knowledge(.openai, "dall-e-3")))
        #expect(estimate == PriceTable.micros(dollars: 0.12))  // no floating-point surprise at the limit
        #expect(estimate > PriceTable.micros(dollars: 0.119))
        #expect(PriceTable.dollarText(estimate) == "0.12")
        #expect(PriceTable.estimate(request, knowledge: try knowledge(.openai, "flux")) == nil)
    }
}
