import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// `imagegen models --live`: the request each provider gets, and the
/// provider's list merged with the catalogue (the provider's word wins;
/// unknown and no-longer-listed models are flagged).
@Suite struct ModelsLiveTests {
    static let today = "2026-11-29"

    /// The line of `id` and the detail lines under it, with wrapping undone.
    static func block(_ table: String, _ id: String) -> String? {
        let lines = table.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix(id + " ") }) else { return nil }
        let details = lines[(start + 1)...].prefix { $0.hasPrefix("  ") }
        return ([lines[start]] + details).joined(separator: "\n").replacing("\n    ", with: " ")
    }

    static func rows(_ run: InProcessRun) throws -> [String: JSON] {
        let rows = try #require(try JSON.parse(Array(run.stdout.utf8)).arrayValue)
        return Dictionary(rows.map { ($0["id"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
    }

    static let openAIList = """
        {"object": "list", "data": [
          {"id": "gpt-image-2", "object": "model", "created": 1776729600, "owned_by": "system",
           "shutdown_date": "2026-11-01"},
          {"id": "gpt-image-1", "object": "model", "created": 1745000000, "owned_by": "system"},
          {"id": "gpt-image-1.5", "object": "model", "created": 1765843200, "owned_by": "system",
           "shutdown_date": "2026-12-01"},
          {"id": "gpt-image-9-preview", "object": "model", "created": 1790000000, "owned_by": "system"},
          {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
          {"id": "whisper-1", "object": "model", "created": 1677532384, "owned_by": "openai-internal"}
        ]}
        """

    @Test func openAIIsAskedForItsModelsWithTheKey() throws {
        let run = InProcessRun(
            ["models", "--live", "--organization", "org-42"],
            environment: ["OPENAI_API_KEY": InProcessRun.key, "IMAGEGEN_TODAY": Self.today]
        ) { _, _ in .status(200, json: Self.openAIList) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.count == 1)
        let request = try #require(run.sent.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://api.openai.com/v1/models")
        #expect(request.header("authorization") == "Bearer \(InProcessRun.key)")
        #expect(request.header("openai-organization") == "org-42")
        #expect(request.body.isEmpty)
        #expect(!run.stderr.contains(InProcessRun.key))
    }

    @Test func theProvidersWordWinsAndUnknownOrUnlistedModelsAreFlagged() throws {
        let run = InProcessRun(
            ["models", "--live"], environment: ["OPENAI_API_KEY": InProcessRun.key, "IMAGEGEN_TODAY": Self.today]
        ) { _, _ in .status(200, json: Self.openAIList) }
        #expect(run.status == 0, "\(run.stderr)")
        let table = run.stdout
        // Active in the table; the provider says it shut down on 2026-11-01.
        #expect(Self.block(table, "gpt-image-2")?.contains("openai    retired 2026-11-01") == true)
        // Retired in the table, still served by the provider.
        #expect(Self.block(table, "gpt-image-1")?.contains("openai    active") == true)
        let deprecated = try #require(Self.block(table, "gpt-image-1.5"))
        #expect(deprecated.contains("deprecated 2026-12-01"))
        #expect(deprecated.contains("use gpt-image-2.6-sunburst instead"))
        #expect(Self.block(table, "gpt-image-9-preview")?.contains("\n  not in imagegen's catalogue") == true)
        #expect(Self.block(table, "dall-e-3")?.contains("\n  not listed by the provider; use gpt-image-2") == true)
        #expect(Self.block(table, "gpt-image-2")?.contains("not listed") == false)
        // OpenAI's list mixes in chat and audio models: only image models are shown.
        #expect(!table.contains("gpt-4o") && !table.contains("whisper"))
        for line in table.split(separator: "\n") { #expect(line.count <= 100) }
    }

    @Test func jsonSaysWhoSaidWhat() throws {
        let run = InProcessRun(
            ["models", "--live", "--json"],
            environment: ["OPENAI_API_KEY": InProcessRun.key, "IMAGEGEN_TODAY": Self.today]
        ) { _, _ in .status(200, json: Self.openAIList) }
        #expect(run.status == 0, "\(run.stderr)")
        let rows = try Self.rows(run)
        #expect(rows["gpt-image-2"]?["status"] == .string("retired"))
        #expect(rows["gpt-image-2"]?["retired_date"] == .string("2026-11-01"))
        #expect(rows["gpt-image-2"]?["listed_by_provider"] == .bool(true))
        #expect(rows["gpt-image-1"]?["status"] == .string("active"))
        #expect(rows["gpt-image-9-preview"]?["in_catalogue"] == .bool(false))
        #expect(rows["gpt-image-9-preview"]?["price"] == .null)
        #expect(rows["gpt-image-9-preview"]?["sizes"] == .null)
        #expect(rows["dall-e-2"]?["listed_by_provider"] == .bool(false))
        #expect(rows["dall-e-2"]?["in_catalogue"] == .bool(true))
        #expect(rows["gpt-4o"] == nil)
        #expect(rows.count == 4 + ModelCatalogue.openAI.count - 3)
    }

    @Test func aCompatibleServerKeepsEveryModelAndTheCatalogueAddsNone() throws {
        let list =
            #"{"object":"list","data":[{"id":"flux-dev","object":"model"},{"id":"gpt-image-2","object":"model"}]}"#
        let run = InProcessRun(
            ["models", "--live", "--json", "--api-base", "http://127.0.0.1:8000/v1"],
            environment: ["OPENAI_API_KEY": InProcessRun.key, "IMAGEGEN_TODAY": Self.today]
        ) { _, _ in .status(200, json: list) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.first?.url == "http://127.0.0.1:8000/v1/models")
        #expect(try Self.rows(run).keys.sorted() == ["flux-dev", "gpt-image-2"])
    }

    @Test func azureListsItsBaseModelsWithTheirLifecycle() throws {
        let list = """
            {"data": [
              {"id": "dall-e-3", "lifecycle_status": "deprecated",
               "deprecation": {"inference": "2026-03-01T00:00:00Z"}, "capabilities": {"inference": true}},
              {"id": "gpt-image-1", "lifecycle_status": "generally-available",
               "deprecation": {"inference": 1830297600}, "capabilities": {"inference": true}},
              {"id": "canvas-x", "lifecycle_status": "preview", "capabilities": {"image_generation": true}},
              {"id": "gpt-4o", "lifecycle_status": "generally-available", "capabilities": {"chat_completion": true}}
            ], "object": "list"}
            """
        let run = InProcessRun(
            ["models", "--live", "--provider", "azure", "--json"],
            environment: [
                "AZURE_API_KEY": "azure-key-123456", "AZURE_API_BASE": "https://res.openai.azure.com/",
                "IMAGEGEN_TODAY": Self.today,
            ]
        ) { _, _ in .status(200, json: list) }
        #expect(run.status == 0, "\(run.stderr)")
        let request = try #require(run.sent.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://res.openai.azure.com/openai/models?api-version=2025-04-01-preview")
        #expect(request.header("api-key") == "azure-key-123456")
        let rows = try Self.rows(run)
        #expect(rows["dall-e-3"]?["status"] == .string("retired"))
        #expect(rows["dall-e-3"]?["retired_date"] == .string("2026-03-01"))
        #expect(rows["gpt-image-1"]?["status"] == .string("active"))
        #expect(rows["gpt-image-1"]?["provider"] == .string("azure"))
        #expect(rows["canvas-x"]?["in_catalogue"] == .bool(false))
        #expect(rows["gpt-4o"] == nil)
        #expect(rows["gpt-image-2"]?["listed_by_provider"] == .bool(false))
    }

    @Test(arguments: [
        ("https://res.openai.azure.com/openai/deployments/img", "v1", "https://res.openai.azure.com/openai/v1/models"),
        (
            "https://res.openai.azure.com", "preview",
            "https://res.openai.azure.com/openai/v1/models?api-version=preview"
        ),
        (
            "https://res.openai.azure.com/openai/deployments/img/", "2024-10-21",
            "https://res.openai.azure.com/openai/models?api-version=2024-10-21"
        ),
    ])
    func azureModelsLiveUnderTheResource(_ base: String, _ version: String, _ url: String) {
        let run = InProcessRun(
            ["models", "--live", "--provider", "azure", "--api-version", version],
            environment: ["AZURE_API_KEY": "azure-key-123456", "AZURE_API_BASE": base]
        ) { _, _ in .status(200, json: #"{"data": []}"#) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.first?.url == url)
    }

    @Test func providerTextCannotDriveTheTerminalAndLongNamesAreCut() throws {
        let long = String(repeating: "x", count: 60)
        let list = #"{"data": [{"id": "gpt-image-\u001b]0;pwned\u0007\u001b[2Jevil"}, {"id": "gpt-image-\#(long)"}]}"#
        let run = InProcessRun(
            ["models", "--live"], environment: ["OPENAI_API_KEY": InProcessRun.key, "IMAGEGEN_TODAY": Self.today]
        ) { _, _ in .status(200, json: list) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stdout.contains("\u{1B}") && !run.stdout.contains("\u{07}"))
        #expect(run.stdout.contains("\ngpt-image-evil "))
        #expect(run.stdout.contains("\ngpt-image-" + String(repeating: "x", count: 33) + "...  openai"))
        for line in run.stdout.split(separator: "\n") { #expect(line.count <= 100) }
        // --json keeps the exact text, escaped.
        let json = InProcessRun(
            ["models", "--live", "--json"],
            environment: ["OPENAI_API_KEY": InProcessRun.key, "IMAGEGEN_TODAY": Self.today]
        ) { _, _ in .status(200, json: list) }
        #expect(try Self.rows(json)["gpt-image-\u{1B}]0;pwned\u{07}\u{1B}[2Jevil"] != nil)
    }

    static let bedrockList = """
        {"modelSummaries": [
          {"modelId": "amazon.nova-canvas-v1:0", "modelName": "Nova Canvas", "providerName": "Amazon",
           "outputModalities": ["IMAGE"], "modelLifecycle": {"status": "LEGACY"}},
          {"modelId": "amazon.titan-image-generator-v2:0", "modelName": "Titan Image Generator G1 v2",
           "providerName": "Amazon", "outputModalities": ["IMAGE"], "modelLifecycle": {"status": "ACTIVE"}},
          {"modelId": "stability.stable-image-ultra-v2:0", "modelName": "Stable Image Ultra 2",
           "providerName": "Stability AI", "outputModalities": ["IMAGE"],
           "modelLifecycle": {"status": "LEGACY", "endOfLifeTime": "2027-01-31T00:00:00Z"}},
          {"modelId": "amazon.nova-pro-v1:0", "modelName": "Nova Pro", "providerName": "Amazon",
           "outputModalities": ["TEXT"], "modelLifecycle": {"status": "ACTIVE"}}
        ]}
        """

    static let awsEnvironment = [
        "AWS_ACCESS_KEY_ID": "AKIDLISTMODELS01", "AWS_SECRET_ACCESS_KEY": "list-models-secret/Key+0123",
        "AWS_REGION": "us-west-2", "IMAGEGEN_TODAY": today,
        // The runtime's endpoint is not where the model list lives.
        "AWS_BEDROCK_RUNTIME_ENDPOINT": "https://runtime.example.com",
    ]

    @Test func bedrockAsksTheControlPlaneWithASignedRequest() throws {
        let run = InProcessRun(["models", "--live", "--provider", "bedrock"], environment: Self.awsEnvironment) {
            _, _ in .status(200, json: Self.bedrockList)
        }
        #expect(run.status == 0, "\(run.stderr)")
        let request = try #require(run.sent.first)
        #expect(request.method == "GET")
        #expect(request.url == "https://bedrock.us-west-2.amazonaws.com/foundation-models?byOutputModality=IMAGE")
        #expect(request.header("host") == "bedrock.us-west-2.amazonaws.com")
        let authorization = try #require(request.header("authorization"))
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDLISTMODELS01/"))
        #expect(authorization.contains("/us-west-2/bedrock/aws4_request, SignedHeaders=accept;host;x-amz-date, "))
        // The signature is the one SigV4 gives this exact request.
        let signer = SigV4Signer(
            credentials: AWSCredentials(
                accessKeyID: "AKIDLISTMODELS01", secretAccessKey: "list-models-secret/Key+0123"),
            region: "us-west-2", service: "bedrock")
        #expect(signer.signature(of: request).authorization == authorization)
        #expect(!run.stderr.contains("list-models-secret"))

        let table = run.stdout
        #expect(Self.block(table, "amazon.nova-canvas-v1:0")?.contains("bedrock   deprecated (no date)") == true)
        let ultra = try #require(Self.block(table, "stability.stable-image-ultra-v2:0"))
        #expect(ultra.contains("deprecated 2027-01-31") && ultra.contains("not in imagegen's catalogue"))
        #expect(Self.block(table, "stability.sd3-large-v1:0")?.contains("not listed by the provider") == true)
        #expect(!table.contains("nova-pro"))
    }

    @Test func temporaryCredentialsAreFetchedBeforeTheList() throws {
        let environment = [
            "AWS_REGION": "us-west-2", "IMAGEGEN_TODAY": Self.today, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-token-1234",
        ]
        let credentials =
            #"{"AccessKeyId":"ASIALIST","SecretAccessKey":"list-secret","Token":"list-session-token","Expiration":"2099-01-01T00:00:00Z"}"#
        let run = InProcessRun(["models", "--live", "--provider", "bedrock", "-v"], environment: environment) {
            request, _ in
            request.url.hasSuffix("/creds") ? .status(200, json: credentials) : .status(200, json: Self.bedrockList)
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.map(\.url).first == "http://127.0.0.1:9/creds")
        #expect(run.sent.first?.header("Authorization") == "container-token-1234")
        let list = try #require(run.sent.last)
        #expect(list.header("X-Amz-Security-Token") == "list-session-token")
        #expect(list.header("Authorization")?.contains("Credential=ASIALIST/") == true)
        #expect(run.stderr.contains("imagegen: AWS credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI: "))
        for secret in ["ASIALIST", "list-secret", "list-session-token", "container-token-1234"] {
            #expect(!run.stderr.contains(secret), "\(secret) was printed")
        }

        let dry = InProcessRun(["models", "--live", "--provider", "bedrock", "--dry-run"], environment: environment) {
            _, _ in .status(500)
        }
        #expect(dry.status == 0)
        #expect(dry.sent.isEmpty)
        #expect(dry.stderr.contains("AWS credentials would come from AWS_CONTAINER_CREDENTIALS_FULL_URI"))
    }

    @Test func awsEndpointURLBedrockMovesTheControlPlane() throws {
        var environment = Self.awsEnvironment
        environment["AWS_ENDPOINT_URL_BEDROCK"] = "http://127.0.0.1:4566"
        let run = InProcessRun(["models", "--live", "--provider", "bedrock", "--json"], environment: environment) {
            _, _ in .status(200, json: Self.bedrockList)
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.first?.url == "http://127.0.0.1:4566/foundation-models?byOutputModality=IMAGE")
        #expect(run.sent.first?.header("host") == "127.0.0.1:4566")
        // Not Amazon's own endpoint: the catalogue adds no unlisted rows.
        #expect(try Self.rows(run).values.allSatisfy { $0["listed_by_provider"] == .bool(true) })
    }

    @Test func aRefusedListIsTheProvidersErrorAndNothingIsCached() {
        let home = ScratchDirectory()
        defer { home.remove() }
        let run = InProcessRun(
            ["models", "--live"], environment: ["OPENAI_API_KEY": InProcessRun.key, "HOME": home.path]
        ) { _, _ in .openAIError(401, message: "Incorrect API key provided", code: "invalid_api_key") }
        #expect(run.status == 4)
        #expect(
            run.stderr
                == "imagegen: openai rejected the request (HTTP 401): Incorrect API key provided (invalid_api_key); "
                + "check OPENAI_API_KEY or --api-key\n")
        #expect(run.stdout.isEmpty)
        #expect(home.listing().isEmpty)
    }

    @Test func dryRunPrintsTheRequestAndSendsNothing() {
        let run = InProcessRun(["models", "--live", "--dry-run"]) { _, _ in .status(500) }
        #expect(run.status == 0)
        #expect(run.sent.isEmpty)
        #expect(run.stdout.hasPrefix("> GET https://api.openai.com/v1/models\n"))
        #expect(!run.stdout.contains(InProcessRun.key))
    }
}
