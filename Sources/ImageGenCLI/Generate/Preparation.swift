import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
/// One generation ready to send: everything checked that can be checked
/// without the network (SPEC: no request is sent for a usage, configuration
/// or naming error).
package struct PreparedGeneration: Sendable {
    /// 0-based line number for `--batch`, 0 otherwise.
    let index: Int
    let request: GenerationRequest
    let provider: any ImageProvider
    let plan: OutputPlan
    let output: OutputOptions
    let wireRequests: [HTTPRequest]

    /// Model limits (exit 2) come before credentials (exit 3), so a bad value
    /// is reported as such even on a machine with nothing configured.
    static func prepare(_ options: Options, prompt: String, index: Int, environment: Environment,
                        redactor: inout Redactor) throws(ImageGenError) -> PreparedGeneration {
        let model = options.model ?? environment["IMAGEGEN_MODEL"] ?? Router.defaultModel
        let route = Router.route(model: model, provider: options.provider)
        let request = GenerationRequest(
            prompt: prompt, model: model, n: options.n, size: options.size, quality: options.quality,
            style: options.style, responseFormat: options.responseFormat, user: options.user,
            extraParams: options.params.map { ($0.key, $0.value) })
        try ProviderRegistry.checkLocally(request, route: route)
        let plan = try OutputPlan(output: options.output, request: request)
        let provider = try ProviderRegistry.makeClient(for: route, connection: options.connection,
                                                       environment: environment)
        for secret in provider.secrets { redactor.add(secret) }
        return PreparedGeneration(index: index, request: request, provider: provider, plan: plan,
                                  output: options.output, wireRequests: try provider.makeRequests(for: request))
    }
}
