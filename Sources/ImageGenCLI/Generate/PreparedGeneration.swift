import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders

/// One generation ready to send: the model resolved once to a route and
/// its knowledge, and everything checked that can be checked without the
/// network (SPEC: no request is sent for a usage, configuration or naming error).
struct PreparedGeneration: Sendable {
    /// 0-based line number for `--batch`, 0 otherwise.
    let index: Int
    let request: GenerationRequest
    let knowledge: ModelKnowledge
    let provider: any ImageProvider
    let plan: OutputPlan
    let output: OutputOptions
    let wireRequests: [HTTPRequest]
    /// What to say once before sending: the model is deprecated.
    let lifecycleWarning: String?

    /// Model limits (exit 2) come before credentials (exit 3), so a bad value
    /// is reported as such even on a machine with nothing configured.
    static func prepare(
        _ options: Options, prompt: String, index: Int, environment: Environment,
        redactor: inout Redactor, editing: Bool = false
    ) throws(ImageGenError) -> PreparedGeneration {
        let model = options.model ?? environment["IMAGEGEN_MODEL"] ?? ModelCatalogue.defaultModel
        let route = Router.route(model: model, provider: options.provider)
        if editing && route.provider == .bedrock { throw BedrockClient.editingUnsupported }
        if !editing && options.hasEditInputs {
            throw .usage("\"image\" and \"mask\" need imagegen edit: imagegen edit --batch FILE")
        }
        let knowledge = try ModelCatalogue.knowledge(for: route, baseModel: options.baseModel)
        var request = GenerationRequest(prompt: prompt, parameters: options.parameters)
        try knowledge.check(request)
        if editing {
            let rule: EditRule
            if let accepts = knowledge.accepts {
                guard let edits = accepts.edits else {
                    throw .usage(
                        "\(route.model) does not edit images; use one that does, such as "
                            + "\(ModelCatalogue.defaultModel) (imagegen models lists them)")
                }
                rule = edits
            } else {
                rule = .unchecked
            }
            request.edit = try EditInputCheck.load(
                images: options.images, mask: options.mask, rule: rule, model: route.model)
        }
        let plan = try OutputPlan(output: options.output, request: request)
        let provider = try ProviderClients.make(
            for: knowledge, connection: options.connection,
            environment: environment)
        // What the provider itself last said about the model (`imagegen
        // models --live`) beats the built-in table, with no request sent.
        let known = ModelCache.knownLifecycle(
            for: knowledge, official: provider.isOfficialEndpoint,
            region: (provider as? BedrockClient)?.configuration.region, environment: environment)
        let warning = try knowledge.checkLifecycle(
            official: provider.isOfficialEndpoint, today: CalendarDate.today(environment), known: known)
        for secret in provider.secrets { redactor.add(secret) }
        return PreparedGeneration(
            index: index, request: request, knowledge: knowledge, provider: provider,
            plan: plan, output: options.output,
            wireRequests: try provider.makeRequests(for: request), lifecycleWarning: warning)
    }

    /// The text chunks for this line's PNGs; nil with `--no-metadata`.
    func metadata(for result: GenerationResult) -> ImageMetadata? {
        guard !output.noMetadata else { return nil }
        var metadata = ImageMetadata(
            prompt: request.prompt, model: result.model, provider: result.provider,
            parameters: ImageMetadata.parameters(request.parameters), created: result.created)
        metadata.sources = request.edit?.images
        return metadata
    }

    /// `cost_usd` in micro-USD for what came back; nil when the price is unknown.
    func costMicros(of result: GenerationResult) -> Int? {
        PriceTable.cost(of: result, request: request, knowledge: knowledge)
    }
}

/// A line that could not be prepared (bad batch line, bad option value…).
struct LineFailure: Error, Sendable {
    let index: Int
    let error: ImageGenError
}
