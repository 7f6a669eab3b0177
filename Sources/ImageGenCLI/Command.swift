import ImageGenCore
import ImageGenOutput

/// What one invocation does, chosen by the parser. Each case carries exactly
/// what that command needs, so no command sees another's options.
package enum Command: Equatable, Sendable {
    /// `imagegen [OPTIONS] [--] PROMPT...`: the default.
    case generate(promptWords: [String], Options)
    /// `imagegen [OPTIONS] --batch FILE`.
    case batch(file: String, Options)
    /// `imagegen edit --image IMG [--image IMG...] [--mask MASK] [OPTIONS] PROMPT...`.
    case edit(promptWords: [String], Options)
    /// `imagegen edit [OPTIONS] --batch FILE`: each line names its images (or the command line does).
    case editBatch(file: String, Options)
    /// `imagegen inspect FILE...` (or `--inspect FILE...`).
    case inspect(files: [String], json: Bool, fields: FieldSelection? = nil)
    /// `imagegen completions SHELL` (or `--completions SHELL`).
    case completions(Completions.Shell)
    /// `imagegen models [--live] [--json] [--provider P]`: connection options
    /// for `--live`, output options for the listing.
    case models(Options)
    /// `imagegen history [-n N] [--json] [--since DATE] [--model M] [--cost]`.
    case history(HistoryQuery)
    /// `imagegen config get|set|unset|list`: only `--config` and `--profile` are read from the options.
    case config(ConfigAction, Options)
    /// `imagegen keys set|unset|list`: only `--profile` is read from the options.
    case keys(KeysAction, Options)
    case help
    case version
}

/// Words that select a command when they are the first argument. Anything
/// else starts a prompt, and `--` forces one: `imagegen -- help me draw`.
package enum CommandWord: String, CaseIterable, Sendable {
    case edit, help, version, inspect, completions, models, config, keys, history

    /// The commands `--help`, the man page and the completions list, with a line each.
    package static let documented: [(word: CommandWord, usage: String, summary: String)] = [
        (.edit, "edit --image IMG PROMPT", "Edit images; --task T for other tasks."),
        (.models, "models [--live] [--json]", "List the models, their status and prices."),
        (.inspect, "inspect [--json] FILE...", "Print format, size and embedded metadata of images."),
        (.history, "history [-n N] [--cost]", "List past generations, or total their cost."),
        (.config, "config get|set KEY ...", "Show or change saved settings (also unset, list)."),
        (.keys, "keys set PROVIDER", "Keep an API key in a file only you can read."),
        (.completions, "completions SHELL", "Print the bash, zsh or fish completion script."),
        (.help, "help", "Print this help."),
        (.version, "version", "Print the version."),
    ]
}

