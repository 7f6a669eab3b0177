import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
/// Invocations answered before the parser runs: the hidden
/// `--completions SHELL` (for packagers and `make install`), and a bare
/// `imagegen` typed at a terminal, which gets a short usage instead of the
/// "no prompt" error meant for scripts.
package enum EarlyCommand {
    /// The exit status when `arguments` was one of these, else nil.
    package static func run(_ arguments: [String], standardInputIsTerminal: Bool) -> Int32? {
        if arguments.first == "--completions" {
            guard arguments.count == 2, let script = Completions.script(for: arguments[1]) else {
                let shells = Completions.Shell.allCases.map(\.rawValue).joined(separator: ", ")
                StandardStreams.writeError("imagegen: --completions takes one of \(shells)\n")
                return 2
            }
            StandardStreams.writeOutput(script)
            return 0
        }
        if arguments.isEmpty && standardInputIsTerminal {
            StandardStreams.writeError(HelpText.shortUsage)
            return 2
        }
        return nil
    }
}
