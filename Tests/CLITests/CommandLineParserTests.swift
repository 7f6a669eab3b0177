import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// Parses `arguments`, expecting a generation; returns its PROMPT words and options.
private func parsedGeneration(
    _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
) throws
    -> (promptWords: [String], options: Options)
{
    let command = try CommandLineParser.parse(arguments)
    guard case .generate(let words, let options) = command else {
        Issue.record("expected .generate for \(arguments), got \(command)", sourceLocation: sourceLocation)
        return ([], Options())
    }
    return (words, options)
}

/// Parses `arguments`, expecting a generation; returns its options.
private func parsedOptions(
    _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
) throws
    -> Options
{
    try parsedGeneration(arguments, sourceLocation: sourceLocation).options
}

/// Parses `arguments`, expecting a generation; returns its PROMPT words.
private func promptWords(
    _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
) throws
    -> [String]
{
    try parsedGeneration(arguments, sourceLocation: sourceLocation).promptWords
}

/// Options with `change` applied, to compare whole commands.
private func options(_ change: (inout Options) -> Void) -> Options {
    var options = Options()
    change(&options)
    return options
}

/// Parses `arguments`, expecting a usage error; returns its message.
private func usageMessage(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    do {
        let command = try CommandLineParser.parse(arguments)
        Issue.record("expected a usage error for \(arguments), got \(command)", sourceLocation: sourceLocation)
        return nil
    } catch {
        #expect(error.exitCode == 2, sourceLocation: sourceLocation)
        guard case .usage(let message) = error else {
            Issue.record("expected .usage, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
        return message
    }
}

/// An option that takes a value, a good value for it, and where it lands.
struct CommandLineValueCase: Sendable, CustomTestStringConvertible {
    let long: String
    let short: Character?
    let value: String
    /// Whether the parsed command is right: for a generation option, a
    /// generation without PROMPT words whose options pass the check.
    let check: @Sendable (Command) -> Bool
    var testDescription: String { "--\(long)" }

    init(long: String, short: Character?, value: String, _ options: @escaping @Sendable (Options) -> Bool) {
        self.long = long
        self.short = short
        self.value = value
        check = { command in
            guard case .generate(let words, let parsed) = command else { return false }
            return words.isEmpty && options(parsed)
        }
    }

    /// An option that chooses the command: it must parse to exactly `command`.
    init(long: String, short: Character?, value: String, command: Command) {
        self.long = long
        self.short = short
        self.value = value
        check = { $0 == command }
    }

    /// Every spelling the parser must accept for this option.
    var spellings: [[String]] {
        var forms = [["--\(long)", value], ["--\(long)=\(value)"]]
        if let short { forms += [["-\(short)", value], ["-\(short)\(value)"], ["-\(short)=\(value)"]] }
        return forms
    }
}

private let valueCases: [CommandLineValueCase] = [
    CommandLineValueCase(long: "model", short: "m", value: "dall-e-3") { $0.model == "dall-e-3" },
    CommandLineValueCase(long: "n", short: "n", value: "3") { $0.parameters.n == 3 },
    CommandLineValueCase(long: "size", short: "s", value: "1792x1024") { $0.parameters.size == "1792x1024" },
    CommandLineValueCase(long: "quality", short: nil, value: "hd") { $0.parameters.quality == "hd" },
    CommandLineValueCase(long: "style", short: nil, value: "natural") { $0.parameters.style == "natural" },
    CommandLineValueCase(long: "response-format", short: nil, value: "b64_json") {
        $0.parameters.responseFormat == "b64_json"
    },
    CommandLineValueCase(long: "user", short: nil, value: "user-1234") { $0.parameters.user == "user-1234" },
    CommandLineValueCase(long: "background", short: nil, value: "transparent") {
        $0.parameters.background == "transparent"
    },
    CommandLineValueCase(long: "output-format", short: nil, value: "webp") { $0.parameters.outputFormat == "webp" },
    CommandLineValueCase(long: "output-compression", short: nil, value: "80") {
        $0.parameters.outputCompression == 80
    },
    CommandLineValueCase(long: "moderation", short: nil, value: "low") { $0.parameters.moderation == "low" },
    CommandLineValueCase(long: "partial-images", short: nil, value: "3") { $0.partialImages == 3 },
    CommandLineValueCase(long: "partial-dir", short: nil, value: "parts") { $0.partialDir == "parts" },
    CommandLineValueCase(long: "seed", short: nil, value: "42") { $0.parameters.seed == 42 },
    CommandLineValueCase(long: "base-model", short: nil, value: "gpt-image-2") { $0.baseModel == "gpt-image-2" },
    CommandLineValueCase(long: "provider", short: nil, value: "bedrock") { $0.provider == .bedrock },
    CommandLineValueCase(long: "provider", short: nil, value: "vertex_ai") { $0.provider == .vertexAI },
    CommandLineValueCase(long: "param", short: nil, value: "seed=42") {
        $0.parameters.extra == [Param(key: "seed", value: .number("42"))]
    },
    CommandLineValueCase(long: "output", short: "o", value: "out/otter.png") { $0.output.output == "out/otter.png" },
    CommandLineValueCase(long: "api-key", short: nil, value: "sk-test") { $0.connection.apiKey == "sk-test" },
    CommandLineValueCase(long: "api-base", short: nil, value: "http://127.0.0.1:8080/v1") {
        $0.connection.apiBase == "http://127.0.0.1:8080/v1"
    },
    CommandLineValueCase(long: "api-version", short: nil, value: "2024-02-01") {
        $0.connection.apiVersion == "2024-02-01"
    },
    CommandLineValueCase(long: "organization", short: nil, value: "org-42") { $0.connection.organization == "org-42" },
    CommandLineValueCase(long: "timeout", short: nil, value: "2.5") { $0.connection.timeout == 2.5 },
    CommandLineValueCase(long: "max-retries", short: nil, value: "0") { $0.connection.maxRetries == 0 },
    CommandLineValueCase(long: "max-filesize", short: nil, value: "64K") { $0.connection.maxFileSize == 65536 },
    CommandLineValueCase(long: "rate", short: nil, value: "50/m") { $0.rate == RateLimit(count: 50, period: 60) },
    CommandLineValueCase(long: "shard", short: nil, value: "2/8") { $0.shard == BatchShard(number: 2, count: 8) },
    CommandLineValueCase(long: "joblog", short: nil, value: "run.log") { $0.joblog == "run.log" },
    CommandLineValueCase(long: "aws-region", short: nil, value: "eu-west-1") { $0.connection.awsRegion == "eu-west-1" },
    CommandLineValueCase(long: "aws-profile", short: nil, value: "dev") { $0.connection.awsProfile == "dev" },
    CommandLineValueCase(long: "aws-access-key-id", short: nil, value: "AKIDEXAMPLE") {
        $0.connection.awsAccessKeyID == "AKIDEXAMPLE"
    },
    CommandLineValueCase(long: "aws-secret-access-key", short: nil, value: "wJalrXUtnFEMI") {
        $0.connection.awsSecretAccessKey == "wJalrXUtnFEMI"
    },
    CommandLineValueCase(long: "aws-session-token", short: nil, value: "FwoGZXIvYXdz") {
        $0.connection.awsSessionToken == "FwoGZXIvYXdz"
    },
    CommandLineValueCase(long: "vertex-project", short: nil, value: "my-project-7") {
        $0.connection.vertexProject == "my-project-7"
    },
    CommandLineValueCase(long: "vertex-location", short: nil, value: "europe-west4") {
        $0.connection.vertexLocation == "europe-west4"
    },
    CommandLineValueCase(long: "vertex-credentials", short: nil, value: "key.json") {
        $0.connection.vertexCredentials == "key.json"
    },
    CommandLineValueCase(long: "cacert", short: nil, value: "/etc/ssl/ca.pem") {
        $0.connection.caCert == "/etc/ssl/ca.pem"
    },
    CommandLineValueCase(
        long: "batch", short: nil, value: "prompts.jsonl",
        command: .batch(file: "prompts.jsonl", Options())),
    CommandLineValueCase(long: "concurrency", short: nil, value: "8") { $0.concurrency == 8 },
    CommandLineValueCase(long: "api-key-file", short: nil, value: "/run/secrets/openai") {
        $0.connection.apiKeyFile == "/run/secrets/openai"
    },
    CommandLineValueCase(long: "config", short: nil, value: "~/imagegen.ini") { $0.configFile == "~/imagegen.ini" },
    CommandLineValueCase(long: "profile", short: nil, value: "work") { $0.profile == "work" },
    CommandLineValueCase(long: "max-cost", short: nil, value: "0.50") { $0.maxCost == 0.5 },
    CommandLineValueCase(long: "completions", short: nil, value: "zsh", command: .completions(.zsh)),
]

struct CommandLineFlagCase: Sendable, CustomTestStringConvertible {
    let long: String
    let short: Character?
    let check: @Sendable (Options) -> Bool
    var testDescription: String { "--\(long)" }
}

private let flagCases: [CommandLineFlagCase] = [
    CommandLineFlagCase(long: "no-history", short: nil) { !$0.history },
    CommandLineFlagCase(long: "force", short: nil) { $0.output.force },
    CommandLineFlagCase(long: "skip-existing", short: nil) { $0.output.skipExisting },
    CommandLineFlagCase(long: "resume", short: nil) { $0.resume == .skipLogged },
    CommandLineFlagCase(long: "resume-failed", short: nil) { $0.resume == .retryFailed },
    CommandLineFlagCase(long: "no-download", short: nil) { $0.output.noDownload },
    CommandLineFlagCase(long: "quiet", short: nil) { $0.output.quiet },
    CommandLineFlagCase(long: "verbose", short: "v") { $0.output.verbose },
    CommandLineFlagCase(long: "dry-run", short: nil) { $0.output.dryRun },
    CommandLineFlagCase(long: "no-metadata", short: nil) { $0.output.noMetadata },
    CommandLineFlagCase(long: "preview", short: nil) { $0.preview },
    CommandLineFlagCase(long: "stream", short: nil) { $0.stream },
]

@Suite struct CommandLineParserTests {
    @Test(arguments: valueCases)
    func valueOptionInEverySpelling(_ option: CommandLineValueCase) throws {
        for spelling in option.spellings {
            let command = try CommandLineParser.parse(spelling)
            #expect(option.check(command), "\(spelling) gave \(command)")
        }
    }

    @Test(arguments: flagCases)
    func flagSetsItsField(_ flag: CommandLineFlagCase) throws {
        #expect(!flag.check(try parsedOptions(["otter"])))
        #expect(flag.check(try parsedOptions(["--\(flag.long)", "otter"])))
        if let short = flag.short { #expect(flag.check(try parsedOptions(["-\(short)", "otter"]))) }
        #expect(usageMessage(["--\(flag.long)=1", "otter"]) == "option '--\(flag.long)' takes no value")
    }

    @Test func theseTestsCoverEveryOptionInTheTable() {
        // `--live` parses only after `models`: ModelsCommandTests covers it.
        // `--image` and `--mask` parse only after `edit`: editTakesImagesAndAMask covers them,
        // and editTakesATask `--task`. `--since` and `--cost` parse only after `history`, and
        // `--json` takes an optional field list: JSONAndHistoryParsingTests covers them.
        let covered = Set(
            valueCases.map(\.long) + flagCases.map(\.long) + [
                "inspect", "help", "version", "live", "image", "mask", "task", "since", "cost", "json",
            ])
        for spec in OptionTable.all {
            #expect(covered.contains(spec.long), "--\(spec.long) has no parser test")
        }
        for option in valueCases {
            #expect(OptionTable.find(long: option.long)?.short == option.short, "--\(option.long)")
            #expect(OptionTable.find(long: option.long)?.takesValue == true, "--\(option.long)")
        }
        for flag in flagCases {
            #expect(OptionTable.find(long: flag.long)?.short == flag.short, "--\(flag.long)")
            #expect(OptionTable.find(long: flag.long)?.placeholder == nil, "--\(flag.long)")
        }
    }

    @Test func promptWordsAlone() throws {
        #expect(
            try CommandLineParser.parse(["a", "cute baby", "sea otter"])
                == .generate(promptWords: ["a", "cute baby", "sea otter"], Options()))
        #expect(try CommandLineParser.parse([]) == .generate(promptWords: [], Options()))
    }

    @Test func optionsMayFollowPromptWords() throws {
        let (words, options) = try parsedGeneration(["a", "sea", "-n", "2", "otter", "--json", "--model=dall-e-3", "!"])
        #expect(words == ["a", "sea", "otter", "!"])
        #expect(options.parameters.n == 2)
        #expect(options.output.json)
        #expect(options.model == "dall-e-3")
    }

    @Test func doubleDashEndsOptions() throws {
        let (words, options) = try parsedGeneration(["-n", "2", "--", "-x", "--json", "-", "--", "-n", "5"])
        #expect(words == ["-x", "--json", "-", "--", "-n", "5"])
        #expect(options.parameters.n == 2)
        #expect(!options.output.json)
        #expect(try promptWords(["--"]).isEmpty)
        #expect(try CommandLineParser.parse(["--", "--help"]) == .generate(promptWords: ["--help"], Options()))
        #expect(try promptWords(["--", "--help"]) == ["--help"])
    }

    @Test func loneDashIsAWord() throws {
        #expect(try promptWords(["-"]) == ["-"])
        let (words, options) = try parsedGeneration(["-o", "-", "-"])
        #expect(options.output.output == "-")
        #expect(words == ["-"])
        #expect(try parsedOptions(["--output", "-", "otter"]).output.output == "-")
    }

    @Test func shortClusters() throws {
        let options = try parsedOptions(["-vn3", "otter"])
        #expect(options.output.verbose && options.parameters.n == 3)
        let (words, withNext) = try parsedGeneration(["-vo", "out.png", "otter"])
        #expect(withNext.output.verbose && withNext.output.output == "out.png")
        #expect(words == ["otter"])
        #expect(usageMessage(["-vn"]) == "option '-n' needs a value (N, a whole number from 1 to 10000)")
        #expect(usageMessage(["-vx"]) == "unknown option '-x' (see imagegen --help)")
        #expect(usageMessage(["-v=1"]) == "option '-v' takes no value")
    }

    @Test func aValueMayLookLikeAShortOptionButNotALongOne() throws {
        #expect(try parsedOptions(["--user", "-v", "otter"]).parameters.user == "-v")
        #expect(try parsedOptions(["--user=--weird", "otter"]).parameters.user == "--weird")
        #expect(usageMessage(["--size", "--json", "otter"]) == "option '--size' needs a value (WxH, e.g. 1024x1024)")
        #expect(usageMessage(["--user", "--", "otter"]) == "option '--user' needs a value (ID)")
    }

    @Test func lastValueWinsAndParamsAccumulate() throws {
        let options = try parsedOptions([
            "-n", "2", "--n=5", "-m", "a", "--model", "b", "-s", "256x256", "--size=512x512",
            "--param", "seed=1", "--param=style_preset=photographic", "--param", "seed=2", "otter",
        ])
        #expect(options.parameters.n == 5)
        #expect(options.model == "b")
        #expect(options.parameters.size == "512x512")
        #expect(
            options.parameters.extra == [
                Param(key: "seed", value: .number("1")),
                Param(key: "style_preset", value: .string("photographic")),
                Param(key: "seed", value: .number("2")),
            ])
    }

    @Test(arguments: [
        ("seed=42", Param(key: "seed", value: .number("42"))),
        ("cfg_scale=7.5", Param(key: "cfg_scale", value: .number("7.5"))),
        ("style_preset=photographic", Param(key: "style_preset", value: .string("photographic"))),
        (#"x={"a":1}"#, Param(key: "x", value: .object([("a", .number("1"))]))),
        ("list=[1,2]", Param(key: "list", value: .array([.number("1"), .number("2")]))),
        ("flag=true", Param(key: "flag", value: .bool(true))),
        ("nothing=null", Param(key: "nothing", value: .null)),
        (#"quoted="hi""#, Param(key: "quoted", value: .string("hi"))),
        ("y=", Param(key: "y", value: .string(""))),
        ("k=a=b", Param(key: "k", value: .string("a=b"))),
        ("broken={not json", Param(key: "broken", value: .string("{not json"))),
        ("zip=01234", Param(key: "zip", value: .string("01234"))),
    ])
    func paramValueIsJSONWhenItParses(_ text: String, _ expected: Param) throws {
        #expect(try parsedOptions(["--param", text, "otter"]).parameters.extra == [expected])
    }

    @Test func helpAndVersionWinOverEverythingElse() throws {
        for arguments in [
            ["--help"], ["-h"], ["otter", "-n", "2", "--help"], ["--sise", "x", "-h"],
            ["-n", "abc", "--help"], ["--version", "--help"], ["-vh"], ["--size", "--help"],
        ] {
            #expect(try CommandLineParser.parse(arguments) == .help, "\(arguments)")
        }
        for arguments in [["--version"], ["otter", "--version"], ["--frob", "--version"]] {
            #expect(try CommandLineParser.parse(arguments) == .version, "\(arguments)")
        }
        #expect(usageMessage(["--version=2"]) == "option '--version' takes no value")
        #expect(usageMessage(["--help=me"]) == "option '--help' takes no value")
    }

    @Test func unknownOptionsSuggestTheClosestName() {
        let cases: [(String, String)] = [
            ("--sise", "unknown option '--sise'; did you mean '--size'? (see imagegen --help)"),
            ("--modle", "unknown option '--modle'; did you mean '--model'? (see imagegen --help)"),
            (
                "--response_format=url",
                "unknown option '--response_format'; did you mean '--response-format'? (see imagegen --help)"
            ),
            (
                "--aws_secret_access_key",
                "unknown option '--aws_secret_access_key'; did you mean '--aws-secret-access-key'? (see imagegen --help)"
            ),
            ("--verb", "unknown option '--verb'; did you mean '--verbose'? (see imagegen --help)"),
            ("--JSON", "unknown option '--JSON'; did you mean '--json'? (see imagegen --help)"),
            ("--frobnicate", "unknown option '--frobnicate' (see imagegen --help)"),
            ("--no", "unknown option '--no' (see imagegen --help)"),
            ("--x", "unknown option '--x' (see imagegen --help)"),
            ("-x", "unknown option '-x' (see imagegen --help)"),
            ("-5", "unknown option '-5' (see imagegen --help)"),
            ("-model", "unknown option '-model'; did you mean '--model'? (see imagegen --help)"),
            ("-json", "unknown option '-json'; did you mean '--json'? (see imagegen --help)"),
            ("-size=10", "unknown option '-size'; did you mean '--size'? (see imagegen --help)"),
        ]
        for (argument, message) in cases {
            #expect(usageMessage([argument, "otter"]) == message)
        }
    }

    @Test func unknownOptionMessagesNeverRepeatTheValue() {
        for argument in ["--api_key=sk-secret", "-api-key=sk-secret", "--apikey=sk-secret"] {
            let message = usageMessage([argument, "otter"]) ?? ""
            #expect(message.hasPrefix("unknown option"))
            #expect(!message.contains("sk-secret"), "\(message)")
        }
    }

    @Test func editDistanceCountsSwapsAsOne() {
        #expect(EditDistance.between("size", "size") == 0)
        #expect(EditDistance.between("sise", "size") == 1)
        #expect(EditDistance.between("szie", "size") == 1)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(EditDistance.between("kitten", "sitting") == 3)
    }

    @Test func missingValuesNameTheExpectedForm() {
        let cases: [([String], String)] = [
            (["--size"], "option '--size' needs a value (WxH, e.g. 1024x1024)"),
            (["otter", "-s"], "option '-s' needs a value (WxH, e.g. 1024x1024)"),
            (["--size=", "otter"], "option '--size' needs a value (WxH, e.g. 1024x1024)"),
            (["--model", "", "otter"], "option '--model' needs a value (MODEL, e.g. gpt-image-2)"),
            (["-m="], "option '-m' needs a value (MODEL, e.g. gpt-image-2)"),
            (["-n"], "option '-n' needs a value (N, a whole number from 1 to 10000)"),
            (["--response-format"], "option '--response-format' needs a value (url or b64_json)"),
            (["--provider"], "option '--provider' needs a value (\(OptionTable.providerNames))"),
            (["--param"], "option '--param' needs a value (KEY=VALUE, e.g. seed=42)"),
            (["--output"], "option '--output' needs a value (PATH, a directory, a file name or -)"),
            (["--batch"], "option '--batch' needs a value (FILE, or - for standard input)"),
            (["--api-key"], "option '--api-key' needs a value (KEY)"),
            (["--timeout"], "option '--timeout' needs a value (SECONDS, e.g. 120)"),
            (["--inspect="], "option '--inspect' needs a value (FILE)"),
        ]
        for (arguments, message) in cases {
            #expect(usageMessage(arguments) == message, "\(arguments)")
        }
    }

    @Test func countsMustBePlainWholeNumbers() throws {
        let expected = "option '-n' expects a whole number from 1 to 10000, got"
        for bad in ["0", "-1", "+3", "3.0", "abc", "3x", " 3", "٣"] {
            #expect(usageMessage(["-n", bad, "otter"]) == "\(expected) '\(bad)'", "\(bad)")
        }
        #expect(
            usageMessage(["-n", "99999999999999999999", "otter"])
                == "\(expected) '99999999999999999999' (too large)")
        #expect(usageMessage(["--n=0"]) == "option '--n' expects a whole number from 1 to 10000, got '0'")
        #expect(try parsedOptions(["-n", "007"]).parameters.n == 7)
        #expect(try parsedOptions(["-n", "10000"]).parameters.n == 10000)
        // Past the ceiling a count is a typo, and unbounded it would be one
        // request per image, or a trap in the arithmetic that follows.
        #expect(usageMessage(["-n", "10001"]) == "\(expected) '10001' (too large)")
        #expect(
            usageMessage(["--max-retries", "9223372036854775807"])
                == "option '--max-retries' expects a whole number from 0 to 100, got '9223372036854775807' (too large)")
        #expect(
            usageMessage(["--max-retries", "-1"])
                == "option '--max-retries' expects a whole number from 0 to 100, got '-1'")
        #expect(
            usageMessage(["--max-retries=1.5"])
                == "option '--max-retries' expects a whole number from 0 to 100, got '1.5'")
        #expect(
            usageMessage(["--concurrency", "0"])
                == "option '--concurrency' expects a whole number from 1 to 1000, got '0'")
    }

    @Test func sizesAreWxHOrAuto() throws {
        for good in ["auto", "256x256", "1024x1792", "1x1", "65535x65535"] {
            #expect(try parsedOptions(["-s", good]).parameters.size == good)
        }
        for bad in [
            "1024", "1024x", "x1024", "0x1024", "1024x0", "1024X1024", "AUTO", "-1x5",
            "1024x1024x1", "1024 x 1024", "1e3x1024", "99999999999999999999x1", "99999999999x99999999999",
            "65536x1024",
        ] {
            #expect(
                usageMessage(["--size", bad]) == "option '--size' expects WxH with whole numbers "
                    + "from 1 to 65535 (e.g. 1024x1024) or auto, got '\(bad)'", "\(bad)")
        }
    }

    @Test func choicesNameTheAllowedValues() throws {
        #expect(
            usageMessage(["--response-format", "png"])
                == "option '--response-format' expects one of url, b64_json, got 'png'")
        #expect(
            usageMessage(["--response-format=URL"])
                == "option '--response-format' expects one of url, b64_json, got 'URL'")
        #expect(
            usageMessage(["--provider", "no_such_ai"])
                == "option '--provider' expects one of "
                + ProviderKind.allCases.map(\.rawValue).joined(separator: ", ") + ", got 'no_such_ai'")
        #expect(try parsedOptions(["--response-format", "url"]).parameters.responseFormat == "url")
        for provider in ProviderKind.allCases {
            #expect(try parsedOptions(["--provider", provider.rawValue]).provider == provider)
        }
    }

    @Test func timeoutsAndCostsAreDecimalNumbers() throws {
        for good in [("1", 1.0), ("0.5", 0.5), (".5", 0.5), ("30.", 30.0), ("600", 600.0)] {
            #expect(try parsedOptions(["--timeout", good.0]).connection.timeout == good.1)
        }
        for bad in ["0", "0.0", "-1", "abc", "1e3", "inf", "nan", "0x10", ".", "1.2.3", "+5", "5s"] {
            #expect(
                usageMessage(["--timeout", bad])
                    == "option '--timeout' expects a number greater than 0 and at most 604800, got '\(bad)'",
                "\(bad)")
        }
        #expect(try parsedOptions(["--max-cost", "0"]).maxCost == 0)
        #expect(try parsedOptions(["--max-cost=1.25"]).maxCost == 1.25)
        #expect(
            usageMessage(["--max-cost", "-0.5"])
                == "option '--max-cost' expects a number of 0 or more and at most 1000000000, got '-0.5'")
        #expect(
            usageMessage(["--max-cost", "$1"])
                == "option '--max-cost' expects a number of 0 or more and at most 1000000000, got '$1'")
        let huge = String(repeating: "9", count: 400)
        #expect(
            usageMessage(["--timeout", huge])
                == "option '--timeout' expects a number greater than 0 and at most 604800, got '\(huge)' (too large)")
    }

    @Test func byteSizesAreWholeNumbersWithBinaryUnits() throws {
        let good: [(String, Int)] = [
            ("1", 1), ("1500", 1500), ("1K", 1024), ("64k", 65536), ("512M", 536_870_912), ("512m", 536_870_912),
            ("2G", 2_147_483_648), ("0001K", 1024), ("8589934591G", 8_589_934_591 << 30),
        ]
        for (text, bytes) in good {
            #expect(try OptionValue.byteSize(text) == bytes, "\(text)")
        }
        #expect(try parsedOptions(["--max-filesize=1M"]).connection.maxFileSize == 1 << 20)
        #expect(try parsedOptions(["otter"]).connection.maxFileSize == nil)
        let form = "BYTES, a whole number of 1 or more with an optional K, M or G (e.g. 512M)"
        for bad in ["0", "0K", "K", "-1", "+1", "1.5M", "1 M", "1MB", "1KiB", "1T", "1e6", "0x10", "M1", " 1"] {
            #expect(
                usageMessage(["--max-filesize", bad, "otter"])
                    == "option '--max-filesize' expects \(form), got '\(bad)'",
                "\(bad)")
        }
        #expect(usageMessage(["--max-filesize"]) == "option '--max-filesize' needs a value (BYTES, e.g. 512M)")
        for huge in ["8589934592G", "9223372036854775808", String(repeating: "9", count: 40) + "K"] {
            #expect(
                usageMessage(["--max-filesize", huge, "otter"])
                    == "option '--max-filesize' expects \(form), got '\(huge)' (too large)", "\(huge)")
        }
    }

    @Test func shardIsKOfNWithKFromOneToN() throws {
        #expect(BatchShard.parse("1/1") == BatchShard(number: 1, count: 1))
        #expect(BatchShard.parse("8/8") == BatchShard(number: 8, count: 8))
        let form = "K/N, whole numbers with 1 <= K <= N (e.g. 2/8)"
        for bad in ["0/4", "5/4", "1/0", "2", "/4", "2/", "-1/4", "1/+4", "1.0/4", "1/4/4", " 1/4", "1/1000001"] {
            #expect(
                usageMessage(["--shard", bad, "otter"]) == "option '--shard' expects \(form), got '\(bad)'", "\(bad)")
        }
        let shard = try #require(BatchShard.parse("2/3"))
        #expect((0..<9).filter { shard.takes(lineIndex: $0) } == [1, 4, 7])
    }

    @Test func rateTakesCurlsSpellingAndRefusesTheRest() throws {
        let good: [(String, RateLimit)] = [
            ("2/s", RateLimit(count: 2, period: 1)), ("50/m", RateLimit(count: 50, period: 60)),
            ("100/h", RateLimit(count: 100, period: 3600)), ("7/d", RateLimit(count: 7, period: 86400)),
            ("30", RateLimit(count: 30, period: 3600)),
        ]
        for (text, rate) in good {
            #expect(try OptionValue.rate(text) == rate, "\(text)")
        }
        #expect(try OptionValue.rate("50/m").interval == 1.2)
        let form = "N/s, N/m, N/h or N/d (requests a second, minute, hour or day), e.g. 50/m"
        for bad in ["0/s", "/s", "2/", "2/x", "2/min", "-1/s", "1.5/s", "2/s/s", "s", " 2/s"] {
            #expect(
                usageMessage(["--rate", bad, "otter"]) == "option '--rate' expects \(form), got '\(bad)'", "\(bad)")
        }
        #expect(
            usageMessage(["--rate", "1000001/s", "otter"])
                == "option '--rate' expects \(form), got '1000001/s' (too large)")
    }
    @Test func paramNeedsAKey() {
        for bad in ["seed", "=42"] {
            #expect(
                usageMessage(["--param", bad, "otter"])
                    == "option '--param' expects KEY=VALUE with a non-empty KEY (e.g. seed=42), got '\(bad)'")
        }
    }

    @Test func qualityAndStyleAreNotCheckedHere() throws {
        let options = try parsedOptions(["--quality", "ultra", "--style", "cubist", "otter"])
        #expect(options.parameters.quality == "ultra" && options.parameters.style == "cubist")
    }

    @Test func theFirstMistakeIsReported() {
        #expect(
            usageMessage(["-n", "0", "--size", "big", "--frob"])
                == "option '-n' expects a whole number from 1 to 10000, got '0'")
        #expect(usageMessage(["--frob", "-n", "0"]) == "unknown option '--frob' (see imagegen --help)")
    }

    @Test func inspectTakesThePositionalWordsAsFiles() throws {
        let both = Command.inspect(files: ["a.png", "b.png"], json: false)
        #expect(try CommandLineParser.parse(["--inspect", "a.png", "b.png"]) == both)
        #expect(try CommandLineParser.parse(["a.png", "--inspect", "b.png"]) == both)
        #expect(try CommandLineParser.parse(["--inspect=a.png", "b.png"]) == both)
        #expect(
            try CommandLineParser.parse(["--inspect", "--", "-odd.png"])
                == .inspect(files: ["-odd.png"], json: false))
        #expect(try CommandLineParser.parse(["otter"]) == .generate(promptWords: ["otter"], Options()))
        #expect(
            usageMessage(["--inspect"])
                == "--inspect needs at least one FILE to inspect (e.g. imagegen --inspect otter.png)")
        #expect(
            usageMessage(["--inspect", "--json"])
                == "--inspect needs at least one FILE to inspect (e.g. imagegen --inspect otter.png)")
    }

    @Test func batchTakesNoPromptWords() throws {
        #expect(
            try CommandLineParser.parse(["--batch", "-", "--concurrency", "2"])
                == .batch(file: "-", options { $0.concurrency = 2 }))
        #expect(
            usageMessage(["--batch", "prompts.txt", "otter"])
                == "PROMPT words cannot be combined with --batch; put the prompts in the batch FILE")
        #expect(
            usageMessage(["--batch", "prompts.txt", "--inspect", "a.png"])
                == "--inspect and --batch cannot be used together")
    }

    @Test func versionString() {
        #expect(ImageGenVersion.current == "0.1.0")
        #expect(ImageGenVersion.line == "imagegen 0.1.0")
    }
}