extension Command {
    /// The command `parsed` asks for. `--help` and `--version` have been
    /// handled by the parser, which lets them win over any mistake.
    static func resolve(_ parsed: ParsedArguments) throws(ImageGenError) -> Command {
        var switches = parsed.switches
        // `edit --batch FILE` edits for every line: the two go together.
        var editBatch: String?
        if parsed.commandWord == .edit {
            for case .batch(let file) in switches { editBatch = editBatch ?? file }
            switches.removeAll { if case .batch = $0 { return true } else { return false } }
        }
        if let word = parsed.commandWord {
            switches.insert(try word.commandSwitch(operands: parsed.words), at: 0)
        }
        // In a fixed order, so a conflict reads the same however the options were typed.
        let chosen = switches.reduce(into: [CommandSwitch]()) { unique, next in
            if !unique.contains(where: { $0.rank == next.rank }) { unique.append(next) }
        }.sorted { $0.rank < $1.rank }
        if chosen.count > 1 {
            throw .usage("\(chosen[0].spelling) and \(chosen[1].spelling) cannot be used together")
        }
        if parsed.options.live && chosen.first != .models {
            throw .usage("--live is an option of imagegen models: imagegen models --live [--provider NAME]")
        }
        if chosen.first != .history, parsed.options.since != nil || parsed.options.costSummary {
            let option = parsed.options.since != nil ? "--since" : "--cost"
            throw .usage(
                "\(option) is an option of imagegen history: imagegen history \(option)"
                    + (option == "--since" ? " 2026-11-01" : ""))
        }
        if parsed.options.hasEditInputs && chosen.first != .edit {
            let option =
                !parsed.options.images.isEmpty ? "--image" : parsed.options.mask != nil ? "--mask" : "--task"
            throw .usage("\(option) is an option of imagegen edit: imagegen edit --image IMG [--mask MASK] PROMPT...")
        }
        switch chosen.first {
        case .edit?:
            if let file = editBatch {
                guard parsed.words.isEmpty else {
                    throw .usage("PROMPT words cannot be combined with --batch; put the prompts in the batch FILE")
                }
                try checkFields(parsed.options, .result)
                return .editBatch(file: file, parsed.options)
            }
            guard !parsed.options.images.isEmpty || parsed.options.mask != nil else {
                throw .usage(
                    "imagegen edit needs at least one --image FILE: imagegen edit --image photo.png 'add a hat'")
            }
            try checkFields(parsed.options, .result)
            return .edit(promptWords: parsed.words, parsed.options)
        case nil:
            try checkFields(parsed.options, .result)
            return .generate(promptWords: parsed.words, parsed.options)
        case .help?:
            return .help
        case .version?:
            return .version
        case .completions(let shell)?:
            if parsed.commandWord != .completions, let word = parsed.words.first {
                throw .usage("--completions SHELL takes no other words; got '\(word)'")
            }
            return .completions(shell)
        case .inspect?:
            let files = parsed.words
            guard !files.isEmpty else {
                let spelled = parsed.commandWord == .inspect ? "inspect" : "--inspect"
                throw .usage("\(spelled) needs at least one FILE to inspect (e.g. imagegen \(spelled) otter.png)")
            }
            try checkFields(parsed.options, .inspect)
            return .inspect(files: files, json: parsed.options.output.json, fields: parsed.options.output.fields)
        case .models?:
            if let word = parsed.words.first {
                throw .usage(
                    "models takes no words, got '\(word)'; to pick a provider: imagegen models --provider NAME")
            }
            if parsed.options.output.fields != nil {
                throw .usage("imagegen models --json prints the whole catalogue; it takes no FIELD list")
            }
            return .models(parsed.options)
        case .history?:
            return .history(try HistoryQuery(parsed))
        case .config?:
            try onlyConfigurationOptions(parsed.options, command: "config")
            return .config(try ConfigAction(parsed.words), parsed.options)
        case .keys?:
            try onlyConfigurationOptions(parsed.options, command: "keys")
            return .keys(try KeysAction(parsed.words), parsed.options)
        case .batch(let file)?:
            guard parsed.words.isEmpty else {
                throw .usage("PROMPT words cannot be combined with --batch; put the prompts in the batch FILE")
            }
            try checkFields(parsed.options, .result)
            return .batch(file: file, parsed.options)
        }
    }
}

/// `--json FIELD,...` names only fields the command's document has.
private func checkFields(_ options: Options, _ catalogue: FieldCatalogue) throws(ImageGenError) {
    if let fields = options.output.fields { try catalogue.check(fields) }
}

extension Command {
    /// `config` and `keys` edit files: an option for a generation would be ignored, so it is refused.
    private static func onlyConfigurationOptions(_ options: Options, command: String) throws(ImageGenError) {
        var selectors = Options()
        selectors.configFile = options.configFile
        selectors.profile = options.profile
        guard options == selectors else {
            throw .usage("imagegen \(command) takes no options but --profile NAME and --config FILE")
        }
    }
}

extension CommandWord {
    /// The switch this word stands for; `completions` takes its shell from the operands.
    func commandSwitch(operands: [String]) throws(ImageGenError) -> CommandSwitch {
        switch self {
        case .help: return .help
        case .version: return .version
        case .inspect: return .inspect
        case .models: return .models
        case .edit: return .edit
        case .history: return .history
        case .config: return .config
        case .keys: return .keys
        case .completions:
            guard operands.count == 1, let shell = Completions.Shell(rawValue: operands[0]) else {
                throw .usage("completions takes one of \(Completions.Shell.names): imagegen completions bash")
            }
            return .completions(shell)
        }
    }
}
