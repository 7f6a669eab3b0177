import Synchronization

/// One value of imagegen's configuration file and where it was written.
package struct Setting: Equatable, Sendable {
    package var value: String
    /// `/home/u/.config/imagegen/config line 4`, for messages.
    package var location: String

    package init(value: String, location: String) {
        self.value = value
        self.location = location
    }

    /// How a message names it: `api-base (/home/u/.config/imagegen/config line 4)`.
    package func source(_ name: String) -> String { "\(name) (\(location))" }
}

/// What the configuration file adds below the environment (SPEC's order:
/// flag, environment, profile, built-in default). The command line fills
/// the options that have no variable; these are the ones that do, and the
/// key sources, read where credentials are resolved.
package struct Settings: Sendable {
    /// By long option name (`api-base`, `aws-region`, `api-key-command`), the
    /// selected profile's values over `[default]`'s.
    package var values: [String: Setting]
    /// The keys file `imagegen keys set` writes, and the section to read there.
    package var keysFile: String?
    package var keysSection: String
    /// A key command's answer, shared by every copy: a batch of a thousand
    /// lines runs `api-key-command` once, not a thousand times.
    package let commandAnswers = CommandAnswers()

    package init(values: [String: Setting] = [:], keysFile: String? = nil, keysSection: String = "default") {
        self.values = values
        self.keysFile = keysFile
        self.keysSection = keysSection
    }

    package subscript(name: String) -> Setting? { values[name] }
}

/// Results by command line; see `Settings.commandAnswers`.
package final class CommandAnswers: Sendable {
    private let answers = Mutex<[String: Result<String, ImageGenError>]>([:])

    package init() {}

    package func answer(
        for command: String, run: () -> Result<String, ImageGenError>
    ) -> Result<String, ImageGenError> {
        if let known = answers.withLock({ $0[command] }) { return known }
        let answer = run()
        answers.withLock { $0[command] = answer }
        return answer
    }
}
