import ImageGenCore

/// Maps a route to the client that serves it. Adding a provider means adding
/// a client type and one line here.
package enum ProviderClients {
    package static func make(
        for knowledge: ModelKnowledge, connection: ConnectionOptions,
        environment: Environment
    ) throws(ImageGenError) -> any ImageProvider {
        let model = knowledge.route.model
        switch knowledge.route.provider {
        case .openai:
            let configuration = try OpenAIConfiguration.resolve(connection, environment: environment)
            return OpenAIClient(model: model, configuration: configuration, knowledge: knowledge)
        case .azure:
            let configuration = try AzureConfiguration.resolve(connection, environment: environment)
            return AzureClient(deployment: model, configuration: configuration, knowledge: knowledge)
        case .bedrock:
            let configuration = try BedrockConfiguration.resolve(connection, model: model, environment: environment)
            return try BedrockClient(model: model, configuration: configuration, knowledge: knowledge)
        case .blackForestLabs:
            let configuration = try BlackForestLabsConfiguration.resolve(connection, environment: environment)
            return BlackForestLabsClient(model: model, configuration: configuration)
        case .openrouter:
            return OpenRouterClient(
                model: model, endpoint: try OpenRouterClient.resolve(connection, environment: environment))
        case .recraft, .xinference, .nscale:
            let preset = CompatiblePreset.named(knowledge.route.provider)!
            let configuration = try preset.configuration(connection, environment: environment)
            return OpenAIClient(model: model, configuration: configuration, knowledge: knowledge, preset: preset)
        case .gemini:
            let configuration = try GeminiConfiguration.resolve(connection, environment: environment)
            return GeminiClient(model: model, configuration: configuration, knowledge: knowledge)
        case .vertexAI:
            let configuration = try VertexConfiguration.resolve(connection, environment: environment)
            return VertexClient(model: model, configuration: configuration, knowledge: knowledge)
        }
    }
}
