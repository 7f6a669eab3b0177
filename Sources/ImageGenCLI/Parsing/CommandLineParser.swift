import ImageGenCore

/// Turns the arguments (without argv[0]) into a `Command`, GNU style: options
/// and words may be mixed, `--` ends the options, a lone `-` is a word. A
/// first argument that is exactly a command word selects that command.
/// Pure: the environment and standard input are consulted later.
package enum CommandLineParser {
    /// `settings`: what the configuration file set, which the command line's options override.
    package static func parse(_ arguments: [String], settings: Options = Options()) throws(ImageGenError) -> Command {
        var state = ParseState(arguments: arguments)
        state.parsed.options = settings
        if let first = arguments.first, let word = CommandWord(rawValue: first) {
            state.parsed.commandWord = word
            state.index = 1
        }
        state.run()
        // `--help` and `--version` win over any mistake next to them, so a user
        // fumbling with options can always get to the help.
        let parsed = state.parsed
        if parsed.commandWord == .help || parsed.switches.contains(.help) { return .help }
        if parsed.commandWord == .version || parsed.switches.contains(.version) { return .version }
        if let error = state.firstError { throw error }
        return try Command.resolve(parsed)
    }

    /// A `--batch` line's words: generation options and PROMPT words only.
    package static func parseBatchLine(_ words: [String]) throws(ImageGenError) -> (promptWords: [String], Options) {
        var state = ParseState(arguments: words)
        state.run()
        if let error = state.firstError { throw error }
        if let first = state.parsed.switches.first {
            throw .usage("a batch line cannot use \(first.spelling)")
        }
        if state.parsed.options.live { throw .usage("a batch line cannot use --live") }
        if state.parsed.options.configFile != nil || state.parsed.options.profile != nil {
            throw .usage("a batch line cannot use --config or --profile; give them on the command line")
        }
        return (state.parsed.words, state.parsed.options)
    }
}

private struct ParseState {
    let arguments: [String]
    var index = 0
    var parsed = ParsedArguments()
    /// Only the first mistake is reported, but parsing goes on to find `--help`.
    var firstError: ImageGenError?

    init(arguments: [String]) { self.arguments = arguments }

