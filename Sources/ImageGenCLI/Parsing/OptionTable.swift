import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders

/// One command-line option. The parser and `--help` both read this table, so an
/// option cannot be accepted without being documented, or documented without
/// being accepted.
package struct OptionSpec: Sendable {
    package enum Group: CaseIterable, Sendable {
        case generation, output, connection, other

        package var title: String {
            switch self {
            case .generation: return "Generation options (sent to the provider):"
            case .output: return "Output options:"
            case .connection: return "Connection options (a flag beats the environment):"
            case .other: return "Other options:"
            }
        }
    }

    enum Kind: Sendable {
        case flag(@Sendable (inout Options) -> Void)
        /// `hint` completes "needs a value (...)" when the value is missing.
        case value(
            placeholder: String, hint: String,
            apply: @Sendable (inout Options, String) throws(InvalidValue) -> Void)
        /// A command switch whose operands are the words (`--inspect FILE...`).
        case operands(placeholder: String, CommandSwitch)
        /// `--help`, `--version`: a command switch without a value.
        case command(CommandSwitch)
        /// `--batch FILE`, `--completions SHELL`: a command switch with a value.
        case commandValue(
            placeholder: String, hint: String,
            make: @Sendable (String) throws(InvalidValue) -> CommandSwitch)
        /// `--json`, `--json=FIELD,...`, or `--json FIELD,...` when the next
        /// word can only be a field list (`JSONFieldNames`); nil: no fields named.
        case fieldList(placeholder: String, apply: @Sendable (inout Options, [String]?) -> Void)
    }

    /// Without the leading `--`.
    package let long: String
    package let short: Character?
    package let group: Group
    package let help: String
    /// Environment variables consulted when the option is absent, as shown in `--help`.
    package let environment: String?
    package let defaultValue: String?
    let kind: Kind
    /// Whether the configuration file may set it (`model = gpt-image-2`): a
    /// default worth keeping, not a secret or one run's input.
    package var isSetting = false

    /// Shown after the option name in `--help`; nil for flags.
    package var placeholder: String? {
        switch kind {
        case .flag, .command, .fieldList: return nil
        case .value(let placeholder, _, _), .operands(let placeholder, _), .commandValue(let placeholder, _, _):
            return placeholder
        }
    }

    package var takesValue: Bool {
        switch kind {
        case .value, .commandValue: return true
        case .flag, .command, .operands, .fieldList: return false
        }
    }

    /// The value a flag may take after `=` (`--json[=FIELD,...]`), for `--help`.
    package var optionalValue: String? {
        if case .fieldList(let placeholder, _) = kind { return placeholder }
        return nil
    }
}

/// Why a value was refused; the parser adds the option name and the value.
package struct InvalidValue: Error {
    /// Completes "option '--x' expects ...".
    let expected: String
    var note: String?
}

