import Foundation

/// Runs imagegen on a pseudo-terminal with util-linux `script`, which copies
/// everything written to the terminal (both streams, escapes included) to its stdout.
package enum Terminal {
    package struct Screen: Sendable {
        package var status: Int32
        package var output: String
    }

    package static func run(_ arguments: [String], env: [String: String], cwd: URL) async throws -> Screen {
        try await run(commandLine: arguments.map(shellQuote).joined(separator: " "), env: env, cwd: cwd)
    }

    /// `imagegen` followed by `commandLine` (already shell-quoted, redirections
    /// allowed) on a terminal of type `term`; stopped and failed after `timeout`.
    package static func run(
        commandLine: String, env: [String: String], cwd: URL, term: String = "xterm",
        timeout: Duration = .seconds(60)
    ) async throws -> Screen {
        let outcome = try await ChildProcess.run(
            ["/usr/bin/script", "-q", "-e", "-c", shellQuote(Imagegen.binary.path) + " " + commandLine, "/dev/null"],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": term, "HOME": cwd.path]
                .merging(env) { $1 },
            cwd: cwd, within: timeout)
        return Screen(status: outcome.termination.status, output: String(decoding: outcome.stdout, as: UTF8.self))
    }

    package static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
