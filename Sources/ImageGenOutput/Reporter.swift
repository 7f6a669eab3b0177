import ImageGenCore
import ImageGenHTTP

/// The one place errors and notices become text: every line the tool
/// writes for people on standard error comes through here, prefixed with
/// `imagegen: `, with every known secret redacted, and stripped of control
/// characters and escape sequences, since much of it is a provider's words
/// and a terminal would obey them (`--json` keeps the exact text, escaped).
package struct Reporter: Sendable {
    package var standardError: StreamWriter
    package var redactor: Redactor
    /// `--quiet`: notices are dropped, errors never are.
    package var quiet: Bool

    package init(standardError: StreamWriter, redactor: Redactor, quiet: Bool = false) {
        self.standardError = standardError
        self.redactor = redactor
        self.quiet = quiet
    }

    /// `imagegen: [context: ]message[ (N times)]`.
    package func error(_ error: ImageGenError, context: String? = nil, repeats: Int = 1) {
        standardError.write(line(for: error, context: context, repeats: repeats))
    }

    package func line(for error: ImageGenError, context: String? = nil, repeats: Int = 1) -> String {
        let prefix = context.map { $0 + ": " } ?? ""
        let count = repeats > 1 ? " (\(repeats) times)" : ""
        return "imagegen: " + prefix + TerminalText.sanitized(redactor.redact(error.message)) + count + "\n"
    }

    /// A message that is not an error (an estimate, a note); not under `--quiet`.
    package func notice(_ text: String) {
        guard !quiet else { return }
        standardError.write("imagegen: " + TerminalText.sanitized(redactor.redact(text)) + "\n")
    }
}