package enum OptionTable {
    /// In `--help` order: by group, most common first within a group.
    package static let all: [OptionSpec] = generation + output + connection + other

    /// `--provider`'s values, from the providers themselves: `a, b or c`.
    static let providerNames: String = {
        let names = ProviderKind.allCases.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }()

    static func find(long name: String) -> OptionSpec? {
        all.first { $0.long == name }
    }

    static func find(short letter: Character) -> OptionSpec? {
        all.first { $0.short == letter }
    }

    /// A flag is a setting only when `setting` says so: the command line
    /// has no way to turn off what the file turned on.
    private static func flag(
        _ long: String, _ short: Character? = nil, _ group: OptionSpec.Group,
        _ help: String, setting: Bool = false,
        _ apply: @escaping @Sendable (inout Options) -> Void
    ) -> OptionSpec {
        OptionSpec(
            long: long, short: short, group: group, help: help, environment: nil,
            defaultValue: nil, kind: .flag(apply), isSetting: setting)
    }

    /// A value option is a setting unless `setting` is false (secrets, one
    /// run's inputs, the options that choose the configuration itself).
    private static func value(
        _ long: String, _ short: Character? = nil, _ placeholder: String, _ group: OptionSpec.Group,
        _ help: String, hint: String? = nil, env: String? = nil, default defaultValue: String? = nil,
        setting: Bool = true,
        _ apply: @escaping @Sendable (inout Options, String) throws(InvalidValue) -> Void
    ) -> OptionSpec {
        OptionSpec(
            long: long, short: short, group: group, help: help, environment: env,
            defaultValue: defaultValue,
            kind: .value(placeholder: placeholder, hint: hint ?? placeholder, apply: apply), isSetting: setting)
    }

    private static let generation: [OptionSpec] = [
        value(
            "model", "m", "MODEL", .generation,
            "Model: an OpenAI model (imagegen models lists them), azure/DEPLOYMENT, "
                + "bedrock/MODEL-ID, or openai/NAME for an OpenAI-compatible server.",
            hint: "MODEL, e.g. gpt-image-2", env: "IMAGEGEN_MODEL",
            default: ModelCatalogue.defaultModel + ", the catalogue's recommended model"
        ) { o, v in
            o.model = v
        },
        value(
            "n", "n", "N", .generation, "Number of images to generate, 1 or more.",
            hint: "N, \(Limits.describe(Limits.images))"
        ) { o, v throws(InvalidValue) in
            o.parameters.n = try OptionValue.wholeNumber(v, in: Limits.images)
        },
        value(
            "size", "s", "WxH", .generation, "Image size, e.g. 1024x1024, or auto (GPT image models).",
            hint: "WxH, e.g. 1024x1024"
        ) { o, v throws(InvalidValue) in
            o.parameters.size = try OptionValue.size(v)
        },
        value(
            "quality", nil, "Q", .generation,
            "Image quality: low, medium, high or auto (GPT image models; some add xhigh "
                + "and max); standard or hd (dall-e-3).", hint: "Q, e.g. high"
        ) { o, v in
            o.parameters.quality = v
        },
        value(
            "style", nil, "S", .generation, "Image style: vivid or natural (dall-e-3).",
            hint: "S, e.g. vivid"
        ) { o, v in
            o.parameters.style = v
        },
        value(
            "response-format", nil, "F", .generation,
            "How the provider returns images: url or b64_json.",
            hint: "url or b64_json"
        ) { o, v throws(InvalidValue) in
            o.parameters.responseFormat = try OptionValue.oneOf(v, ["url", "b64_json"])
        },
        value(
            "background", nil, "B", .generation,
            "Background: transparent, opaque or auto (GPT image models; transparent needs png or webp).",
            hint: "transparent, opaque or auto"
        ) { o, v throws(InvalidValue) in
            o.parameters.background = try OptionValue.oneOf(v, ["transparent", "opaque", "auto"])
        },
        value(
            "output-format", nil, "F", .generation,
            "Image format the provider encodes: png, jpeg or webp; the file's extension follows it.",
            hint: "png, jpeg or webp"
        ) { o, v throws(InvalidValue) in
            o.parameters.outputFormat = try OptionValue.oneOf(v, ["png", "jpeg", "webp"])
        },
        value(
            "output-compression", nil, "PERCENT", .generation,
            "Compression for jpeg and webp output, 0 to 100.",
            hint: "PERCENT, \(Limits.describe(0...100))"
        ) { o, v throws(InvalidValue) in
            o.parameters.outputCompression = try OptionValue.wholeNumber(v, in: 0...100)
        },
        value(
            "moderation", nil, "M", .generation, "Content moderation: auto or low (GPT image models).",
            hint: "auto or low"
        ) { o, v throws(InvalidValue) in
            o.parameters.moderation = try OptionValue.oneOf(v, ["auto", "low"])
        },
        value(
            "seed", nil, "N", .generation, "Random seed, for models that take one (Bedrock's).",
            hint: "N, \(Limits.describe(Limits.seeds))"
        ) { o, v throws(InvalidValue) in
            o.parameters.seed = try OptionValue.wholeNumber(v, in: Limits.seeds)
        },
        value(
            "base-model", nil, "MODEL", .generation,
            "The model an Azure deployment with a name of its own serves, for its checks and price "
                + "(LiteLLM's base_model).",
            hint: "MODEL, e.g. gpt-image-2"
        ) { o, v in
            o.baseModel = v
        },
        value("user", nil, "ID", .generation, "End-user identifier passed to the provider.") { o, v in
            o.parameters.user = v
        },
        value(
            "provider", nil, "NAME", .generation,
            "Force the provider: \(providerNames) (otherwise it follows from the model name).",
            hint: providerNames
        ) { o, v throws(InvalidValue) in
            let name = try OptionValue.oneOf(v, ProviderKind.allCases.map(\.rawValue))
            o.provider = ProviderKind(rawValue: name)
        },
        value(
            "image", nil, "FILE", .generation,
            "Image to edit (imagegen edit only), repeatable: png, jpeg or webp as the model accepts; "
                + "only its base name is sent.",
            hint: "FILE, e.g. photo.png", setting: false
        ) { o, v in
            o.images.append(v)
        },
        value(
            "mask", nil, "FILE", .generation,
            "PNG with an alpha channel, the size of the first --image, whose transparent pixels "
                + "mark where to edit (imagegen edit only).",
            hint: "FILE, a PNG with alpha", setting: false
        ) { o, v in
            o.mask = v
        },
        value(
            "task", nil, "T", .generation,
            "What imagegen edit asks of the model (imagegen edit only): "
                + EditTask.names.joined(separator: ", ") + "; default edit. A model performs the tasks "
                + "imagegen models lists for it.",
            hint: EditTask.names.joined(separator: ", "), setting: false
        ) { o, v throws(InvalidValue) in
            o.task = try OptionValue.oneOf(v, EditTask.names)
        },
        flag(
            "stream", nil, .generation,
            "Stream the answer (GPT image models): partial images arrive as the image forms, drawn in "
                + "place with --preview, saved with --partial-dir and, with --json, announced as JSON lines; "
                + "only the final image is written."
        ) { $0.stream = true },
        value(
            "partial-images", nil, "N", .generation,
            "Partial images a --stream answer carries before the final one, 0 to 3; default 2.",
            // Not a setting: it goes with --stream, which a file cannot turn on.
            hint: "N, \(Limits.describe(0...3))", setting: false
        ) { o, v throws(InvalidValue) in
            o.partialImages = try OptionValue.wholeNumber(v, in: 0...3)
        },
        value(
            "param", nil, "KEY=VALUE", .generation,
            "Extra provider field, repeatable. VALUE is read as JSON when it is "
                + "valid JSON, else as a string: --param seed=42 --param "
                + "style_preset=photographic.",
            hint: "KEY=VALUE, e.g. seed=42", setting: false
        ) { o, v throws(InvalidValue) in
            o.parameters.extra.append(try OptionValue.param(v))
        },
    ]

    private static let output: [OptionSpec] = [
        value(
            "output", "o", "PATH", .output,
            "Where images go. A directory (or a path ending in /) gets generated "
                + "names; any other path is a file name, numbered -1, -2, ... before "
                + "the extension for several images unless it holds {i}; - writes the "
                + "single image to standard output. Fields: {line} {slug} {model} {hash} "
                + "{n} {seed} {date} {i}.",
            hint: "PATH, a directory, a file name or -",
            default: "the current directory"
        ) { o, v in
            o.output.output = v
        },
        OptionSpec(
            long: "json", short: nil, group: .output,
            help: "Print one JSON document (the provider's result plus file, format, "
                + "width, height, bytes) instead of paths. With FIELD,... only those fields, "
                + "top-level or of each data[] item: --json=file,cost_usd (one field needs the =). "
                + "b64_json is left out of images written to a file unless named.",
            environment: nil, defaultValue: nil,
            kind: .fieldList(placeholder: "FIELD,...") { o, fields in
                o.output.json = true
                o.output.fields = fields.map(FieldSelection.init)
            }),
        flag(
            "no-history", nil, .output,
            "Do not append this run's generations to the history (imagegen history)."
        ) { $0.history = false },
        flag("force", nil, .output, "Overwrite existing files.") { $0.output.force = true },
        flag(
            "skip-existing", nil, .output,
            "Send nothing for a generation (or batch line) whose files all exist already, as "
                + "curl's --skip-existing: re-runs with fixed names (-o 'out/{line}.png') pay once.",
            setting: true
        ) { $0.output.skipExisting = true },
        flag(
            "no-download", nil, .output,
            "Print the URLs the provider answers with instead of downloading the images."
        ) {
            $0.output.noDownload = true
        },
        flag("quiet", nil, .output, "Print nothing on standard error but errors.", setting: true) {
            $0.output.quiet = true
        },
        flag(
            "verbose", "v", .output,
            "Print request and response summaries on standard error, secrets redacted."
        ) {
            $0.output.verbose = true
        },
        flag(
            "dry-run", nil, .output,
            "Print each HTTP request that would be sent, secrets redacted, and exit "
                + "without using the network."
        ) { $0.output.dryRun = true },
        flag(
            "no-metadata", nil, .output,
            "Do not embed the prompt, model and parameters in written PNGs.", setting: true
        ) {
            $0.output.noMetadata = true
        },
        flag(
            "preview", nil, .output, "Draw each image on standard error when it is a terminal.", setting: true
        ) {
            $0.preview = true
        },
        value(
            "partial-dir", nil, "DIR", .output,
            "Save each partial image of --stream in DIR as NAME.partial-K.EXT, NAME being the final "
                + "image's.",
            hint: "DIR, a directory", setting: false
        ) { o, v in
            o.partialDir = v
        },
    ]

    private static let connection: [OptionSpec] = [
        value(
            "api-key", nil, "KEY", .connection,
            "API key for the provider; for Bedrock, a Bedrock API key.",
            env: "OPENAI_API_KEY; Azure: AZURE_API_KEY, AZURE_OPENAI_API_KEY, "
                + "else AZURE_AD_TOKEN; Bedrock: AWS_BEARER_TOKEN_BEDROCK; Google AI Studio: GEMINI_API_KEY; "
                + "Black Forest Labs: BFL_API_KEY, BLACK_FOREST_LABS_API_KEY; Recraft: RECRAFT_API_KEY; "
                + "OpenRouter: OPENROUTER_API_KEY; Xinference: XINFERENCE_API_KEY; Nscale: NSCALE_API_KEY; "
                + "then the configuration (see CONFIGURATION)",
            setting: false
        ) { o, v in
            o.connection.apiKey = v
        },
        value(
            "api-key-file", nil, "FILE", .connection,
            "File holding the API key (a trailing newline is removed): unlike --api-key, not shown "
                + "to other users in the process list.",
            env: "each key variable with _FILE added, e.g. OPENAI_API_KEY_FILE, AZURE_API_KEY_FILE, "
                + "AWS_BEARER_TOKEN_BEDROCK_FILE"
        ) { o, v in
            o.connection.apiKeyFile = v
        },
        value(
            "api-base", nil, "URL", .connection,
            "Base URL of the API, e.g. http://localhost:8000/v1 for a compatible server.",
            env: "OPENAI_API_BASE, OPENAI_BASE_URL; Azure: AZURE_API_BASE, "
                + "AZURE_OPENAI_ENDPOINT; Bedrock: AWS_BEDROCK_RUNTIME_ENDPOINT; Google AI Studio: GEMINI_API_BASE; "
                + "BFL_API_BASE, RECRAFT_API_BASE, OPENROUTER_API_BASE, XINFERENCE_API_BASE, NSCALE_API_BASE",
            default: "https://api.openai.com/v1 (OpenAI), "
                + "https://bedrock-runtime.REGION.amazonaws.com (Bedrock), "
                + "https://generativelanguage.googleapis.com/v1beta (Google AI Studio), "
                + "https://LOCATION-aiplatform.googleapis.com/v1 (Vertex AI)"
        ) { o, v in
            o.connection.apiBase = v
        },
        value(
            "api-version", nil, "V", .connection,
            "Azure OpenAI API version; preview, latest or v1 select Azure's v1 API.",
            env: "AZURE_API_VERSION",
            default: AzureConfiguration.defaultAPIVersion + " (serves the GPT image models)"
        ) { o, v in
            o.connection.apiVersion = v
        },
        value(
            "organization", nil, "ORG", .connection,
            "OpenAI organization (OpenAI-Organization header).",
            env: "OPENAI_ORGANIZATION"
        ) { o, v in
            o.connection.organization = v
        },
        value(
            "timeout", nil, "SECONDS", .connection,
            "Time limit per attempt of a request, in seconds; also how long a submitted "
                + "Black Forest Labs task may stay pending.",
            hint: "SECONDS, e.g. 120", default: "600"
        ) { o, v throws(InvalidValue) in
            o.connection.timeout = try OptionValue.decimal(v, positive: true, maximum: Limits.timeout)
        },
        value(
            "max-filesize", nil, "BYTES", .connection,
            "Largest answer accepted, API answer or image download alike; a larger "
                + "one is refused at once. K is 1024 bytes, M 1024 K, G 1024 M.",
            hint: "BYTES, e.g. 512M",
            default: TransferSettings.sizeText(TransferSettings.defaultMaxFileSize)
        ) { o, v throws(InvalidValue) in
            o.connection.maxFileSize = try OptionValue.byteSize(v)
        },
        value(
            "max-retries", nil, "N", .connection,
            "Retries on 408, 429, 5xx and failed connections.",
            hint: "N, \(Limits.describe(Limits.retries))", default: "2"
        ) { o, v throws(InvalidValue) in
            o.connection.maxRetries = try OptionValue.wholeNumber(v, in: Limits.retries)
        },
        value(
            "aws-region", nil, "R", .connection, "AWS region for Bedrock.",
            hint: "R, e.g. us-west-2",
            env: "AWS_REGION_NAME, AWS_REGION, AWS_DEFAULT_REGION, profile config",
            default: "us-east-1"
        ) { o, v in
            o.connection.awsRegion = v
        },
        value(
            "aws-profile", nil, "P", .connection,
            "Profile to read from ~/.aws/credentials and ~/.aws/config.",
            env: "AWS_PROFILE (files: AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE)",
            default: "default"
        ) { o, v in
            o.connection.awsProfile = v
        },
        value(
            "aws-access-key-id", nil, "ID", .connection, "AWS access key ID.",
            env: "AWS_ACCESS_KEY_ID", setting: false
        ) { o, v in
            o.connection.awsAccessKeyID = v
        },
        value(
            "aws-secret-access-key", nil, "KEY", .connection, "AWS secret access key.",
            env: "AWS_SECRET_ACCESS_KEY", setting: false
        ) { o, v in
            o.connection.awsSecretAccessKey = v
        },
        value(
            "aws-session-token", nil, "TOKEN", .connection,
            "AWS session token for temporary credentials.", env: "AWS_SESSION_TOKEN",
            setting: false
        ) { o, v in
            o.connection.awsSessionToken = v
        },
        value(
            "vertex-project", nil, "PROJECT", .connection, "Google Cloud project for Vertex AI.",
            hint: "PROJECT, e.g. my-project-123",
            env: "VERTEXAI_PROJECT, GOOGLE_CLOUD_PROJECT, the credentials file"
        ) { o, v in
            o.connection.vertexProject = v
        },
        value(
            "vertex-location", nil, "LOCATION", .connection, "Vertex AI location (region), or global.",
            hint: "LOCATION, e.g. us-central1", env: "VERTEXAI_LOCATION",
            default: VertexConfiguration.defaultLocation
        ) { o, v in
            o.connection.vertexLocation = v
        },
        value(
            "vertex-credentials", nil, "FILE", .connection,
            "Google credentials for Vertex AI: a service-account key or authorized_user file, or its JSON; "
                + "otherwise the gcloud credentials file, then the metadata server.",
            hint: "FILE, e.g. key.json",
            env: "VERTEXAI_CREDENTIALS, GOOGLE_APPLICATION_CREDENTIALS"
        ) { o, v in
            o.connection.vertexCredentials = v
        },
        value(
            "cacert", nil, "FILE", .connection,
            "CA certificates (PEM) to verify servers with; TLS is always verified.",
            env: "CURL_CA_BUNDLE, SSL_CERT_FILE", default: "the system trust store"
        ) { o, v in
            o.connection.caCert = v
        },
    ]

    private static let other: [OptionSpec] = [
        value(
            "profile", nil, "NAME", .other,
            "Read the settings of [profile NAME] in the configuration file, over those of [default].",
            hint: "NAME, e.g. work", env: "IMAGEGEN_PROFILE", default: "default", setting: false
        ) { o, v in
            o.profile = v
        },
        value(
            "config", nil, "FILE", .other, "Read settings from FILE instead of the usual configuration file.",
            env: "IMAGEGEN_CONFIG", default: "$XDG_CONFIG_HOME/imagegen/config, else ~/.config/imagegen/config",
            setting: false
        ) { o, v in
            o.configFile = v
        },
        OptionSpec(
            long: "batch", short: nil, group: .other,
            help: "Generate for every line of FILE: JSON Lines ({\"prompt\": ..., "
                + "\"model\": ..., ...}) or plain prompts, one per line; - reads "
                + "standard input.",
            environment: nil, defaultValue: nil,
            kind: .commandValue(placeholder: "FILE", hint: "FILE, or - for standard input") {
                .batch(file: $0)
            }),
        value(
            "concurrency", nil, "K", .other,
            "Requests in flight at once (-n fan-out, --batch).",
            hint: "K, \(Limits.describe(Limits.concurrency))", default: "4"
        ) { o, v throws(InvalidValue) in
            o.concurrency = try OptionValue.wholeNumber(v, in: Limits.concurrency)
        },
        value(
            "joblog", nil, "FILE", .other,
            "With --batch, append a JSON line to FILE as each batch line finishes (its index, "
                + "a hash of its text, outcome, files and cost), for --resume.",
            hint: "FILE", setting: false
        ) { o, v in
            o.joblog = v
        },
        flag(
            "resume", nil, .other,
            "With --joblog, skip the batch lines already in the job log: an interrupted "
                + "batch goes on where it stopped."
        ) { $0.resume = .skipLogged },
        flag(
            "resume-failed", nil, .other,
            "With --joblog, skip the batch lines the job log says succeeded and run the "
                + "failed ones again."
        ) { $0.resume = .retryFailed },
        value(
            "shard", nil, "K/N", .other,
            "Run only shard K of N of the --batch file: the lines whose number, from 0, "
                + "leaves K-1 divided by N (one shard per machine or job).",
            hint: "K/N, whole numbers with 1 <= K <= N, e.g. 2/8", setting: false
        ) { o, v throws(InvalidValue) in
            guard let shard = BatchShard.parse(v) else {
                throw InvalidValue(expected: "K/N, whole numbers with 1 <= K <= N (e.g. 2/8)")
            }
            o.shard = shard
        },
        value(
            "rate", nil, "N/U", .other,
            "Start at most N requests per second (s), minute (m), hour (h) or day (d), "
                + "evenly spaced, across every transfer: a provider's rate limit without 429s.",
            hint: "N/s, N/m, N/h or N/d"
        ) { o, v throws(InvalidValue) in
            o.rate = try OptionValue.rate(v)
        },
        value(
            "max-cost", nil, "USD", .other,
            "Refuse, sending nothing, a run whose estimated cost is higher, or "
                + "whose model has no known price.",
            hint: "USD, e.g. 0.50"
        ) { o, v throws(InvalidValue) in
            o.maxCost = try OptionValue.decimal(v, positive: false, maximum: Limits.cost)
        },
        value(
            "since", nil, "DATE", .other,
            "List or total only the generations since DATE, YYYY-MM-DD (UTC) or an ISO 8601 time "
                + "(imagegen history only).",
            hint: "DATE, YYYY-MM-DD or e.g. 2026-11-29T10:00Z", setting: false
        ) { o, v throws(InvalidValue) in
            guard let since = Timestamp.parse(v) else {
                throw InvalidValue(expected: "a date, YYYY-MM-DD, or an ISO 8601 time such as 2026-11-29T10:00:00Z")
            }
            o.since = since
        },
        flag(
            "cost", nil, .other,
            "Total the spending per day and model instead of listing generations (imagegen history only)."
        ) { $0.costSummary = true },
        flag(
            "live", nil, .other,
            "Ask the provider which models it serves now (imagegen models only), merged with the "
                + "catalogue; their life cycle is cached for later runs."
        ) { $0.live = true },
        OptionSpec(
            long: "inspect", short: nil, group: .other,
            help: "Print format, size and embedded metadata of existing images "
                + "instead of generating.",
            environment: nil, defaultValue: nil,
            kind: .operands(placeholder: "FILE...", .inspect)),
        OptionSpec(
            long: "completions", short: nil, group: .other,
            help: "Print the completion script for SHELL (bash, zsh or fish) instead of generating.",
            environment: nil, defaultValue: nil,
            kind: .commandValue(placeholder: "SHELL", hint: "SHELL: \(Completions.Shell.names)") {
                v throws(InvalidValue) in
                guard let shell = Completions.Shell(rawValue: v) else {
                    throw InvalidValue(expected: "one of \(Completions.Shell.names)")
                }
                return .completions(shell)
            }),
        OptionSpec(
            long: "help", short: "h", group: .other, help: "Print this help and exit.",
            environment: nil, defaultValue: nil, kind: .command(.help)),
        OptionSpec(
            long: "version", short: nil, group: .other, help: "Print the version and exit.",
            environment: nil, defaultValue: nil, kind: .command(.version)),
    ]
}
