import Foundation
import TestSupport
import Testing

/// Azure OpenAI deployments against the strict fake Azure resource.
@Suite struct AzureTests {
    static let defaultVersion = "api-version=2025-04-01-preview"

    @Test func keyAndBaseFromTheEnvironmentWithTheDefaultVersion() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(["--model", "azure/my-dalle3", "a lighthouse"], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")

        let log = try await t.fake.requests()
        #expect(log.map(\.method) == ["POST", "GET"], "the dall-e-3 URL answer is downloaded")
        let post = try #require(log.first)
        #expect(post.path == azurePath("my-dalle3"))
        #expect(post.query == Self.defaultVersion)
        #expect(post.headers["api-key"] == E2E.azureKey)
        #expect(post.headers["authorization"] == nil)
        #expect(post.headers["content-type"] == "application/json")
        expectBody(post, equals: ["prompt": "a lighthouse"])
        #expect(post.status == 200)

        #expect(result.lines.count == 1)
        let png = try #require(PNGFile(contentsOf: t.resolve(result.lines.first ?? "")))
        #expect(png.serial == post.serials.first)
    }

    @Test func flagsBeatTheEnvironment() async throws {
        let t = try await E2E.azure()
        let env = [
            "AZURE_API_KEY": "wrong-env-key-1", "AZURE_API_BASE": t.fake.origin + "/elsewhere",
            "AZURE_API_VERSION": "1999-01-01",
        ]
        let result = try await t.run(
            [
                "--api-key", E2E.azureKey, "--api-base", t.fake.origin,
                "--api-version", "2024-10-21", "-m", "azure/my-dalle3", "a fox",
            ], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.generationRequests().first)
        #expect(post.path == azurePath("my-dalle3"))
        #expect(post.query == "api-version=2024-10-21")
        #expect(post.headers["api-key"] == E2E.azureKey)
    }

