import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
/// Everything the command line said, before the environment is consulted.
/// Produced by `CommandLineParser`, consumed by `CommandLineTool`.
package struct Options: Equatable, Sendable {
    // Generation (SPEC §2). `promptWords` may be empty: the prompt then comes from stdin.
    package var promptWords: [String] = []
    package var model: String?
    package var n: Int?
    package var size: String?
    package var quality: String?
    package var style: String?
    package var responseFormat: String?
    package var user: String?
    package var provider: ProviderKind?
    package var params: [Param] = []

    package var connection = ConnectionOptions()
    package var output = OutputOptions()

    package var batchFile: String?
    package var concurrency: Int?
    package var maxCost: Double?
    package var preview = false
    /// Non-nil when `--inspect FILE...` was given: the files to inspect.
    package var inspectFiles: [String]?

    package init() {}
}

/// One `--param KEY=VALUE`; VALUE already parsed as JSON when it was valid JSON.
package struct Param: Equatable, Sendable {
    package var key: String
    package var value: JSON
    package init(key: String, value: JSON) {
        self.key = key
        self.value = value
    }
}



/// What the command line asks the tool to do.
package enum Command: Equatable, Sendable {
    case help
    case version
    case run(Options)
}
