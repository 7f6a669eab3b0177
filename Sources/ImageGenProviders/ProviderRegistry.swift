import ImageGenCore
import ImageGenHTTP
/// Maps a route to the client that serves it. Adding a provider means adding
/// a client type and one line in each switch here.
package enum ProviderRegistry {
    /// Checks that need no credentials (model limits), so a bad value is
    /// reported as a usage error even when the configuration is also missing.
    package static func checkLocally(_ request: GenerationRequest, route: Route) throws(ImageGenError) {
        switch route.provider {
        case .openai:
            try OpenAIModelLimits.forModel(route.model)?.check(request)
        case .azure:
            try AzureClient.checkLocally(request, deployment: route.model)
        case .bedrock:
            try BedrockClient.checkLocally(request, model: route.model)
        }
    }

    package static func makeClient(for route: Route, connection: ConnectionOptions,
                                  environment: Environment) throws(ImageGenError) -> any ImageProvider {
        switch route.provider {
        case .openai:
            let configuration = try OpenAIConfiguration.resolve(connection, environment: environment)
            return OpenAIClient(model: route.model, configuration: configuration)
        case .azure:
            let configuration = try AzureConfiguration.resolve(connection, environment: environment)
            return AzureClient(deployment: route.model, configuration: configuration)
        case .bedrock:
            let configuration = try BedrockConfiguration.resolve(connection, model: route.model,
                                                                 environment: environment)
            return try BedrockClient(model: route.model, configuration: configuration)
        }
    }
}
