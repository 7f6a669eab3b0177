import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The strict fake Google (Fakes/fake_google.py: AI Studio, Vertex AI, the OAuth token
/// endpoint and the metadata server) in a child process, one per test. It verifies the
/// service-account JWTs against the test account's public key (Fakes/make_google_key.py).
package final class FakeGoogleServer: @unchecked Sendable {
    package static let apiKey = "AIzaSyFAKE-gemini-key-0123456789"
    package static let keyID = "0123456789abcdef0123456789abcdef01234567"
    package static let email = "painter@imagegen-test-project.iam.gserviceaccount.com"
    package static let clientSecret = "d-FL95Q19q7MQmFpd7hHD0Ty"
    package static let refreshToken = "1//0refresh-token-for-tests"

    package let port: Int
    private let fake: FakeProcess

    /// `expiresIn`: the lifetime of the access tokens it issues.
    package init(expiresIn: Int = 3599) async throws {
        fake = try await FakeProcess(
            script: "fake_google.py",
            arguments: [
                Self.apiKey, "--public-key", FakeProcess.script("google_service_account.pub.pem").path,
                "--key-id", Self.keyID, "--email", Self.email, "--expires-in", String(expiresIn),
                "--client-secret", Self.clientSecret, "--refresh-token", Self.refreshToken,
            ])
        port = fake.port
    }

    deinit { stop() }

    package var endpoint: String { "http://127.0.0.1:\(port)" }

    /// Every request so far, in arrival order.
    package func requests() async throws -> [GoogleRequest] {
        try await fake.log().map { entry in
            GoogleRequest(
                method: entry["method"] as? String ?? "", path: entry["path"] as? String ?? "",
                query: entry["query"] as? String ?? "", headers: entry["headers"] as? [String: String] ?? [:],
                body: entry["body"] as? String ?? "", status: entry["status"] as? Int,
                token: entry["token"] as? String, issued: entry["issued"] as? String,
                problem: entry["problem"] as? String)
        }
    }

    package func stop() { fake.stop() }

    /// The test service account's key file with its token_uri pointed at this fake.
    package func serviceAccountJSON() throws -> String {
        let data = try Data(contentsOf: FakeProcess.script("google_service_account.json"))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        object["token_uri"] = "\(endpoint)/token"
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    /// An `authorized_user` file as gcloud writes it, refreshed at this fake.
    package func authorizedUserJSON() -> String {
        """
        {"type": "authorized_user", "client_id": "client-id.apps.googleusercontent.com",
         "client_secret": "\(Self.clientSecret)", "refresh_token": "\(Self.refreshToken)",
         "quota_project_id": "quota-project-7", "token_uri": "\(endpoint)/token"}
        """
    }
}

package struct GoogleRequest: Sendable {
    package var method: String
    package var path: String
    package var query: String
    /// Header names lower-cased.
    package var headers: [String: String]
    package var body: String
    package var status: Int?
    /// The bearer token a Vertex request was accepted with.
    package var token: String?
    /// The access token a token request handed out.
    package var issued: String?
    /// Why the fake refused an assertion.
    package var problem: String?

    package var bodyObject: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    }
}

/// One Google test's world: a fake and fresh `cwd`, `home` and scratch directories.
package final class GoogleE2E: @unchecked Sendable {
    package let fake: FakeGoogleServer
    package let root: URL
    package let cwd: URL
    package let home: URL
    private let scratch: URL

    package init(expiresIn: Int = 3599) async throws {
        fake = try await FakeGoogleServer(expiresIn: expiresIn)
        (root, cwd, home, scratch) = try makeTestDirectories("imagegen-google")
    }

    deinit {
        fake.stop()
        try? FileManager.default.removeItem(at: root)
    }

    /// AI Studio: the key and the fake as the base.
    package var geminiEnvironment: [String: String] {
        ["GEMINI_API_KEY": FakeGoogleServer.apiKey, "GEMINI_API_BASE": "\(fake.endpoint)/v1beta"]
    }

    /// Writes `text` into the scratch root and returns its path.
    package func write(_ name: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Runs imagegen in `cwd`; no secret of the fake's may be printed.
    package func run(
        _ arguments: [String], env: [String: String], sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> RunResult {
        let result = try await Imagegen.run(
            arguments, env: env, cwd: cwd, home: home, scratch: scratch, sourceLocation: sourceLocation)
        var secrets = [FakeGoogleServer.apiKey, FakeGoogleServer.clientSecret, FakeGoogleServer.refreshToken]
        // As a form body carries it.
        secrets.append(FakeGoogleServer.refreshToken.replacingOccurrences(of: "/", with: "%2F"))
        secrets += try await fake.requests().compactMap(\.issued)
        secrets += ["BEGIN PRIVATE KEY", "eyJhbGciOiJSUzI1NiIs"]
        for secret in secrets {
            #expect(
                !result.stdout.contains(secret) && !result.stderr.contains(secret), "\(secret) was printed",
                sourceLocation: sourceLocation)
        }
        return result
    }

    package func resolve(_ path: String) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : cwd.appendingPathComponent(path)
    }
}
