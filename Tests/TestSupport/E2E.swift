import Foundation
import Testing

/// One test's world: its own fake server and a fresh temporary directory holding the
/// working directory (`cwd`, where images land), a `home` and a `scratch` area for
/// captured stdio. Everything is removed and the fake stopped when the test lets go of it.
package final class E2E: @unchecked Sendable {
    package let fake: FakeOpenAIServer
    package let root: URL
    package let cwd: URL
    package let home: URL
    private let scratch: URL

    package convenience init(apiKey: String = "sk-test-key", organization: String? = nil) async throws {
        try self.init(fake: await FakeOpenAIServer(apiKey: apiKey, organization: organization))
    }

    package init(fake: FakeOpenAIServer) throws {
        self.fake = fake
        (root, cwd, home, scratch) = try makeTestDirectories("imagegen-e2e")
    }

    deinit {
        fake.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// The environment most tests want: the fake's key and api base.
    /// The fake is a compatible server, which still serves dall-e-2: the
    /// model most of these tests were written for (URL answers, sizes).
    package var standardEnvironment: [String: String] {
        ["OPENAI_API_KEY": fake.apiKey, "OPENAI_API_BASE": fake.baseURL, "IMAGEGEN_MODEL": "dall-e-2"]
    }

    /// Runs imagegen in `cwd`; `env` replaces `standardEnvironment` when given. A run
    /// still going after `timeout` is ended and fails the test.
    package func run(
        _ arguments: [String], env: [String: String]? = nil, stdin: String? = nil,
        timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RunResult {
        try await Imagegen.run(
            arguments, env: env ?? standardEnvironment, stdin: stdin, cwd: cwd,
            home: home, scratch: scratch, timeout: timeout, sourceLocation: sourceLocation)
    }

    /// `path` as printed by imagegen (relative to `cwd` or absolute) as a URL.
    package func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : cwd.appendingPathComponent(path)
    }

    /// Names in `cwd` (or a directory under it), sorted, hidden files included.
    package func files(in subdirectory: String = "") -> [String] {
        let directory = subdirectory.isEmpty ? cwd : cwd.appendingPathComponent(subdirectory)
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    package func contents(_ path: String) -> Data? {
        FileManager.default.contents(atPath: resolve(path).path)
    }
}

/// Compares JSON values by their canonical text, so `42` and `"42"` differ and key order
/// does not matter; the failure shows both texts.
package func canonicalJSON(_ value: Any?) -> String {
    guard let value, JSONSerialization.isValidJSONObject(value),
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
    else {
        return "<not a JSON object: \(String(describing: value))>"
    }
    return String(decoding: data, as: UTF8.self)
}

package func expectBody(
    _ request: RecordedRequest?, equals expected: [String: Any],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(canonicalJSON(request?.bodyObject) == canonicalJSON(expected), sourceLocation: sourceLocation)
}

/// Standard checks for a request imagegen sent to the fake.
package func expectAuthorised(
    _ request: RecordedRequest?, key: String = "sk-test-key",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(request?.headers["authorization"] == "Bearer \(key)", sourceLocation: sourceLocation)
    #expect(
        request?.headers["content-type"]?.hasPrefix("application/json") == true,
        sourceLocation: sourceLocation)
}

/// A fresh temporary root holding a working directory, a HOME and a scratch
/// directory for captured output; the caller removes `root` when done.
package func makeTestDirectories(_ prefix: String) throws -> (root: URL, cwd: URL, home: URL, scratch: URL) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    let cwd = root.appendingPathComponent("work")
    let home = root.appendingPathComponent("home")
    let scratch = root.appendingPathComponent("scratch")
    for directory in [cwd, home, scratch] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }
    return (root, cwd, home, scratch)
}
