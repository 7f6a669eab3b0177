import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

@Suite struct RouterTests {
    @Test(
        arguments: [
            ("dall-e-2", nil, ProviderKind.openai, "dall-e-2"),
            ("dall-e-3", nil, .openai, "dall-e-3"),
            ("gpt-image-1", nil, .openai, "gpt-image-1"),
            ("openai/my-model", nil, .openai, "my-model"),
            ("openai/org/model", nil, .openai, "org/model"),
            ("azure/my-dalle3", nil, .azure, "my-dalle3"),
            ("bedrock/stability.stable-diffusion-xl-v1:0", nil, .bedrock, "stability.stable-diffusion-xl-v1:0"),
            ("stability.sd3-large-v1:0", nil, .bedrock, "stability.sd3-large-v1:0"),
            ("amazon.titan-image-generator-v2:0", nil, .bedrock, "amazon.titan-image-generator-v2:0"),
            ("amazon.nova-canvas-v1:0", nil, .bedrock, "amazon.nova-canvas-v1:0"),
            ("flux-schnell", nil, .openai, "flux-schnell"),
            ("stabilityai/sdxl", nil, .openai, "stabilityai/sdxl"),
            ("dall-e-3", .azure, .azure, "dall-e-3"),
            ("azure/x", .azure, .azure, "x"),
            ("org/model", .openai, .openai, "org/model"),
        ] as [(String, ProviderKind?, ProviderKind, String)])
    func routes(model: String, forced: ProviderKind?, provider: ProviderKind, sent: String) {
        #expect(Router.route(model: model, provider: forced) == Route(provider: provider, model: sent))
    }
}

@Suite struct EnvironmentTests {
    @Test func flagBeatsEnvironmentBeatsDefault() {
        let env = Environment(["A": "from-a", "B": "from-b", "EMPTY": ""])
        #expect(env.resolve(flag: "f", flagName: "--x", variables: ["A"])?.value == "f")
        #expect(env.resolve(flag: nil, flagName: "--x", variables: ["EMPTY", "B", "A"])?.source == "B")
        #expect(env.resolve(flag: nil, flagName: "--x", variables: ["NONE"], default: "d")?.value == "d")
        #expect(env.resolve(flag: nil, flagName: "--x", variables: ["NONE"]) == nil)
    }
}
