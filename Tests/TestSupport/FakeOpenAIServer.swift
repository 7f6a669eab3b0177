import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One request as the fake server saw it (from its `/__log` hook).
package struct RecordedRequest: Sendable {
    package var method: String
    package var path: String
    package var query: String
    /// Header names lower-cased.
    package var headers: [String: String]
    package var body: String
    /// The status the fake answered with.
    package var status: Int?
    /// Serial numbers of the images in the answer, in answer order (see `PNGFile.serial`).
    package var serials: [Int]
    /// The `created` field of a successful generation answer.
    package var created: Int?
    /// When the fake received it, in seconds on the fake's monotonic clock.
    package var received: Double = 0
    /// The parts of an images edits form, as the fake parsed them.
    package var form: [FormPart] = []
    /// The `x-request-id` the fake answered a POST with.
    package var requestID: String?
    /// A streamed answer: how it ended ("clean" or "cut") and where its body was cut.
    package var streamEnding: String?
    package var streamCuts: [Int] = []

    package var isGeneration: Bool { method == "POST" && path.hasSuffix("/images/generations") }

    /// The request body as a JSON object, or nil when it was not one.
    package var bodyObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// One part of a multipart form the fake received: a file's bytes exactly, or a field's text.
package struct FormPart: Sendable, Equatable {
    package var name: String
    package var filename: String?
    package var type: String?
    /// The file's bytes (decoded from the log's base64), or the text's UTF-8.
    package var data: Data

    package init(name: String, filename: String? = nil, type: String? = nil, data: Data) {
        self.name = name
        self.filename = filename
        self.type = type
        self.data = data
    }
}

/// The strict fake OpenAI server (Fakes/fake_openai.py) in a child process, one per test.
/// It exits when this object is stopped or deinitialised, and also when the test process
/// dies, because its standard input (our pipe) then closes. Any other fake in Fakes/ that
/// speaks the same protocol (`PORT <n>` line, `/__log`, `/__reset`) runs through
/// `init(script:arguments:apiKey:)`, e.g. fake_azure.py.
package final class FakeOpenAIServer: @unchecked Sendable {
    package let apiKey: String
    package let port: Int
    private let fake: FakeProcess

    package static func script(_ name: String) -> URL { FakeProcess.script(name) }

    package convenience init(apiKey: String = "sk-test-key", organization: String? = nil) async throws {
        try await self.init(
            script: "fake_openai.py", arguments: [apiKey] + (organization.map { [$0] } ?? []),
            apiKey: apiKey)
    }

    package init(script: String, arguments: [String], apiKey: String) async throws {
        self.apiKey = apiKey
        fake = try await FakeProcess(script: script, arguments: arguments)
        port = fake.port
    }

    deinit { stop() }

    /// `http://127.0.0.1:PORT`
    package var origin: String { "http://127.0.0.1:\(port)" }
    /// The api base a user would configure: `http://127.0.0.1:PORT/v1`.
    package var baseURL: String { origin + "/v1" }

    package func imageURL(serial: Int) -> String { "\(origin)/files/img-\(serial).png" }

    /// Every request recorded so far, in arrival order.
    package func requests() async throws -> [RecordedRequest] {
        try await fake.log().map { entry in
            RecordedRequest(
                method: entry["method"] as? String ?? "",
                path: entry["path"] as? String ?? "",
                query: entry["query"] as? String ?? "",
                headers: entry["headers"] as? [String: String] ?? [:],
                body: entry["body"] as? String ?? "",
                status: entry["status"] as? Int,
                serials: entry["serials"] as? [Int] ?? [],
                created: entry["created"] as? Int,
                received: entry["received"] as? Double ?? 0,
                form: (entry["form"] as? [[String: Any]] ?? []).map { part in
                    let filename = part["filename"] as? String
                    let text = part["data"] as? String ?? ""
                    return FormPart(
                        name: part["name"] as? String ?? "", filename: filename, type: part["type"] as? String,
                        data: filename == nil ? Data(text.utf8) : Data(base64Encoded: text) ?? Data())
                }, requestID: entry["request_id"] as? String,
                streamEnding: (entry["stream"] as? [String: Any])?["ending"] as? String,
                streamCuts: (entry["stream"] as? [String: Any])?["cuts"] as? [Int] ?? [])
        }
    }

    /// Only the `POST …/images/generations` requests.
    package func generationRequests() async throws -> [RecordedRequest] {
        try await requests().filter(\.isGeneration)
    }

    package func reset() async throws {
        var request = URLRequest(url: URL(string: origin + "/__reset")!)
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
    }

    package func stop() { fake.stop() }
}
