import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders

/// The options of a generation, as typed, before the environment is
/// consulted. The parser fills one for the command line and one for each
/// batch line; `overridden(by:)` lays a line over the command line.
package struct Options: Equatable, Sendable {
    package var model: String?
    package var provider: ProviderKind?
    /// `--base-model`: the model an Azure deployment serves.
    package var baseModel: String?
    package var parameters = GenerationParameters()
    package var connection = ConnectionOptions()
    package var output = OutputOptions()
    package var concurrency: Int?
    package var rate: RateLimit?
    package var shard: BatchShard?
    /// `--joblog FILE`, and whether `--resume` / `--resume-failed` read it first.
    package var joblog: String?
    package var resume: ResumeMode?
    package var maxCost: Double?
    package var preview = false
    /// `--stream`, `--partial-images N` and `--partial-dir DIR`: the answer
    /// as server-sent events, with N partial images, saved in DIR.
    package var stream = false
    package var partialImages: Int?
    package var partialDir: String?
    /// `--live`: `imagegen models` asks the provider instead of reading the catalogue.
    package var live = false
    /// `--image FILE` (repeatable) and `--mask FILE`: what `imagegen edit` changes.
    package var images: [String] = []
    package var mask: String?
    /// `--task T`: what `imagegen edit` asks of the model (`EditTask`).
    package var task: String?
    /// Whether each generation is appended to the history (`HistoryLog`):
    /// `--no-history` turns it off, as a configuration's `history = false` may.
    package var history = true
    /// `imagegen history --since DATE`, as Unix seconds.
    package var since: Int?
    /// `imagegen history --cost`: totals per day and model instead of the records.
    package var costSummary = false
    /// `--config FILE` and `--profile NAME`: where settings come from.
    package var configFile: String?
    package var profile: String?

    /// Whether any option only `imagegen edit` takes was given.
    package var hasEditInputs: Bool { !images.isEmpty || mask != nil || task != nil }

    package init() {}

    /// These options with a batch line's own on top: what the line sets
    /// wins, its `--param`s come after the command line's. A line sets only
    /// generation options and per-image output options.
    package func overridden(by line: Options) -> Options {
        var merged = self
        merged.model = line.model ?? model
        merged.provider = line.provider ?? provider
        merged.baseModel = line.baseModel ?? baseModel
        merged.parameters = parameters.overridden(by: line.parameters)
        // A line's images are the ones it edits, not more on top of the command line's.
        merged.images = line.images.isEmpty ? images : line.images
        merged.mask = line.mask ?? mask
        merged.task = line.task ?? task
        merged.stream = stream || line.stream
        merged.partialImages = line.partialImages ?? partialImages
        merged.output.output = line.output.output ?? output.output
        merged.output.force = output.force || line.output.force
        merged.output.noDownload = output.noDownload || line.output.noDownload
        merged.output.noMetadata = output.noMetadata || line.output.noMetadata
        return merged
    }
}

/// What the parser read, before it is resolved into a `Command`.
package struct ParsedArguments: Equatable, Sendable {
    package var options = Options()
    /// Words that are not options: PROMPT words, or a command's operands.
    package var words: [String] = []
    /// The command word the line started with (`imagegen inspect …`).
    package var commandWord: CommandWord?
    /// Options that choose a command wherever they stand (`--help`,
    /// `--inspect`, `--batch FILE`, `--completions SHELL`), in order.
    package var switches: [CommandSwitch] = []

    package init() {}
}

/// An option that chooses the command rather than tuning a generation.
package enum CommandSwitch: Equatable, Sendable {
    case help
    case version
    case inspect
    case batch(file: String)
    case completions(Completions.Shell)
    /// Only as the command word `models`.
    case models
    /// Only as the command word `edit`.
    case edit
    /// Only as the command word `history`.
    case history
    /// Only as the command words `config` and `keys`.
    case config
    case keys

    /// Which comes first when two are named in one message.
    var rank: Int {
        switch self {
        case .help: return 0
        case .version: return 1
        case .completions: return 2
        case .inspect: return 3
        case .batch: return 4
        case .models: return 5
        case .edit: return 6
        case .config: return 7
        case .keys: return 8
        case .history: return 9
        }
    }

    /// How the user spelled it, for messages.
    var spelling: String {
        switch self {
        case .help: return "--help"
        case .version: return "--version"
        case .inspect: return "--inspect"
        case .batch: return "--batch"
        case .completions: return "--completions"
        case .models: return "models"
        case .edit: return "edit"
        case .history: return "history"
        case .config: return "config"
        case .keys: return "keys"
        }
    }
}