/// The command frame: a first argument that is exactly a command word selects
/// that command, `--inspect` and `--completions SHELL` work anywhere, `--`
/// forces a prompt, and words reserved for later commands are refused.
@Suite struct CommandFrameTests {
    @Test func helpAndVersionWords() throws {
        #expect(try CommandLineParser.parse(["help"]) == .help)
        #expect(try CommandLineParser.parse(["version"]) == .version)
    }

    @Test func helpWordWinsOverJunkOptions() throws {
        #expect(try CommandLineParser.parse(["help", "--frob", "-n", "0", "--size"]) == .help)
        #expect(try CommandLineParser.parse(["help", "me", "--json"]) == .help)
    }

    @Test func inspectWordTakesFiles() throws {
        #expect(
            try CommandLineParser.parse(["inspect", "a.png", "b.png"])
                == .inspect(files: ["a.png", "b.png"], json: false))
        #expect(
            try CommandLineParser.parse(["inspect", "--json", "a.png"])
                == .inspect(files: ["a.png"], json: true))
        #expect(
            try CommandLineParser.parse(["inspect", "a.png", "--json"])
                == .inspect(files: ["a.png"], json: true))
        #expect(
            usageMessage(["inspect"])
                == "inspect needs at least one FILE to inspect (e.g. imagegen inspect otter.png)")
    }

    @Test func inspectWithBatchIsAUsageError() {
        #expect(
            usageMessage(["inspect", "--batch", "prompts.txt", "a.png"])
                == "--inspect and --batch cannot be used together")
    }

    @Test func completionsWordTakesOneShell() throws {
        #expect(try CommandLineParser.parse(["completions", "bash"]) == .completions(.bash))
        #expect(try CommandLineParser.parse(["completions", "zsh"]) == .completions(.zsh))
        #expect(try CommandLineParser.parse(["completions", "fish"]) == .completions(.fish))
        let message = "completions takes one of bash, zsh, fish: imagegen completions bash"
        #expect(usageMessage(["completions"]) == message)
        #expect(usageMessage(["completions", "tcsh"]) == message)
        #expect(usageMessage(["completions", "bash", "zsh"]) == message)
    }

    @Test func completionsOptionWorksAnywhere() throws {
        #expect(try CommandLineParser.parse(["--completions", "bash"]) == .completions(.bash))
        #expect(try CommandLineParser.parse(["-v", "--completions", "bash"]) == .completions(.bash))
        #expect(try CommandLineParser.parse(["--json", "--completions=fish", "--quiet"]) == .completions(.fish))
        #expect(
            usageMessage(["-v", "--completions", "tcsh"])
                == "option '--completions' expects one of bash, zsh, fish, got 'tcsh'")
        #expect(usageMessage(["--completions"]) == "option '--completions' needs a value (SHELL: bash, zsh, fish)")
    }

    @Test func inspectOptionWorksAnywhere() throws {
        #expect(try CommandLineParser.parse(["-v", "--inspect", "a.png"]) == .inspect(files: ["a.png"], json: false))
        #expect(
            try CommandLineParser.parse(["a.png", "--json", "--inspect"]) == .inspect(files: ["a.png"], json: true))
    }

    @Test func editTakesImagesAndAMask() throws {
        var expected = Options()
        expected.images = ["a.png", "b.png"]
        expected.mask = "m.png"
        #expect(
            try CommandLineParser.parse(["edit", "--image", "a.png", "--image=b.png", "--mask", "m.png", "a", "hat"])
                == .edit(promptWords: ["a", "hat"], expected))
        #expect(
            try CommandLineParser.parse(["edit", "--batch", "lines.jsonl", "--image", "a.png", "--image", "b.png"])
                == .editBatch(file: "lines.jsonl", options { $0.images = ["a.png", "b.png"] }))
        #expect(
            try CommandLineParser.parse(["edit", "--batch", "lines.jsonl"])
                == .editBatch(file: "lines.jsonl", Options()))
        #expect(usageMessage(["edit", "a", "hat"])?.contains("needs at least one --image FILE") == true)
        #expect(usageMessage(["--image", "a.png", "hat"])?.hasPrefix("--image is an option of imagegen edit") == true)
        #expect(
            usageMessage(["--batch", "x", "--mask", "m.png"])?.hasPrefix("--mask is an option of imagegen edit") == true
        )
        #expect(usageMessage(["edit", "--inspect", "a.png"]) == "--inspect and edit cannot be used together")
    }

    @Test func editTakesATask() throws {
        var expected = Options()
        expected.images = ["a.png"]
        expected.task = "inpaint"
        #expect(
            try CommandLineParser.parse(["edit", "--task", "inpaint", "--image", "a.png", "a", "hat"])
                == .edit(promptWords: ["a", "hat"], expected))
        #expect(usageMessage(["edit", "--task", "paint", "--image", "a.png"])?.contains("inpaint") == true)
        #expect(usageMessage(["--task", "erase", "hat"])?.hasPrefix("--task is an option of imagegen edit") == true)
        #expect(usageMessage(["edit", "--task", "erase"])?.contains("needs at least one --image FILE") == true)
    }

    @Test func doubleDashMakesACommandWordAPrompt() throws {
        #expect(
            try CommandLineParser.parse(["--", "help", "me", "draw"])
                == .generate(promptWords: ["help", "me", "draw"], Options()))
        #expect(
            try CommandLineParser.parse(["--", "edit", "this"])
                == .generate(promptWords: ["edit", "this"], Options()))
    }

    @Test func aCommandWordElsewhereIsAPromptWord() throws {
        #expect(
            try CommandLineParser.parse(["a", "help", "b"]) == .generate(promptWords: ["a", "help", "b"], Options()))
        #expect(
            try CommandLineParser.parse(["-v", "inspect", "a.png"])
                == .generate(promptWords: ["inspect", "a.png"], options { $0.output.verbose = true }))
        #expect(try CommandLineParser.parse(["Help"]) == .generate(promptWords: ["Help"], Options()))
    }

    @Test func configAndKeysTakeTheirActionsAndOnlyTheSelectors() throws {
        var selected = Options()
        selected.profile = "work"
        #expect(
            try CommandLineParser.parse(["config", "set", "--profile", "work", "model", "dall-e-3"])
                == .config(.set("model", "dall-e-3"), selected))
        #expect(try CommandLineParser.parse(["config", "get", "model"]) == .config(.get("model"), Options()))
        #expect(try CommandLineParser.parse(["config", "unset", "model"]) == .config(.unset("model"), Options()))
        #expect(try CommandLineParser.parse(["config", "list"]) == .config(.list, Options()))
        #expect(try CommandLineParser.parse(["config", "profiles"]) == .config(.profiles, Options()))
        #expect(
            try CommandLineParser.parse(["config", "set", "--", "api-key-command", "--weird"])
                == .config(.set("api-key-command", "--weird"), Options()))
        #expect(try CommandLineParser.parse(["keys", "set", "azure"]) == .keys(.set(.azure), Options()))
        #expect(try CommandLineParser.parse(["keys", "unset", "bedrock"]) == .keys(.unset(.bedrock), Options()))
        #expect(try CommandLineParser.parse(["keys", "list", "--profile", "work"]) == .keys(.list, selected))
        #expect(usageMessage(["config"])?.hasPrefix("config needs an action") == true)
        #expect(usageMessage(["config", "set", "model", "a", "b"])?.contains("quote a value with spaces") == true)
        #expect(usageMessage(["config", "frob"])?.hasPrefix("config has no action 'frob'") == true)
        #expect(
            usageMessage(["keys", "set", "nowhere"])
                == "keys set takes a provider, one of "
                + ProviderKind.withAPIKeys.map(\.rawValue).joined(separator: ", ") + "; got 'nowhere'")
        // Vertex AI takes Google credentials, not a key.
        #expect(usageMessage(["keys", "set", "vertex_ai"])?.hasSuffix("got 'vertex_ai'") == true)
        #expect(usageMessage(["keys", "set", "openai", "--api-key", "sk-x"])?.contains("takes no options") == true)
        #expect(
            try CommandLineParser.parse(["--", "config", "a", "cat"])
                == .generate(promptWords: ["config", "a", "cat"], Options()))
    }

    @Test func aBatchLineCannotChooseTheConfiguration() {
        #expect(
            throws: ImageGenError.usage("a batch line cannot use --config or --profile; give them on the command line")
        ) {
            try CommandLineParser.parseBatchLine(["--profile", "work", "an otter"])
        }
    }
}
