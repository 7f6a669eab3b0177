import Foundation
import TestSupport
import Testing

/// `imagegen models --live` through libcurl against the strict fakes: the
/// request each one checks, the merged list printed, the cache written.
@Suite struct ModelsEndToEndTests {
    static func rows(_ result: RunResult) -> [String: [String: Any]] {
        let array = (try? JSONSerialization.jsonObject(with: result.stdoutData)) as? [[String: Any]] ?? []
        return Dictionary(array.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func openAIListIsFetchedMergedAndCached() async throws {
        let t = try await E2E()
        let result = try await t.run(
            ["models", "--live", "--json"], env: t.standardEnvironment.merging(["IMAGEGEN_TODAY": "2026-12-05"]) { $1 })
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.map(\.method) == ["GET"])
        #expect(requests.first?.path == "/v1/models")
        #expect(requests.first?.headers["authorization"] == "Bearer sk-test-key")
        #expect(requests.first?.status == 200)

        let rows = Self.rows(result)
        // A compatible server's list is kept whole; the catalogue adds nothing to it.
        #expect(rows.keys.sorted() == ["gpt-4o-mini", "gpt-image-1.5", "gpt-image-2", "gpt-image-9-preview"])
        #expect(rows["gpt-image-1.5"]?["status"] as? String == "retired")
        #expect(rows["gpt-image-1.5"]?["retired_date"] as? String == "2026-12-01")
        #expect(rows["gpt-image-1.5"]?["replacement"] as? String == "gpt-image-2.6-sunburst")
        #expect(rows["gpt-image-2"]?["status"] as? String == "active")
        #expect(rows["gpt-image-9-preview"]?["in_catalogue"] as? Bool == false)

        let cache = t.home.appendingPathComponent(".cache/imagegen/models-openai.json")
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        let cached = try JSONSerialization.jsonObject(with: Data(contentsOf: cache)) as? [String: Any]
        #expect(cached?["endpoint"] as? String == t.fake.baseURL)
        #expect(cached?["official"] as? Bool == false)
        #expect((cached?["models"] as? [Any])?.count == 4)
        #expect(result.stderr.contains("cached in \(cache.path)"))
    }

    @Test func bedrockControlPlaneListIsSignedAndVerified() async throws {
        let t = try await BedrockE2E()
        var env = t.standardEnvironment
        env["AWS_ENDPOINT_URL_BEDROCK"] = t.fake.endpoint
        // The runtime's endpoint is not where the list lives: nothing answers here.
        env["AWS_BEDROCK_RUNTIME_ENDPOINT"] = "http://127.0.0.1:9"
        env["IMAGEGEN_TODAY"] = "2026-12-05"
        let result = try await t.run(["models", "--live", "--provider", "bedrock", "--json"], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        let request = try #require(try await t.fake.requests().first)
        #expect(request.path == "/foundation-models")
        #expect(request.auth == "sigv4")
        #expect(request.status == 200)
        #expect(request.headers["host"] == "127.0.0.1:\(t.fake.port)")
        #expect(request.headers["authorization"]?.contains("/us-west-2/bedrock/aws4_request") == true)

        let rows = Self.rows(result)
        #expect(rows["amazon.nova-canvas-v1:0"]?["status"] as? String == "deprecated")
        #expect(rows["amazon.nova-canvas-v1:0"]?["shutdown_date"] as? String == "2027-03-31")
        #expect(rows["amazon.titan-image-generator-v2:0"]?["status"] as? String == "active")
        #expect(rows["stability.stable-image-ultra-v2:0"]?["in_catalogue"] as? Bool == false)
        #expect(rows["amazon.nova-pro-v1:0"] == nil)
        #expect(FileManager.default.fileExists(atPath: t.home.path + "/.cache/imagegen/models-bedrock.json"))

        // The fake checks the signature as AWS would: a wrong secret is refused.
        env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret-key"
        let refused = try await t.run(["models", "--live", "--provider", "bedrock"], env: env)
        #expect(refused.status == 4)
        #expect(refused.stderr.contains("InvalidSignatureException"))
        #expect(refused.stderr.contains("check the credentials from AWS_ACCESS_KEY_ID in region us-west-2"))
    }
}
