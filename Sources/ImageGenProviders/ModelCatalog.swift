import ImageGenCore

/// What imagegen knows about the model behind a route: its limits, its
/// Bedrock family, its price. Looked up once, when a generation is
/// prepared, and handed to the checks, the client and the price table.
package struct ModelKnowledge: Sendable {
    package let route: Route
    /// Values the model accepts; nil when nothing is known (a compatible
    /// server's model, an Azure deployment with a name of its own).
    let limits: ModelLimits?
    /// The request and answer format of a Bedrock model.
    let bedrockFamily: BedrockModelFamily?
    /// Nil when the price is unknown.
    let price: PriceTable.PricedModel?

    /// Models that make one image per request get `-n K` as K requests.
    package var oneImagePerRequest: Bool {
        limits?.oneImagePerRequest ?? bedrockFamily?.oneImagePerRequest ?? false
    }

    /// The checks that need no credentials, so a bad value is a usage error
    /// (exit 2) even on a machine with nothing configured.
    package func check(_ request: GenerationRequest) throws(ImageGenError) {
        try limits?.check(request.parameters)
        try bedrockFamily?.check(request.parameters, model: route.model)
    }
}

package enum ModelCatalog {
    package static func knowledge(for route: Route) throws(ImageGenError) -> ModelKnowledge {
        var limits: ModelLimits?
        var family: BedrockModelFamily?
        switch route.provider {
        case .openai:
            limits = openAILimits(route.model)
        case .azure:
            guard !route.model.isEmpty else {
                throw .usage(
                    "no Azure deployment named; use --model azure/DEPLOYMENT (the deployment's name "
                        + "in your Azure OpenAI resource)")
            }
            // A deployment named after a known model (Azure's portal suggests
            // exactly that) gets that model's checks and dall-e-3's one-image
            // fan-out; any other name gets none, since nothing says which model it serves.
            limits = openAILimits(route.model)
        case .bedrock:
            guard let known = BedrockModelFamily.of(route.model) else {
                throw BedrockModelFamily.unknownModel(route.model)
            }
            family = known
        }
        return ModelKnowledge(
            route: route, limits: limits, bedrockFamily: family,
            price: PriceTable.pricedModel(route))
    }

    static func openAILimits(_ model: String) -> ModelLimits? {
        ModelLimits.openAI.first { $0.model == model }
    }

    /// The provider a bare model name belongs to, or nil for names only a
    /// compatible server knows.
    static func knownProvider(for model: String) -> ProviderKind? {
        if model == "dall-e-2" || model == "dall-e-3" || model.hasPrefix("gpt-image-") { return .openai }
        if model.hasPrefix("stability.") || model.hasPrefix("amazon.titan-image")
            || model.hasPrefix("amazon.nova-canvas")
        {
            return .bedrock
        }
        return nil
    }

    /// Model names `--model` completion offers, with the prefix that routes them.
    package static let completionNames = [
        "dall-e-2", "dall-e-3", "gpt-image-1", "gpt-image-1-mini",
        "bedrock/amazon.titan-image-generator-v1", "bedrock/amazon.titan-image-generator-v2:0",
        "bedrock/amazon.nova-canvas-v1:0", "bedrock/stability.stable-diffusion-xl-v1",
        "bedrock/stability.sd3-large-v1:0", "bedrock/stability.sd3-5-large-v1:0",
        "bedrock/stability.stable-image-core-v1:1", "bedrock/stability.stable-image-ultra-v1:1",
    ]
}
