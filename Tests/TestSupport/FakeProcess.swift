import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One python fake from Fakes/ in a child process. Its first stdout line announces its
/// ports ("PORT <n>", or "PORT <n> CONTROL <m>"); nothing else is ever written there. Its
/// standard input is a pipe only we hold, so it exits when we close it or the test process
/// dies.
package final class FakeProcess: @unchecked Sendable {
    /// The announced numbers by label, e.g. ["PORT": 4711, "CONTROL": 4712].
    package let ports: [String: Int]
    private let child: ChildProcess

    package static func script(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EndToEndTests/Fakes").appendingPathComponent(name)
    }

    /// Runs `python3 Fakes/<script> arguments` with `environment` added to ours, and waits
    /// up to `limit` for a first line that announces exactly `labels`; a fake that does not
    /// fails the test with what it said, instead of holding it.
    package init(
        script: String, arguments: [String] = [], environment: [String: String] = [:],
        labels: [String] = ["PORT"], within limit: Duration = .seconds(30)
    ) async throws {
        child = try ChildProcess(
            ["python3", Self.script(script).path] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new },
            stdin: .pipe, stdout: .pipe)
        let line: String
        do {
            line = try await child.readLine(within: limit) ?? ""
        } catch {
            child.stop()
            throw FakeServerError.startFailed("\(script): \(error)")
        }
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        var ports: [String: Int] = [:]
        for index in stride(from: 0, to: words.count - 1, by: 2) {
            ports[words[index]] = Int(words[index + 1])
        }
        guard words.count == 2 * labels.count, labels.allSatisfy({ ports[$0] != nil }) else {
            let ended = child.stop().map { " (\($0))" } ?? ""
            throw FakeServerError.startFailed("\(script) announced \(line.debugDescription)\(ended), not \(labels)")
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

    /// Ends the fake within about two seconds whatever it does (see `ChildProcess.stop`).
    package func stop() { child.stop() }
}

package enum FakeServerError: Error {
    case startFailed(String)
    case badLog
}
