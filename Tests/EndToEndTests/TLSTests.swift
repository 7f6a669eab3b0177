import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// TLS is always verified. A fake with a self-signed certificate is refused with an
/// explanation, and trusted when its certificate is passed with --cacert, CURL_CA_BUNDLE or
/// SSL_CERT_FILE.
@Suite struct TLSTests {
    @Test func selfSignedCertificateIsRefusedWithAHint() async throws {
        let t = try await E2E()
        let fake = try await TLSFakeServer(in: t.root)
        let result = try await t.run(
            ["a fox"], env: ["OPENAI_API_KEY": "sk-test-key", "OPENAI_API_BASE": fake.baseURL])
        #expect(result.status == 6, "\(result.stderr)")
        #expect(result.stderr.contains("imagegen: TLS certificate of \(fake.origin) not trusted ("), "\(result.stderr)")
        #expect(result.stderr.contains("pass --cacert FILE if the server uses a private CA"), "\(result.stderr)")
        #expect(try await fake.requestCount() == 0, "nothing may be sent over an untrusted connection")
        #expect(t.files().isEmpty)
    }

    @Test(arguments: ["--cacert", "CURL_CA_BUNDLE", "SSL_CERT_FILE"])
    func trustedCertificateWorks(source: String) async throws {
        let t = try await E2E()
        let fake = try await TLSFakeServer(in: t.root)
        var env = ["OPENAI_API_KEY": "sk-test-key", "OPENAI_API_BASE": fake.baseURL]
        var arguments = ["a fox"]
        if source.hasPrefix("-") {
            arguments = [source, fake.certificate.path] + arguments
        } else {
            env[source] = fake.certificate.path
        }
        let result = try await t.run(arguments, env: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 1)
        let path = try #require(result.lines.first)
        #expect(t.files() == [t.resolve(path).lastPathComponent])
        #expect(PNGFile(contentsOf: t.resolve(path)) != nil)
        // The generation call and the image download (an https URL on the same fake).
        #expect(try await fake.requestCount() == 2)
    }
}

/// fake_openai.py behind TLS with a fresh self-signed certificate for 127.0.0.1. Its test
/// hooks are reached over plain HTTP on a second port, so the test needs no trust store.
final class TLSFakeServer: @unchecked Sendable {
    let certificate: URL
    let port: Int
    private let fake: FakeProcess

    init(in directory: URL) async throws {
        certificate = directory.appendingPathComponent("fake-cert.pem")
        let key = directory.appendingPathComponent("fake-key.pem")
        let openssl = try await ChildProcess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.path, "-out", certificate.path,
            ], stdout: .null, stderr: .null, within: .seconds(60))
        guard openssl.termination == .exited(0) else {
            throw FakeServerError.startFailed("openssl req failed: \(openssl.termination)")
        }

        // "PORT <https port> CONTROL <http port>"
        fake = try await FakeProcess(
            script: "fake_openai.py",
            environment: ["FAKE_TLS_CERT": certificate.path, "FAKE_TLS_KEY": key.path],
            labels: ["PORT", "CONTROL"])
        port = fake.port
    }

    var origin: String { "https://127.0.0.1:\(port)" }
    var baseURL: String { origin + "/v1" }

    /// Requests that reached the HTTP layer (a refused handshake never does).
    func requestCount() async throws -> Int {
        try await fake.log(control: "CONTROL").count
    }

    /// The plain-http port, which also serves the fake's files.
    var controlPort: Int { fake.ports["CONTROL"]! }

    /// `METHOD path?query status` of every request, on either port, in arrival order.
    func requestLines() async throws -> [String] {
        try await fake.log(control: "CONTROL").map { entry in
            let query = (entry["query"] as? String).map { $0.isEmpty ? "" : "?" + $0 } ?? ""
            return "\(entry["method"] as? String ?? "") \(entry["path"] as? String ?? "")\(query) "
                + "\(entry["status"] as? Int ?? 0)"
        }
    }
}
