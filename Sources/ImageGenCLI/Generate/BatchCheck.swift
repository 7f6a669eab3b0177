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
/// run needs later is kept small — two bytes a line, the cost guard's
/// totals, the warnings to give once — and each line is read again from the
/// spool and prepared (or, if it failed, checked) again when its turn comes.
struct BatchCheck {
    /// Each line's part in the run, by its number in the file: 0 not run
    /// (blank, another shard's, logged, or its files exist), `failedLine`
    /// failed, otherwise checked and making that many requests.
    private(set) var verdicts: [UInt16] = []
    static let failedLine = UInt16.max
    /// The batch, to be read again, and what checks its lines; nil for a
    /// single generation.
    private var spool: BatchSpool?
    private var preparer: BatchLinePreparer?
    private var single: PreparedGeneration?
    var totals = CostGuard.Totals()
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

    init(
        _ spool: BatchSpool, selection: inout BatchSelection, preparer: BatchLinePreparer, redactor: inout Redactor
    ) throws(ImageGenError) {
        self.spool = spool
        self.preparer = preparer
        var reader = spool.lines()
        while let line = try BatchFile.next(&reader) {
            guard selection.takes(line) else { continue }
            let verdict: UInt16
            do throws(ImageGenError) {
                guard let prepared = try Self.check(line, preparer: preparer, redactor: &redactor) else {
                    alreadyWritten += 1
                    continue
                }
                add(prepared)
                verdict = UInt16(min(max(1, prepared.wireRequests.count), Int(Self.failedLine) - 1))
            } catch {
                verdict = Self.failedLine
            }
            verdicts += repeatElement(0, count: line.index - verdicts.count)
            verdicts.append(verdict)
        }
    }

    /// A single generation, kept prepared.
    init(single prepared: PreparedGeneration) {
        add(prepared)
        single = prepared
    }

    init() {}

    /// A line prepared and checked as a run would send it; nil when
    /// `--skip-existing` finds its files written.
    private static func check(
        _ line: BatchFile.Line, preparer: BatchLinePreparer, redactor: inout Redactor
    ) throws(ImageGenError) -> PreparedGeneration? {
        let prepared = try preparer.prepare(line, redactor: &redactor)
        if prepared.output.skipExisting && prepared.plan.isAlreadyWritten { return nil }
        if !preparer.options.output.dryRun { try prepared.plan.preflight(force: prepared.output.force) }
        return prepared
    }

    /// The lines to run, in order: each batch line read again with what its
    /// check found, `onLine` told of each as it is let in. A line that failed
    /// is checked again for its error, which was not kept: a batch of bad
    /// lines costs no memory either.
    func runLines(redactor: Redactor, onLine: (@Sendable (BatchFile.Line) -> Void)? = nil) -> RunLines {
        let preparer = preparer
        return RunLines(
            single: single, reader: spool?.lines(), verdicts: verdicts,
            failure: { line in
                var redactor = redactor
                do throws(ImageGenError) {
                    if let preparer { _ = try Self.check(line, preparer: preparer, redactor: &redactor) }
                    return LineFailure(
                        index: line.index,
                        error: .usage(
                            "the line failed its check before the run, but not when checked again (did a file "
                                + "change?); nothing was sent for it"))
                } catch {
                    return LineFailure(index: line.index, error: error)
                }
            }, onLine: onLine)
    }

    private mutating func add(_ prepared: PreparedGeneration) {
        totals.add(prepared.request, prepared.knowledge)
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

    var imageCount: Int { totals.images }
}
