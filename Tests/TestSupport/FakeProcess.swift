import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One python fake from Fakes/ in a child process. Its first stdout line announces its
/// ports ("PORT <n>", or "PORT <n> CONTROL <m>"); nothing else is ever written there. Its
/// standard input is our pipe, so it also exits when the test process dies.
package final class FakeProcess: @unchecked Sendable {
    /// The announced numbers by label, e.g. ["PORT": 4711, "CONTROL": 4712].
    package let ports: [String: Int]
    private let process: Process
    private let stdinPipe = Pipe()

    package static func script(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EndToEndTests/Fakes").appendingPathComponent(name)
    }

    /// Runs `python3 Fakes/<script> arguments` with `environment` added to ours, and waits
    /// for a first line that announces exactly `labels`.
    package init(
        script: String, arguments: [String] = [], environment: [String: String] = [:],
        labels: [String] = ["PORT"]
    ) async throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script(script).path] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        try process.run()

        let line: String
        do {
            line = try await Self.firstLine(of: stdoutPipe.fileHandleForReading, within: .seconds(30))
        } catch {
            process.terminate()
            throw error
        }
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        var ports: [String: Int] = [:]
        for index in stride(from: 0, to: words.count - 1, by: 2) {
            ports[words[index]] = Int(words[index + 1])
        }
        guard words.count == 2 * labels.count, labels.allSatisfy({ ports[$0] != nil }) else {
            process.terminate()
            throw FakeServerError.startFailed(line)
        }
        self.ports = ports
    }

    deinit { stop() }

    /// The "PORT" number.
    package var port: Int { ports["PORT"]! }

    /// The fake's request log (`GET /__log` on `port`, or `control` when given).
    package func log(control: String = "PORT") async throws -> [[String: Any]] {
        let url = URL(string: "http://127.0.0.1:\(ports[control]!)/__log")!
        let (data, _) = try await URLSession.shared.data(from: url)
        guard let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw FakeServerError.badLog
        }
        return entries
    }

    package func stop() {
        guard process.isRunning else { return }
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// Reads on a dispatch thread: a blocking read inside the concurrency pool (two threads on
    /// two cores) stalls every other test. A fake that never answers fails the test instead of
    /// hanging it.
    private static func firstLine(of handle: FileHandle, within limit: Duration) async throws -> String {
        let once = ResumeOnce()
        return try await withCheckedThrowingContinuation { continuation in
            once.set(continuation)
            DispatchQueue.global().async {
                var line = Data()
                while !line.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    line.append(chunk)
                }
                once.resume(
                    with: .success(
                        String(decoding: line, as: UTF8.self)
                            .trimmingCharacters(in: .whitespacesAndNewlines)))
            }
            let seconds = Double(limit.components.seconds)
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) {
                once.resume(with: .failure(FakeServerError.startFailed("no PORT line within \(limit)")))
            }
        }
    }

    /// Whichever of the reader and the deadline finishes first resumes the waiter.
    private final class ResumeOnce: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<String, any Error>?

        func set(_ continuation: CheckedContinuation<String, any Error>) {
            lock.withLock { self.continuation = continuation }
        }

        func resume(with result: Result<String, any Error>) {
            lock.withLock {
                defer { continuation = nil }
                return continuation
            }?.resume(with: result)
        }
    }
}

package enum FakeServerError: Error {
    case startFailed(String)
    case badLog
}
