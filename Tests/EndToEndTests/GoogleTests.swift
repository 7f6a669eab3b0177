import Foundation
import TestSupport
import Testing

/// Google AI Studio end to end: the built binary against the strict fake Gemini API.
@Suite struct GeminiGenerationTests {
    @Test func geminiImageModelWithRatioTierAndCount() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["-m", "gemini/gemini-3.1-flash-image", "-s", "1536x1024", "-n", "2", "--json", "a lighthouse"],
            env: t.geminiEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let data = result.json?["data"] as? [[String: Any]] ?? []
        #expect(data.count == 2)
        #expect(result.json?["provider"] as? String == "gemini")
        for item in data {
            let png = PNGFile(contentsOf: t.resolve(item["file"] as? String ?? ""))
            #expect(png?.width == 96 && png?.height == 64)
        }
        let request = try await t.fake.requests().first
        #expect(request?.path == "/v1beta/models/gemini-3.1-flash-image:generateContent")
        #expect(request?.query == "")
        #expect(request?.headers["x-goog-api-key"] == FakeGoogleServer.apiKey)
        #expect(request?.headers["authorization"] == nil)
        #expect(
            canonicalJSON(request?.bodyObject)
                == canonicalJSON([
                    "contents": [["role": "user", "parts": [["text": "a lighthouse"]]]],
                    "generationConfig": [
                        "responseModalities": ["TEXT", "IMAGE"], "candidateCount": 2,
                        "imageConfig": ["aspectRatio": "3:2", "imageSize": "2K"],
                    ],
                ]))
    }

    @Test func imagenPredictWithSampleCountAndRatio() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["-m", "gemini/imagen-4.0-fast-generate-001", "-n", "3", "-s", "1792x1024", "a pier"],
            env: t.geminiEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["a-pier-1.png", "a-pier-2.png", "a-pier-3.png"])
        let request = try await t.fake.requests().first
        #expect(request?.path == "/v1beta/models/imagen-4.0-fast-generate-001:predict")
        #expect(
            canonicalJSON(request?.bodyObject)
                == canonicalJSON([
                    "instances": [["prompt": "a pier"]], "parameters": ["sampleCount": 3, "aspectRatio": "16:9"],
                ]))
    }

    @Test func textOnlyAnswerFailsWithTheModelsWords() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["-m", "gemini/gemini-3.1-flash-image", "text only please"], env: t.geminiEnvironment)
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stderr.contains("a quiet harbour at dawn"))
        #expect(!result.stderr.contains("\u{1b}"))
        #expect(result.lines.isEmpty)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: t.cwd.path))?.isEmpty ?? true)
    }

    @Test func blockedPromptAndUnsafeImageAreRefusals() async throws {
        let t = try await GoogleE2E()
        let blocked = try await t.run(["-m", "gemini/gemini-3.1-flash-image", "blocked"], env: t.geminiEnvironment)
        #expect(blocked.status == 4, "\(blocked.stderr)")
        #expect(blocked.stderr.contains("PROHIBITED_CONTENT"))
        let unsafe = try await t.run(["-m", "gemini/gemini-3.1-flash-image", "unsafe"], env: t.geminiEnvironment)
        #expect(unsafe.status == 4, "\(unsafe.stderr)")
        #expect(unsafe.stderr.contains("IMAGE_SAFETY"))
        let filtered = try await t.run(["-m", "gemini/imagen-4.0-generate-001", "filtered"], env: t.geminiEnvironment)
        #expect(filtered.status == 4, "\(filtered.stderr)")
        #expect(filtered.stderr.contains("safety filters"))
        let mime = try await t.run(["-m", "gemini/gemini-3.1-flash-image", "wrong mime"], env: t.geminiEnvironment)
        #expect(mime.status == 7, "\(mime.stderr)")
        #expect(mime.stderr.contains("text/html"))
    }

    @Test func missingKeyIsAConfigurationError() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["-m", "gemini/gemini-3.1-flash-image", "a cat"], env: ["GEMINI_API_BASE": "\(t.fake.endpoint)/v1beta"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("GEMINI_API_KEY"))
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func dryRunRedactsTheKey() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["--dry-run", "-m", "gemini/gemini-3.1-flash-image", "--api-key", FakeGoogleServer.apiKey, "a cat"],
            env: [:])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "POST https://generativelanguage.googleapis.com/v1beta/models/gemini-3.1-flash-image:generateContent"))
        #expect(result.stdout.contains("x-goog-api-key: [REDACTED]"))
        #expect(!result.stdout.contains("key="))
    }

    @Test func liveModelListKeepsImageModels() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["models", "--live", "--provider", "gemini", "--json"], env: t.geminiEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("gemini-3.1-flash-image"))
        #expect(result.stdout.contains("imagen-4.0-generate-001"))
        #expect(!result.stdout.contains("\"gemini-2.5-flash\""))
        let request = try await t.fake.requests().first
        #expect(request?.path == "/v1beta/models" && request?.query == "pageSize=1000")
        #expect(request?.headers["x-goog-api-key"] == FakeGoogleServer.apiKey)
    }
}

