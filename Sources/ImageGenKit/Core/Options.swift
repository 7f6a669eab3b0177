/// Everything the command line said, before the environment is consulted.
/// Produced by `CommandLineParser`, consumed by `CommandLineTool`.
public struct Options: Equatable, Sendable {
    // Generation (SPEC §2). `promptWords` may be empty: the prompt then comes from stdin.
    public var promptWords: [String] = []
    public var model: String?
    public var n: Int?
    public var size: String?
    public var quality: String?
    public var style: String?
    public var responseFormat: String?
    public var user: String?
    public var provider: ProviderKind?
    public var params: [Param] = []

    public var connection = ConnectionOptions()
    public var output = OutputOptions()

    public var batchFile: String?
    public var concurrency: Int?
    public var maxCost: Double?
    public var preview = false
    /// Non-nil when `--inspect FILE...` was given: the files to inspect.
    public var inspectFiles: [String]?

    public init() {}
}

/// One `--param KEY=VALUE`; VALUE already parsed as JSON when it was valid JSON.
public struct Param: Equatable, Sendable {
    public var key: String
    public var value: JSON
    public init(key: String, value: JSON) {
        self.key = key
        self.value = value
    }
}

/// Connection flags. Each is nil when not given, so the environment can fill it.
public struct ConnectionOptions: Equatable, Sendable {
    public var apiKey: String?
    public var apiBase: String?
    public var apiVersion: String?
    public var organization: String?
    /// Seconds per attempt; SPEC default 600.
    public var timeout: Double?
    public var maxRetries: Int?
    public var awsRegion: String?
    public var awsAccessKeyID: String?
    public var awsSecretAccessKey: String?
    public var awsSessionToken: String?
    public var awsProfile: String?
    public var caCert: String?
    public init() {}
}

public struct OutputOptions: Equatable, Sendable {
    /// `-o PATH`; nil means the current directory with generated names.
    public var output: String?
    public var noDownload = false
    public var force = false
    public var json = false
    public var noMetadata = false
    public var quiet = false
    public var verbose = false
    public var dryRun = false
    public init() {}
}

/// What the command line asks the tool to do.
public enum Command: Equatable, Sendable {
    case help
    case version
    case run(Options)
}
