import Foundation
import Testing

/// What one run of the binary produced.
package struct RunResult: Sendable {
    /// The exit status, or 128 + the signal that ended the process.
    package var status: Int32
    /// The signal that ended the process, if one did.
    package var signal: Int32?
    package var stdoutData: Data
    package var stderr: String
    /// Wall time from spawn to reaped, measured by the thread that waits, not the busy test
    /// scheduler.
    package var elapsed: Duration

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
    /// so a developer's real `OPENAI_API_KEY` never leaks in. Instance metadata is off unless `env`
    /// turns it back on: the last link of the AWS chain must not reach 169.254.169.254 from a test. Standard input is `stdin` (empty
    /// when nil). Output goes through files, so a large image on stdout cannot fill a pipe.
    /// A run still going after `timeout` is stopped and fails the test.
    package static func run(
        _ arguments: [String], env: [String: String] = [:], stdin: String? = nil,
        cwd: URL, home: URL, scratch: URL, timeout: Duration = .seconds(30),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RunResult {
        let result = try await launch(
            arguments, env: env, stdin: stdin, cwd: cwd, home: home, scratch: scratch, timeout: timeout,
            sourceLocation: sourceLocation)
        expectNoSecrets(result, secrets: secrets(in: arguments, env: env), sourceLocation: sourceLocation)
        return result
    }

    /// Runs every argument vector like `run`, at most `width` at once; results in input order.
    /// Unlike `run` it looks for no secrets in the output: random vectors may print their own
    /// words back, and the caller judges each result.
    package static func runAll(
        _ vectors: [[String]], env: [String: String], cwd: URL, home: URL, scratch: URL,
        width: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [RunResult] {
        try await withThrowingTaskGroup(of: (Int, RunResult).self) { group in
            var results = [RunResult?](repeating: nil, count: vectors.count)
            for (index, vector) in vectors.enumerated() {
                if index >= width, let (done, result) = try await group.next() { results[done] = result }
                group.addTask {
                    let result = try await launch(
                        vector, env: env, stdin: nil, cwd: cwd, home: home, scratch: scratch,
                        timeout: .seconds(30), sourceLocation: sourceLocation)
                    return (index, result)
                }
            }
            for try await (done, result) in group { results[done] = result }
            return results.map { $0! }
        }
    }

    private static func launch(
        _ arguments: [String], env: [String: String], stdin: String?, cwd: URL, home: URL, scratch: URL,
        timeout: Duration, sourceLocation: SourceLocation
    ) async throws -> RunResult {
        let id = UUID().uuidString
        let inURL = scratch.appendingPathComponent("stdin-\(id)")
        let outURL = scratch.appendingPathComponent("stdout-\(id)")
        let errURL = scratch.appendingPathComponent("stderr-\(id)")
        defer {
            for url in [inURL, outURL, errURL] { try? FileManager.default.removeItem(at: url) }
        }
        try Data((stdin ?? "").utf8).write(to: inURL)

        let child = try ChildProcess(
            [binary.path] + arguments,
            environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path, "AWS_EC2_METADATA_DISABLED": "true",
            ]
            .merging(env) { _, given in given },
            cwd: cwd, stdin: .file(inURL), stdout: .file(outURL), stderr: .file(errURL))
        let outcome: ChildProcess.Outcome
        do {
            outcome = try await child.finish(within: timeout)
        } catch {
            let stderr = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            Issue.record(
                "imagegen \(arguments) did not finish within \(timeout) (\(error)); stderr: \(stderr)",
                sourceLocation: sourceLocation)
            throw error
        }

        return RunResult(
            status: outcome.termination.status, signal: outcome.termination.signal,
            stdoutData: try Data(contentsOf: outURL),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            elapsed: outcome.elapsed)
    }

    /// API keys given on the command line or in the environment: they must never be printed.
    package static func secrets(in arguments: [String], env: [String: String]) -> [String] {
        // `AWS_WEB_IDENTITY_TOKEN_FILE` and its kind name where a secret is, not the secret.
        var found = env.filter { name, _ in
            ["KEY", "SECRET", "TOKEN"].contains { name.contains($0) } && !name.hasSuffix("_FILE")
        }
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