/// Vertex AI end to end: the token exchange with a JWT the fake verifies against the
/// test service account's public key, the other ADC links, and token refresh.
@Suite struct VertexGenerationTests {
    static let model = "vertex_ai/gemini-3.1-flash-image"

    @Test func serviceAccountTokenThenGeneration() async throws {
        let t = try await GoogleE2E()
        let key = try t.write("sa.json", try t.fake.serviceAccountJSON())
        let result = try await t.run(
            [
                "-m", Self.model, "--vertex-credentials", key, "--vertex-project", "my-project-7",
                "--vertex-location", "europe-west4", "--api-base", "\(t.fake.endpoint)/v1", "-v", "a fjord",
            ], env: [:])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["a-fjord.png"])
        let requests = try await t.fake.requests()
        #expect(requests.count == 2)
        let exchange = requests[0]
        #expect(exchange.path == "/token" && exchange.status == 200, "\(exchange.problem ?? "")")
        #expect(exchange.body.hasPrefix("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="))
        let generation = requests[1]
        #expect(
            generation.path
                == "/v1/projects/my-project-7/locations/europe-west4/publishers/google/models/gemini-3.1-flash-image:generateContent"
        )
        #expect(generation.token == exchange.issued && generation.token != nil)
        // Neither the credentials nor their path reach the body.
        #expect(!generation.body.contains("sa.json") && !generation.body.contains("private_key"))
        #expect(result.stderr.contains("Bearer [REDACTED]") || !result.stderr.contains("Bearer ya29"))
    }

    @Test func credentialsJSONInTheEnvironmentNameTheProject() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["-m", "vertex_ai/imagen-4.0-generate-001", "-n", "2", "--api-base", "\(t.fake.endpoint)/v1", "a dune"],
            env: ["VERTEXAI_CREDENTIALS": try t.fake.serviceAccountJSON(), "VERTEXAI_LOCATION": "global"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 2)
        let generation = try await t.fake.requests().last
        #expect(
            generation?.path
                == "/v1/projects/imagegen-test-project/locations/global/publishers/google/models/imagen-4.0-generate-001:predict"
        )
        #expect(canonicalJSON(generation?.bodyObject?["parameters"]) == canonicalJSON(["sampleCount": 2]))
    }

    @Test func shortLivedTokenIsRefreshedBeforeTheNextRequest() async throws {
        let t = try await GoogleE2E(expiresIn: 120)
        let key = try t.write("sa.json", try t.fake.serviceAccountJSON())
        let batch = try t.write("prompts.txt", "slow one\nslow two\nslow three\n")
        let result = try await t.run(
            [
                "-m", Self.model, "--batch", batch, "--concurrency", "1", "--api-base", "\(t.fake.endpoint)/v1",
                "--vertex-project", "p1",
            ], env: ["GOOGLE_APPLICATION_CREDENTIALS": key])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        let exchanges = requests.filter { $0.path == "/token" }
        let generations = requests.filter { $0.path.hasPrefix("/v1/projects/") }
        #expect(exchanges.count >= 2)
        #expect(exchanges.allSatisfy { $0.status == 200 })
        #expect(generations.count == 3)
        #expect(generations.first?.token == exchanges.first?.issued)
        // A later request carries a token from a later exchange.
        #expect(generations.last?.token != exchanges.first?.issued)
        #expect(Set(exchanges.compactMap(\.issued)).contains(generations.last?.token ?? ""))
    }

    @Test func authorizedUserRefreshGrantAndQuotaProject() async throws {
        let t = try await GoogleE2E()
        let file = try t.write("adc.json", t.fake.authorizedUserJSON())
        let result = try await t.run(
            ["-m", Self.model, "--api-base", "\(t.fake.endpoint)/v1", "-v", "a meadow"],
            env: ["GOOGLE_APPLICATION_CREDENTIALS": file])
        #expect(result.stderr.contains("refresh_token=[REDACTED]") || result.stderr.contains("refresh_token=*"))
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.first?.body.hasPrefix("grant_type=refresh_token&client_id=") == true)
        #expect(requests.last?.path.hasPrefix("/v1/projects/quota-project-7/locations/us-central1/") == true)
    }

    @Test func gcloudFileInHomeIsFound() async throws {
        let t = try await GoogleE2E()
        let directory = t.home.appendingPathComponent(".config/gcloud")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(t.fake.authorizedUserJSON().utf8).write(
            to: directory.appendingPathComponent("application_default_credentials.json"))
        let result = try await t.run(["-m", Self.model, "--api-base", "\(t.fake.endpoint)/v1", "a heath"], env: [:])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test func metadataServerWhenNothingElseIsConfigured() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["-m", Self.model, "--api-base", "\(t.fake.endpoint)/v1", "--vertex-project", "p2", "a moor"],
            env: ["GCE_METADATA_HOST": "127.0.0.1:\(t.fake.port)"])
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.first?.path == "/computeMetadata/v1/instance/service-accounts/default/token")
        #expect(requests.first?.headers["metadata-flavor"] == "Google")
        #expect(requests.last?.token == requests.first?.issued)
    }

    @Test func unreachableMetadataServerIsAConfigurationError() async throws {
        let t = try await GoogleE2E()
        let result = try await t.run(
            ["-m", Self.model, "--vertex-project", "p2", "--max-retries", "0", "a moor"],
            env: ["GCE_METADATA_HOST": "127.0.0.1:9"])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("gcloud auth application-default login"))
    }

    @Test func rejectedAssertionNamesTheProblem() async throws {
        let t = try await GoogleE2E()
        let json = try t.fake.serviceAccountJSON().replacingOccurrences(of: "painter@", with: "intruder@")
        let key = try t.write("other.json", json)
        let result = try await t.run(
            ["-m", Self.model, "--vertex-credentials", key, "--api-base", "\(t.fake.endpoint)/v1", "a bay"], env: [:])
        #expect(result.status == 4, "\(result.stderr)")
        #expect(result.stderr.contains("invalid_grant"))
        #expect(try await t.fake.requests().allSatisfy { $0.path == "/token" })
    }

    @Test func dryRunShowsTheRequestWithoutFetchingAToken() async throws {
        let t = try await GoogleE2E()
        let key = try t.write("sa.json", try t.fake.serviceAccountJSON())
        let result = try await t.run(
            ["--dry-run", "-m", Self.model, "--vertex-credentials", key, "-s", "1024x1024", "a cove"], env: [:])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "POST https://us-central1-aiplatform.googleapis.com/v1/projects/imagegen-test-project/locations/"
                    + "us-central1/publishers/google/models/gemini-3.1-flash-image:generateContent"))
        #expect(result.stdout.contains("Authorization: Bearer [REDACTED]"))
        #expect(result.stderr.contains("not fetched in a dry run"))
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func liveModelListWithTheToken() async throws {
        let t = try await GoogleE2E()
        let key = try t.write("sa.json", try t.fake.serviceAccountJSON())
        let result = try await t.run(
            ["models", "--live", "--provider", "vertex_ai", "--json", "--api-base", "\(t.fake.endpoint)/v1"],
            env: ["GOOGLE_APPLICATION_CREDENTIALS": key])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("gemini-3-pro-image") && result.stdout.contains("imagen-4.0-fast-generate-001"))
        #expect(!result.stdout.contains("\"gemini-2.5-pro\""))
        let requests = try await t.fake.requests()
        #expect(requests.map(\.path) == ["/token", "/v1beta1/publishers/google/models"])
        #expect(requests.last?.token == requests.first?.issued)
    }
}