    /// SPEC §2: AZURE_API_KEY before AZURE_OPENAI_API_KEY, AZURE_API_BASE before
    /// AZURE_OPENAI_ENDPOINT, AZURE_API_VERSION before the default.
    @Test func everyEnvironmentVariableInPrecedenceOrder() async throws {
        let t = try await E2E.azure()
        let origin = t.fake.origin
        let key = E2E.azureKey
        let runs: [[String: String]] = [
            ["AZURE_OPENAI_API_KEY": key, "AZURE_OPENAI_ENDPOINT": origin],
            [
                "AZURE_API_KEY": key, "AZURE_OPENAI_API_KEY": "wrong-key-2", "AZURE_API_BASE": origin,
                "AZURE_OPENAI_ENDPOINT": origin + "/elsewhere",
            ],
            ["AZURE_API_KEY": key, "AZURE_API_BASE": origin, "AZURE_API_VERSION": "2024-02-01"],
            ["AZURE_API_KEY": key, "AZURE_API_BASE": origin, "AZURE_AD_TOKEN": "unused-token-3"],
        ]
        for env in runs {
            let result = try await t.run(["-m", "azure/my-dalle3", "--response-format", "b64_json", "a fox"], env: env)
            #expect(result.status == 0, "\(env): \(result.stderr)")
        }
        let posts = try await t.fake.generationRequests()
        #expect(posts.map(\.path) == Array(repeating: azurePath("my-dalle3"), count: 4))
        #expect(
            posts.map(\.query) == [
                Self.defaultVersion, Self.defaultVersion, "api-version=2024-02-01", Self.defaultVersion,
            ])
        #expect(posts.map { $0.headers["api-key"] } == Array(repeating: key, count: 4))
        #expect(posts.allSatisfy { $0.headers["authorization"] == nil }, "a key beats AZURE_AD_TOKEN")
    }

    @Test func entraIDTokenIsSentAsBearer() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(
            ["-m", "azure/my-dalle3", "a fox"],
            env: ["AZURE_AD_TOKEN": E2E.azureToken, "AZURE_API_BASE": t.fake.origin])
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.generationRequests().first)
        #expect(post.headers["authorization"] == "Bearer \(E2E.azureToken)")
        #expect(post.headers["api-key"] == nil)
    }

    @Test func trailingSlashBaseAndEncodedDeploymentName() async throws {
        let t = try await E2E.azure()
        let env = ["AZURE_API_KEY": E2E.azureKey, "AZURE_API_BASE": t.fake.origin + "/"]
        let slash = try await t.run(["-m", "azure/my-dalle3", "a fox"], env: env)
        #expect(slash.status == 0, "\(slash.stderr)")
        let encoded = try await t.run(["-m", "azure/team images/ü", "a fox"], env: env)
        #expect(encoded.status == 0, "\(encoded.stderr)")
        #expect(
            try await t.fake.generationRequests().map(\.path)
                == [azurePath("my-dalle3"), azurePath("team%20images%2F%C3%BC")])
    }

    @Test func providerFlagRoutesAKnownModelNameToAzureWithFanOut() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(
            [
                "--provider", "azure", "-m", "dall-e-3", "-n", "2", "--quality", "hd",
                "--response-format", "b64_json", "-o", "fox.png", "a fox",
            ], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 2, "a dall-e-3 deployment makes one image per request")
        for post in posts {
            #expect(post.path == azurePath("dall-e-3"))
            expectBody(post, equals: ["prompt": "a fox", "n": 1, "quality": "hd", "response_format": "b64_json"])
        }
        #expect(result.lines == ["fox-1.png", "fox-2.png"])
    }

    @Test func v1APIWithGptImage1SendsTheDeploymentAsModel() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(
            [
                "-m", "azure/gpt-image-1", "--api-version", "preview", "--quality", "low",
                "--json", "a fox",
            ], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.generationRequests().first)
        #expect(post.path == "/openai/v1/images/generations")
        #expect(post.query == "api-version=preview")
        expectBody(post, equals: ["model": "gpt-image-1", "prompt": "a fox", "quality": "low"])
        let item = try #require((result.json?["data"] as? [[String: Any]])?.first)
        #expect(item["content_filter_results"] == nil, "gpt-image-1 sends no filter annotations")
        #expect(PNGFile(contentsOf: t.resolve(item["file"] as? String ?? "")) != nil)
    }

    @Test func aGptImageDeploymentStreams() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(
            [
                "-m", "azure/gpt-image-1", "--api-version", "preview", "--stream", "--partial-dir", "parts",
                "-o", "fox.png", "a fox",
            ], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.generationRequests().first)
        expectBody(post, equals: ["model": "gpt-image-1", "prompt": "a fox", "stream": true, "partial_images": 2])
        #expect(post.headers["accept"] == "text/event-stream")
        #expect(post.streamEnding == "clean")
        #expect(PNGFile(contentsOf: t.resolve("fox.png"))?.serial == post.serials.first)
        #expect(t.files(in: "parts") == ["fox.partial-1.png", "fox.partial-2.png"])
    }

    @Test func jsonKeepsRevisedPromptAndFilterResults() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(["-m", "azure/my-dalle3", "--json", "a lighthouse"], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(result.json)
        #expect(document["provider"] as? String == "azure")
        #expect(document["model"] as? String == "my-dalle3")
        let item = try #require((document["data"] as? [[String: Any]])?.first)
        #expect(item["revised_prompt"] as? String == "A detailed rendering of a lighthouse")
        let filters = try #require(item["content_filter_results"] as? [String: [String: Any]])
        #expect(Set(filters.keys) == ["hate", "self_harm", "sexual", "violence"])
        #expect(filters["violence"]?["severity"] as? String == "safe")
        #expect(item["prompt_filter_results"] is [String: Any])
        #expect((item["url"] as? String)?.hasPrefix(t.fake.origin + "/files/") == true)
        #expect(PNGFile(contentsOf: t.resolve(item["file"] as? String ?? "")) != nil)
    }

    @Test func rateLimitIsRetriedAfterAzuresHint() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(["-m", "azure/my-dalle3", "-v", "a fox [[429-once]]"], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.generationRequests().map(\.status) == [429, 200])
        let retryLine = result.stderr.split(separator: "\n").first { $0.contains("retry 1 of 2") } ?? ""
        #expect(retryLine.contains(" in 0.01 s"), "retry-after-ms: 10 wins over retry-after: 1: \(result.stderr)")
        #expect(result.lines.count == 1)
    }

    static let missingCases: [(name: String, env: [String: String], fragments: [String])] = [
        ("no base", ["AZURE_API_KEY": E2E.azureKey], ["AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT", "--api-base"]),
        (
            "no key", ["AZURE_API_BASE": "http://127.0.0.1:9", "OPENAI_API_KEY": "sk-openai-key"],
            ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_AD_TOKEN", "--api-key"]
        ),
        (
            "nothing", [:],
            [
                "AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT", "AZURE_API_KEY", "AZURE_OPENAI_API_KEY",
                "AZURE_AD_TOKEN",
            ]
        ),
    ]

    @Test(arguments: missingCases.indices)
    func missingSettingIsAConfigurationErrorAndNothingIsSent(index: Int) async throws {
        let (name, env, fragments) = Self.missingCases[index]
        let t = try await E2E.azure()
        let result = try await t.run(["-m", "azure/my-dalle3", "a fox"], env: env)
        #expect(result.status == 3, "\(name): \(result.stderr)")
        #expect(result.stderr.hasPrefix("imagegen: no Azure "))
        for fragment in fragments {
            #expect(result.stderr.contains(fragment), "\(name): \(fragment) not named in \(result.stderr)")
        }
        #expect(result.stdout.isEmpty)
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func unknownDeploymentSaysWhichAndWhere() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(["-m", "azure/no-such-deployment", "a fox"], env: t.azureEnvironment)
        #expect(result.status == 4)
        #expect(
            result.stderr.hasPrefix(
                "imagegen: azure rejected the request (HTTP 404): deployment 'no-such-deployment' "
                    + "not found at \(t.fake.origin) (The API deployment for this resource does not exist."))
        #expect(result.stderr.contains("check the deployment name"))
        #expect(try await t.fake.generationRequests().count == 1)
        #expect(t.files().isEmpty)
    }

    @Test func contentFilterRefusalNamesTheCategory() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(
            ["-m", "azure/my-dalle3", "--max-retries", "2", "a fox [[filtered]]"],
            env: t.azureEnvironment)
        #expect(result.status == 4)
        #expect(result.stderr.contains("Your request was rejected as a result of our safety system."))
        #expect(
            result.stderr.contains(
                "(content_policy_violation); filtered: violence (medium); "
                    + "Azure's content filter refused it, rephrase the prompt"))
        #expect(try await t.fake.generationRequests().count == 1, "a refusal is not retried")
        #expect(t.files().isEmpty)
    }

    @Test func unservedApiVersionSuggestsTheFlag() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(
            ["-m", "azure/my-dalle3", "--api-version", "2099-01-01", "a fox"],
            env: t.azureEnvironment)
        #expect(result.status == 4)
        #expect(
            result.stderr.contains(
                "api-version '2099-01-01' is not supported (API version not supported); "
                    + "pass --api-version or set AZURE_API_VERSION"))
        #expect(try await t.fake.generationRequests().first?.query == "api-version=2099-01-01")
    }

    @Test func refusedKeyNamesWhereToFixIt() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(
            ["-m", "azure/my-dalle3", "a fox"],
            env: ["AZURE_API_KEY": "wrong-azure-key-99", "AZURE_API_BASE": t.fake.origin])
        #expect(result.status == 4)
        #expect(result.stderr.contains("Access denied due to invalid subscription key or wrong API endpoint."))
        #expect(result.stderr.contains("check the key (from AZURE_API_KEY"))
        #expect(try await t.fake.generationRequests().first?.status == 401)
    }

    @Test func dryRunPrintsTheRequestRedactedAndSendsNothing() async throws {
        let t = try await E2E.azure()
        let result = try await t.run(["--dry-run", "-m", "azure/my-dalle3", "a lighthouse"], env: t.azureEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                > POST \(t.fake.origin)/openai/deployments/my-dalle3/images/generations?\(Self.defaultVersion)
                > api-key: [REDACTED]
                > Content-Type: application/json
                > Accept: application/json
                >
                {"prompt":"a lighthouse"}

                """)
        #expect(try await t.fake.requests().isEmpty)
    }
}