    mutating func run() {
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                parsed.words.append(argument)
            } else if argument == "--" {
                optionsEnded = true
            } else if argument.hasPrefix("--") {
                parseLong(argument)
            } else {
                parseShortCluster(argument)
            }
        }
    }

    mutating func fail(_ message: String) {
        if firstError == nil { firstError = .usage(message) }
    }

    /// `--name`, `--name value` or `--name=value`.
    mutating func parseLong(_ argument: String) {
        let body = argument.dropFirst(2)
        let name: Substring
        let attached: String?
        if let equals = body.firstIndex(of: "=") {
            name = body[..<equals]
            attached = String(body[body.index(after: equals)...])
        } else {
            name = body
            attached = nil
        }
        guard let spec = OptionTable.find(long: String(name)) else {
            fail(OptionSuggestion.unknownOptionMessage("--" + name))
            return
        }
        let spelled = "--" + name
        switch spec.kind {
        case .flag(let apply):
            guard attached == nil else { return fail("option '\(spelled)' takes no value") }
            apply(&parsed.options)
        case .command(let command):
            guard attached == nil else { return fail("option '\(spelled)' takes no value") }
            parsed.switches.append(command)
        case .operands(_, let command):
            parsed.switches.append(command)
            guard let attached else { return }
            guard !attached.isEmpty else { return fail("option '\(spelled)' needs a value (FILE)") }
            parsed.words.append(attached)
        case .value(_, let hint, let apply):
            let value = attached ?? takeNextValue()
            assign(value, spelled: spelled, hint: hint, apply)
        case .commandValue(_, let hint, let make):
            let value = attached ?? takeNextValue()
            choose(value, spelled: spelled, hint: hint, make)
        case .fieldList(let placeholder, let apply):
            if let attached {
                let fields = attached.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !fields.contains(where: \.isEmpty) else {
                    return fail("option '\(spelled)=' needs \(placeholder), e.g. \(spelled)=file,width")
                }
                return apply(&parsed.options, fields)
            }
            apply(&parsed.options, takeFieldList(after: spelled))
        }
    }

    /// `--json FIELD,FIELD` reads the next word as fields only when it can
    /// be nothing else: a comma-separated list of field names. One field
    /// name alone (`--json model of a ship`) could as well start the prompt,
    /// and guessing wrong pays for the wrong image, so it is refused unless
    /// no prompt can follow (`imagegen history --json prompt`).
    mutating func takeFieldList(after spelled: String) -> [String]? {
        guard index < arguments.count else { return nil }
        let word = arguments[index]
        switch JSONFieldNames.reading(word) {
        case .notFields:
            return nil
        case .list(let fields):
            index += 1
            return fields
        case .single(let field):
            index += 1
            if parsed.commandWord == .history { return [field] }
            fail(
                "'\(field)' after \(spelled) could be a field to print or the first word of the prompt; "
                    + "to print that field write \(spelled)=\(field), for a prompt write \(spelled) -- \(field) ...")
            return nil
        }
    }

    /// `-v`, `-n 3`, `-n3`, `-n=3`, and clusters such as `-vn3` (flags first,
    /// then at most one option that takes the rest as its value).
    mutating func parseShortCluster(_ argument: String) {
        let letters = Array(argument.dropFirst())
        // `-model` is a long option typed with one dash, not `-m odel`.
        let wholeWord = String(letters.prefix { $0 != "=" })
        if wholeWord.count > 1, let spec = OptionTable.find(long: wholeWord) {
            // Only the name: what follows `=` may be a secret (`-api-key=sk-...`).
            return fail("unknown option '-\(wholeWord)'; did you mean '--\(spec.long)'? (see imagegen --help)")
        }
        var position = 0
        while position < letters.count {
            let letter = letters[position]
            position += 1
            guard let spec = OptionTable.find(short: letter) else {
                if letter == "=" && position > 1 {
                    return fail("option '-\(letters[position - 2])' takes no value")
                }
                return fail(OptionSuggestion.unknownOptionMessage("-\(letter)"))
            }
            switch spec.kind {
            case .flag(let apply):
                apply(&parsed.options)
            case .fieldList(_, let apply):
                // No short form takes fields; as a letter it is the plain flag.
                apply(&parsed.options, nil)
            case .command(let command), .operands(_, let command):
                parsed.switches.append(command)
            case .value(_, let hint, let apply):
                return assign(clusterValue(letters, from: position), spelled: "-\(letter)", hint: hint, apply)
            case .commandValue(_, let hint, let make):
                return choose(clusterValue(letters, from: position), spelled: "-\(letter)", hint: hint, make)
            }
        }
    }

    /// The rest of a short cluster (`-n3`, `-n=3`) or, when it ends there, the next argument.
    mutating func clusterValue(_ letters: [Character], from position: Int) -> String? {
        var rest = letters[position...]
        if rest.first == "=" { rest = rest.dropFirst() }
        return position < letters.count ? String(rest) : takeNextValue()
    }

    /// The next argument as a value, unless it is a long option or `--`: then
    /// the value was most likely forgotten (`--size --json`). Such a value can
    /// still be given as `--opt=--value`.
    mutating func takeNextValue() -> String? {
        guard index < arguments.count, !arguments[index].hasPrefix("--") else { return nil }
        defer { index += 1 }
        return arguments[index]
    }

    mutating func assign(
        _ value: String?, spelled: String, hint: String,
        _ apply: (inout Options, String) throws(InvalidValue) -> Void
    ) {
        guard let value, !value.isEmpty else {
            return fail("option '\(spelled)' needs a value (\(hint))")
        }
        do {
            try apply(&parsed.options, value)
        } catch {
            refuse(value, spelled: spelled, error)
        }
    }

    mutating func choose(
        _ value: String?, spelled: String, hint: String,
        _ make: (String) throws(InvalidValue) -> CommandSwitch
    ) {
        guard let value, !value.isEmpty else {
            return fail("option '\(spelled)' needs a value (\(hint))")
        }
        do {
            parsed.switches.append(try make(value))
        } catch {
            refuse(value, spelled: spelled, error)
        }
    }

    mutating func refuse(_ value: String, spelled: String, _ error: InvalidValue) {
        let note = error.note.map { " (\($0))" } ?? ""
        fail("option '\(spelled)' expects \(error.expected), got '\(value)'\(note)")
    }
}
