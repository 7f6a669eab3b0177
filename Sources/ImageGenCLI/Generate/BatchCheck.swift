import ImageGenCore
import ImageGenHTTP
import ImageGenProviders

/// Prepares batch lines: the line's options over the command line's, its
/// prompt, then everything `PreparedGeneration` checks.
struct BatchLinePreparer: Sendable {
    let options: Options
    let environment: Environment
    let editing: Bool

    func prepare(_ line: BatchFile.Line, redactor: inout Redactor) throws(ImageGenError) -> PreparedGeneration {
        let (words, lineOptions) = try CommandLineParser.parseBatchLine(line.words.get())
        let merged = options.overridden(by: lineOptions)
        let prompt: String
        if let words = GenerateCommand.promptlessWords(words, options: merged, editing: editing) {
            prompt = words
        } else {
            guard !words.isEmpty else { throw ImageGenError.usage("the line has no \"prompt\"") }
            prompt = try PromptInput.resolve(words: words, standardInputIsTerminal: true, readStandardInput: { nil })
        }
        return try PreparedGeneration.prepare(
            merged, prompt: prompt, index: line.index, environment: environment, redactor: &redactor,
            editing: editing)
    }

    /// For the run, on whichever thread lets the line in: the secrets were
    /// learnt when the line was checked.
    func prepareAgain(_ line: BatchFile.Line, redactor: Redactor) -> Result<PreparedGeneration, LineFailure> {
        var redactor = redactor
        do throws(ImageGenError) {
            return .success(try prepare(line, redactor: &redactor))
        } catch {
            return .failure(LineFailure(index: line.index, error: error))
        }
    }
}

/// Every selected line of a batch checked before anything is sent, so a bad
/// line is reported with its number without stopping the others. What the
/// run needs later is kept small — the lines' text, the cost guard's
/// figures, the warnings to give once — and each line is prepared again
/// when its turn comes.
struct BatchCheck {
    var lines: [RunLine] = []
    var jobs: [CostGuard.Job] = []
    /// Lines left out by `--skip-existing`.
    var alreadyWritten = 0
    var warnings: [String] = []
    /// `-v`'s "openai credentials from OPENAI_API_KEY_FILE /run/secrets/k", once
    /// each; Bedrock's credential chain says its own as the run fetches them.
    var credentialSources: [String] = []
    /// One Bedrock configuration per credential source: each is fetched once.
    var bedrock: [BedrockConfiguration] = []
    /// Whether any line streams (`--stream`): the run then follows partial images.
    var streamed = false
    /// One Vertex AI configuration per credential source: each token is fetched once.
    var vertex: [VertexConfiguration] = []

    init(_ selected: [BatchFile.Line], preparer: BatchLinePreparer, redactor: inout Redactor) {
        lines.reserveCapacity(selected.count)
        for line in selected {
            do throws(ImageGenError) {
                let prepared = try preparer.prepare(line, redactor: &redactor)
                if prepared.output.skipExisting && prepared.plan.isAlreadyWritten {
                    alreadyWritten += 1
                    continue
                }
                if !preparer.options.output.dryRun { try prepared.plan.preflight(force: prepared.output.force) }
                add(prepared)
                lines.append(.checked(line, requests: prepared.wireRequests.count))
            } catch {
                lines.append(.failed(LineFailure(index: line.index, error: error)))
            }
        }
    }

    /// A single generation, kept prepared.
    init(single prepared: PreparedGeneration) {
        add(prepared)
        lines = [.prepared(prepared)]
    }

    init() {}

    private mutating func add(_ prepared: PreparedGeneration) {
        jobs.append(CostGuard.Job(prepared.request, prepared.knowledge))
        if prepared.request.isStreamed { streamed = true }
        if let warning = prepared.lifecycleWarning, !warnings.contains(warning) { warnings.append(warning) }
        let provider = prepared.provider
        let source = "\(provider.kind.rawValue) credentials from \(provider.credentialSource)"
        if provider.kind != .bedrock, !credentialSources.contains(source) { credentialSources.append(source) }
        if let configuration = (prepared.provider as? BedrockClient)?.configuration,
            !bedrock.contains(where: { Self.sameCredentials($0, configuration) })
        {
            bedrock.append(configuration)
        }
        if let configuration = (prepared.provider as? VertexClient)?.configuration,
            !vertex.contains(where: {
                $0.tokens === configuration.tokens || $0.tokens.sameOrigin(as: configuration.tokens)
            })
        {
            vertex.append(configuration)
        }
    }

    private static func sameCredentials(_ a: BedrockConfiguration, _ b: BedrockConfiguration) -> Bool {
        switch (a.auth, b.auth) {
        case (.temporary(let x), .temporary(let y)): x === y || x.sameOrigin(as: y)
        case (.temporary, _), (_, .temporary): false
        default: a.authSource == b.authSource
        }
    }

    var failures: [LineFailure] {
        lines.compactMap { if case .failed(let failure) = $0 { failure } else { nil } }
    }

    var imageCount: Int { jobs.map(\.images).reduce(0, +) }
}
