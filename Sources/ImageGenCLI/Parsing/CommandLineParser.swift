import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
/// Turns the arguments (without argv[0]) into a `Command`, GNU style: options
/// and PROMPT words may be mixed, `--` ends the options, a lone `-` is a word.
/// Pure: the environment and standard input are consulted later.
package enum CommandLineParser {
    package static func parse(_ arguments: [String]) throws(ImageGenError) -> Command {
        var state = ParseState(arguments: arguments)
        state.run()
        // `--help` and `--version` win over any mistake next to them, so a user
        // fumbling with options can always get to the help.
        if state.wantsHelp { return .help }
        if state.wantsVersion { return .version }
        if let error = state.firstError { throw error }
        return .run(try finish(state.options))
    }

    /// Checks that need the whole command line.
    private static func finish(_ parsed: Options) throws(ImageGenError) -> Options {
        var options = parsed
        if options.inspectFiles != nil {
            if options.batchFile != nil {
                throw .usage("--inspect and --batch cannot be used together")
            }
            guard !options.promptWords.isEmpty else {
                throw .usage("--inspect needs at least one FILE to inspect (e.g. imagegen --inspect otter.png)")
            }
            options.inspectFiles = options.promptWords
            options.promptWords = []
        } else if options.batchFile != nil && !options.promptWords.isEmpty {
            throw .usage("PROMPT words cannot be combined with --batch; put the prompts in the batch FILE")
        }
        return options
    }
}

private struct ParseState {
    let arguments: [String]
    var index = 0
    var options = Options()
    var wantsHelp = false
    var wantsVersion = false
    /// Only the first mistake is reported, but parsing goes on to find `--help`.
    var firstError: ImageGenError?

    init(arguments: [String]) { self.arguments = arguments }

    mutating func run() {
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                options.promptWords.append(argument)
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
            apply(&options)
        case .command(let command):
            guard attached == nil else { return fail("option '\(spelled)' takes no value") }
            request(command)
        case .operands(_, let apply):
            apply(&options)
            guard let attached else { return }
            guard !attached.isEmpty else { return fail("option '\(spelled)' needs a value (FILE)") }
            options.promptWords.append(attached)
        case .value(_, let hint, let apply):
            let value = attached ?? takeNextValue()
            assign(value, spelled: spelled, hint: hint, apply)
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
                apply(&options)
            case .command(let command):
                request(command)
            case .operands(_, let apply):
                apply(&options)
            case .value(_, let hint, let apply):
                var rest = letters[position...]
                if rest.first == "=" { rest = rest.dropFirst() }
                let value = position < letters.count ? String(rest) : takeNextValue()
                return assign(value, spelled: "-\(letter)", hint: hint, apply)
            }
        }
    }

    mutating func request(_ command: Command) {
        switch command {
        case .help: wantsHelp = true
        case .version: wantsVersion = true
        case .run: break
        }
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
            try apply(&options, value)
        } catch {
            let note = error.note.map { " (\($0))" } ?? ""
            fail("option '\(spelled)' expects \(error.expected), got '\(value)'\(note)")
        }
    }
}

/// "Did you mean" for mistyped long options.
package enum OptionSuggestion {
    static func unknownOptionMessage(_ spelled: String) -> String {
        if spelled.hasPrefix("--"), let name = suggestion(for: String(spelled.dropFirst(2))) {
            return "unknown option '\(spelled)'; did you mean '--\(name)'? (see imagegen --help)"
        }
        return "unknown option '\(spelled)' (see imagegen --help)"
    }

    /// The closest long name, or nil when none is close enough to be a likely typo.
    static func suggestion(for typed: String) -> String? {
        let names = OptionTable.all.map(\.long)
        // LiteLLM users write `response_format`, `api_key`.
        let normalized = String(typed.lowercased().map { $0 == "_" ? "-" : $0 })
        if names.contains(normalized) { return normalized }
        let extensions = names.filter { $0.hasPrefix(normalized) }
        if !normalized.isEmpty, extensions.count == 1 { return extensions[0] }
        let allowed = normalized.count <= 2 ? 0 : normalized.count <= 5 ? 1 : 2
        var best: (name: String, distance: Int)?
        for name in names {
            let distance = editDistance(normalized, name)
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (name, distance)
            }
        }
        return best?.name
    }

    /// Levenshtein distance where swapping two neighbours also costs 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, twoBack[j - 2] + 1)
                }
                current[j] = value
            }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }
}
