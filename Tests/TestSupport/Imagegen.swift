import Foundation
import Testing

/// What one run of the binary produced.
package struct RunResult: Sendable {
    package var status: Int32
    package var stdoutData: Data
    package var stderr: String

    package var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    /// The non-empty lines of standard output (one path or URL per image).
    package var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    /// Standard output parsed as one JSON object (for `--json`).
    package var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: stdoutData)) as? [String: Any] }
}

/// Runs the built `imagegen` binary.
package enum Imagegen {
    /// `$IMAGEGEN_BIN`, else `imagegen` next to the test bundle (the build products directory).
    package static let binary: URL = {
        if let override = ProcessInfo.processInfo.environment["IMAGEGEN_BIN"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            .map { URL(fileURLWithPath: $0) } ?? Bundle.main.bundleURL
        let candidates = [
            exe.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent(),
            Bundle.main.bundleURL,
        ]
        for directory in candidates {
            let binary = directory.appendingPathComponent("imagegen")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        return candidates[0].appendingPathComponent("imagegen")
    }()

    /// Runs the binary in `cwd` with ONLY `PATH`, `HOME` (= `home`) and `env` in its environment,
    /// so a developer's real `OPENAI_API_KEY` never leaks in. Standard input is `stdin` (empty
    /// when nil). Output goes through files, so a large image on stdout cannot fill a pipe.
    package static func run(
        _ arguments: [String], env: [String: String] = [:], stdin: String? = nil,
        cwd: URL, home: URL, scratch: URL, timeout: Duration = .seconds(30),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RunResult {
        let fm = FileManager.default
        let id = UUID().uuidString
        let inURL = scratch.appendingPathComponent("stdin-\(id)")
        let outURL = scratch.appendingPathComponent("stdout-\(id)")
        let errURL = scratch.appendingPathComponent("stderr-\(id)")
        try Data((stdin ?? "").utf8).write(to: inURL)
        _ = fm.createFile(atPath: outURL.path, contents: nil)
        _ = fm.createFile(atPath: errURL.path, contents: nil)
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL)
        let errors = try FileHandle(forWritingTo: errURL)
        defer {
            try? input.close()
            try? output.close()
            try? errors.close()
        }

        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = cwd
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path]
            .merging(env) { _, given in given }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()

        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                process.waitUntilExit()
                Issue.record(
                    "imagegen \(arguments) did not finish within \(timeout)",
                    sourceLocation: sourceLocation)
                break
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        process.waitUntilExit()

        let result = RunResult(
            status: process.terminationStatus,
            stdoutData: try Data(contentsOf: outURL),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
        expectNoSecrets(result, secrets: secrets(in: arguments, env: env), sourceLocation: sourceLocation)
        return result
    }

    /// API keys given on the command line or in the environment: they must never be printed.
    package static func secrets(in arguments: [String], env: [String: String]) -> [String] {
        var found = env.filter { name, _ in ["KEY", "SECRET", "TOKEN"].contains { name.contains($0) } }
            .map(\.value)
        for (index, argument) in arguments.enumerated() {
            if argument == "--api-key", index + 1 < arguments.count { found.append(arguments[index + 1]) }
            if argument.hasPrefix("--api-key=") { found.append(String(argument.dropFirst(10))) }
        }
        return found.filter { $0.count >= 6 }
    }

    package static func expectNoSecrets(_ result: RunResult, secrets: [String], sourceLocation: SourceLocation) {
        for secret in secrets {
            #expect(
                !result.stdout.contains(secret), "secret \(secret) printed on stdout",
                sourceLocation: sourceLocation)
            #expect(
                !result.stderr.contains(secret), "secret \(secret) printed on stderr",
                sourceLocation: sourceLocation)
        }
    }
}
