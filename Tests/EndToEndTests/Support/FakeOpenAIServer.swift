import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request as the fake server saw it (from its `/__log` hook).
struct RecordedRequest: Sendable {
    var method: String
    var path: String
    var query: String
    /// Header names lower-cased.
    var headers: [String: String]
    var body: String
    /// The status the fake answered with.
    var status: Int?
    /// Serial numbers of the images in the answer, in answer order (see `PNGFile.serial`).
    var serials: [Int]
    /// The `created` field of a successful generation answer.
    var created: Int?

    var isGeneration: Bool { method == "POST" && path.hasSuffix("/images/generations") }

    /// The request body as a JSON object, or nil when it was not one.
    var bodyObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// The strict fake OpenAI server (Fakes/fake_openai.py) in a child process, one per test.
/// It exits when this object is stopped or deinitialised, and also when the test process
/// dies, because its standard input (our pipe) then closes. Any other fake in Fakes/ that
/// speaks the same protocol (`PORT <n>` line, `/__log`, `/__reset`) runs through
/// `init(script:arguments:apiKey:)`, e.g. fake_azure.py.
final class FakeOpenAIServer: @unchecked Sendable {
    let apiKey: String
    let port: Int
    private let process: Process
    private let stdinPipe: Pipe

    static func script(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fakes").appendingPathComponent(name)
    }

    convenience init(apiKey: String = "sk-test-key", organization: String? = nil) throws {
        try self.init(script: "fake_openai.py", arguments: [apiKey] + (organization.map { [$0] } ?? []),
                      apiKey: apiKey)
    }

    init(script: String, arguments: [String], apiKey: String) throws {
        self.apiKey = apiKey
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script(script).path] + arguments
        stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        try process.run()

        // The first line is "PORT <n>"; nothing else is ever written to stdout.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = stdoutPipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("PORT "), let port = Int(text.dropFirst(5)) else {
            process.terminate()
            throw FakeServerError.startFailed(text)
        }
        self.port = port
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`
    var origin: String { "http://127.0.0.1:\(port)" }
    /// The api base a user would configure: `http://127.0.0.1:PORT/v1`.
    var baseURL: String { origin + "/v1" }

    func imageURL(serial: Int) -> String { "\(origin)/files/img-\(serial).png" }

    /// Every request recorded so far, in arrival order.
    func requests() async throws -> [RecordedRequest] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: origin + "/__log")!)
        guard let entries = try JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw FakeServerError.badLog
        }
        return entries.map { entry in
            RecordedRequest(
                method: entry["method"] as? String ?? "",
                path: entry["path"] as? String ?? "",
                query: entry["query"] as? String ?? "",
                headers: entry["headers"] as? [String: String] ?? [:],
                body: entry["body"] as? String ?? "",
                status: entry["status"] as? Int,
                serials: entry["serials"] as? [Int] ?? [],
                created: entry["created"] as? Int)
        }
    }

    /// Only the `POST …/images/generations` requests.
    func generationRequests() async throws -> [RecordedRequest] {
        try await requests().filter(\.isGeneration)
    }

    func reset() async throws {
        var request = URLRequest(url: URL(string: origin + "/__reset")!)
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
    }

    func stop() {
        guard process.isRunning else { return }
        try? stdinPipe.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }
}

enum FakeServerError: Error {
    case startFailed(String)
    case badLog
}
