import Foundation

/// Runs imagegen on a pseudo-terminal with util-linux `script`, which copies
/// everything written to the terminal (both streams, escapes included) to its stdout.
package enum Terminal {
    package struct Screen: Sendable {
        package var status: Int32
        package var output: String
    }

    package static func run(_ arguments: [String], env: [String: String], cwd: URL) throws -> Screen {
        try run(commandLine: arguments.map(shellQuote).joined(separator: " "), env: env, cwd: cwd)
    }

    /// `imagegen` followed by `commandLine` (already shell-quoted, redirections
    /// allowed) on a terminal of type `term`.
    package static func run(
        commandLine: String, env: [String: String], cwd: URL, term: String = "xterm"
    ) throws -> Screen {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", shellQuote(Imagegen.binary.path) + " " + commandLine, "/dev/null"]
        process.currentDirectoryURL = cwd
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": term, "HOME": cwd.path]
            .merging(env) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Screen(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    package static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
