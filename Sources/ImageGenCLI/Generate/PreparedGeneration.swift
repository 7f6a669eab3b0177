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
        let model = environment.resolve(
            flag: options.model, flagName: "--model", variables: ["IMAGEGEN_MODEL"],
            default: ModelCatalogue.defaultModel)!.value
        let route = Router.route(model: model, provider: options.provider)
        if !editing && options.hasEditInputs {
            throw .usage("\"image\", \"mask\" and \"task\" need imagegen edit: imagegen edit --batch FILE")
        }
        let knowledge = try ModelCatalogue.knowledge(for: route, baseModel: options.baseModel)
        let today = CalendarDate.today(environment)
        var request = GenerationRequest(prompt: prompt, parameters: options.parameters)
        request.partialImages = try streaming(options, route: route)
        if !editing, knowledge.entry?.family == .stabilityServices {
            let task = knowledge.accepts?.edits?.tasks.first ?? EditTask.defaultName
            throw .usage(
                "\(route.model) edits images only: imagegen edit -m bedrock/\(route.model) --task \(task) --image FILE")
        }
        try knowledge.check(request)
        if editing {
            let task = options.task ?? EditTask.defaultName
            let rule = try editRule(knowledge, task: task, today: today)
            try rule.checkTask(
                task, request: request, images: options.images.count, hasMask: options.mask != nil,
                model: route.model, today: today)
            request.edit = try EditInputCheck.load(
                images: options.images, mask: options.mask, rule: rule, model: route.model)
            request.edit?.task = task
        }
        var output = options.output
        if let template = output.output {
            let fields = OutputFields(
                line: index + 1, prompt: prompt, model: route.model, imageCount: request.imageCount,
                seed: request.parameters.seed, date: today,
                promptHash: String(Crypto.sha256Hex(Array(prompt.utf8)).prefix(12)))
            output.output = try OutputTemplate.expand(template, fields)
        }
        let plan = try OutputPlan(output: output, request: request)
        let provider = try ProviderClients.make(
            for: knowledge, connection: options.connection,
            environment: environment)
        // What the provider itself last said about the model (`imagegen
        // models --live`) beats the built-in table, with no request sent.
        let known = ModelCache.knownLifecycle(
            for: knowledge, official: provider.isOfficialEndpoint,
            region: (provider as? BedrockClient)?.configuration.region, environment: environment)
        let warning = try knowledge.checkLifecycle(
            official: provider.isOfficialEndpoint, today: today, known: known)
        for secret in provider.secrets { redactor.add(secret) }
        return PreparedGeneration(
            index: index, request: request, knowledge: knowledge, provider: provider,
            plan: plan, output: output,
            wireRequests: try provider.makeRequests(for: request), lifecycleWarning: warning)
    }

    /// `--stream`'s partial images (2 unless `--partial-images` says), nil
    /// when not streamed. Bedrock answers whole; a model that does not
    /// stream is refused by the catalogue's check.
    private static func streaming(_ options: Options, route: Route) throws(ImageGenError) -> Int? {
        guard options.stream else {
            if options.partialImages != nil { throw .usage("--partial-images N goes with --stream; add --stream") }
            return nil
        }
        if route.provider == .bedrock {
            throw .usage("Bedrock models do not stream; drop --stream (the GPT image models on OpenAI and Azure do)")
        }
        return options.partialImages ?? 2
    }

    /// What the model edits, or why it edits nothing: a model without an
    /// edit rule is refused naming the task, the models that perform it
    /// and, for a retired one, its replacement.
    private static func editRule(
        _ knowledge: ModelKnowledge, task: String, today: CalendarDate
    ) throws(ImageGenError) -> EditRule {
        guard let accepts = knowledge.accepts else { return .unchecked }
        if let edits = accepts.edits { return edits }
        let model = knowledge.route.model
        var text = "\(model) does not perform --task \(task)"
        if case .retired(let date, let replacement)? = knowledge.lifecycle(on: today) {
            text += " (it was retired on \(date)" + (replacement.map { "; its replacement is \($0)" } ?? "") + ")"
        }
        throw .usage(text + "; " + ModelCatalogue.performers(of: task, today: today))
    }

    /// The text chunks for this line's PNGs; nil with `--no-metadata`.
    func metadata(for result: GenerationResult) -> ImageMetadata? {
        guard !output.noMetadata else { return nil }
        var metadata = ImageMetadata(
            prompt: request.prompt, model: result.model, provider: result.provider,
            parameters: ImageMetadata.parameters(request.parameters), created: result.created)
        metadata.sources = request.edit?.images
        if let task = request.edit?.task { metadata.operation = task }
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
