import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The strict fake Bedrock runtime (Fakes/fake_bedrock.py) in a child process, one per
/// test. It verifies every request's SigV4 signature itself and stops with the test.
package final class FakeBedrockServer: @unchecked Sendable {
    package static let accessKeyID = "AKIDFAKEBEDROCK01"
    package static let secretAccessKey = "fake-bedrock-secret/Key+0123456789"
    package static let sessionToken = "FwoGZXIvYXdzFAKESESSIONTOKEN//0123456789+abc="

    package let port: Int
    package let region: String
    private let fake: FakeProcess

    /// `token`: the session token the credentials require; `bearer`: a Bedrock API key it also accepts;
    /// `issuer`: a moto server whose STS-issued credentials it accepts too.
    package init(
        region: String = "us-west-2", token: String? = nil, bearer: String? = nil, issuer: String? = nil
    ) async throws {
        self.region = region
        var arguments = [Self.accessKeyID, Self.secretAccessKey, "--region", region]
        if let token { arguments += ["--token", token] }
        if let bearer { arguments += ["--bearer", bearer] }
        if let issuer { arguments += ["--issuer", issuer] }
        fake = try await FakeProcess(script: "fake_bedrock.py", arguments: arguments)
        port = fake.port
    }

    deinit { stop() }

    package var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Every InvokeModel request so far, in arrival order (`status` and `serials` as answered).
    package func requests() async throws -> [BedrockRequest] {
        try await fake.log().map { entry in
            BedrockRequest(
                path: entry["path"] as? String ?? "",
                headers: entry["headers"] as? [String: String] ?? [:],
                body: entry["body"] as? String ?? "",
                status: entry["status"] as? Int,
                errorType: entry["error_type"] as? String,
                auth: entry["auth"] as? String,
                serials: entry["serials"] as? [Int] ?? [])
        }
    }

    package func stop() { fake.stop() }
}

package struct BedrockRequest: Sendable {
    package var path: String
    /// Header names lower-cased.
    package var headers: [String: String]
    package var body: String
    package var status: Int?
    package var errorType: String?
    /// "sigv4" or "bearer" once the fake accepted the request's authentication.
    package var auth: String?
    package var serials: [Int]

    package var bodyObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// One Bedrock test's world: a fake runtime and fresh `cwd`, `home` and scratch directories.
package final class BedrockE2E: @unchecked Sendable {
    package let fake: FakeBedrockServer
    package let root: URL
    package let cwd: URL
    package let home: URL
    private let scratch: URL

    package init(
        region: String = "us-west-2", token: String? = nil, bearer: String? = nil, issuer: String? = nil
    ) async throws {
        fake = try await FakeBedrockServer(region: region, token: token, bearer: bearer, issuer: issuer)
        (root, cwd, home, scratch) = try makeTestDirectories("imagegen-bedrock")
    }

    deinit {
        fake.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// The fake's credentials and region in the environment, and its endpoint.
    package var standardEnvironment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": FakeBedrockServer.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": FakeBedrockServer.secretAccessKey,
            "AWS_REGION": fake.region, "AWS_BEDROCK_RUNTIME_ENDPOINT": fake.endpoint,
        ]
    }

    /// Runs imagegen in `cwd`; `env` replaces `standardEnvironment` when given. Flag
    /// values that are secrets are checked too: none may be printed.
    package func run(
        _ arguments: [String], env: [String: String]? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RunResult {
        let result = try await Imagegen.run(
            arguments, env: env ?? standardEnvironment, cwd: cwd, home: home,
            scratch: scratch, sourceLocation: sourceLocation)
        for secret in [
            FakeBedrockServer.secretAccessKey, FakeBedrockServer.sessionToken, FakeBedrockServer.accessKeyID,
        ] {
            #expect(
                !result.stdout.contains(secret) && !result.stderr.contains(secret),
                "\(secret) was printed", sourceLocation: sourceLocation)
        }
        return result
    }

    package func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : cwd.appendingPathComponent(path)
    }

    /// Writes `text` to `home/.aws/NAME`.
    package func writeAWSFile(_ name: String, _ text: String) throws {
        let directory = home.appendingPathComponent(".aws")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
    }
}
