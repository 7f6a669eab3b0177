/// What the user asked for, independent of any provider: the prompt and the
/// options to send. The model is resolved to a route before a request is built.
package struct GenerationRequest: Equatable, Sendable {
    package var prompt: String
    package var parameters: GenerationParameters

    package init(prompt: String, parameters: GenerationParameters = GenerationParameters()) {
        self.prompt = prompt
        self.parameters = parameters
    }

    /// Number of images asked for (1 when `-n` was not given).
    package var imageCount: Int { parameters.imageCount }
}
