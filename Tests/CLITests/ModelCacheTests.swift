import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// The provider's list, cached by `imagegen models --live`, and generations
/// that read it: what the provider said about a model beats the built-in
/// table on the provider's own endpoint, with no request sent; a missing,
/// damaged, stale or foreign cache changes nothing.
@Suite struct ModelCacheTests {
    static let png = Fixtures.bytes("rgb.png")
    /// gpt-image-2 is active in the catalogue; OpenAI's list says it shut down on 2026-12-05.
    static let list = """
        {"object": "list", "data": [
          {"id": "gpt-image-2", "object": "model", "created": 1776729600, "owned_by": "system",
           "shutdown_date": "2026-12-05"},
          {"id": "gpt-image-2.5-flare", "object": "model", "created": 1788000000, "owned_by": "system",
           "shutdown_date": "2026-12-20"}
        ]}
        """

    let home = ScratchDirectory()

    func environment(today: String = "2026-12-10", _ more: [String: String] = [:]) -> [String: String] {
        ["OPENAI_API_KEY": InProcessRun.key, "HOME": home.path, "IMAGEGEN_TODAY": today].merging(more) { $1 }
    }

    var cachePath: String { home.sub(".cache/imagegen/models-openai.json") }

    func fetchList(today: String = "2026-12-10", _ arguments: [String] = []) {
        let run = InProcessRun(["models", "--live"] + arguments, environment: environment(today: today)) { _, _ in
            .status(200, json: Self.list)
        }
        #expect(run.status == 0, "\(run.stderr)")
    }

    func generate(_ model: String, _ more: [String] = [], today: String = "2026-12-10") -> InProcessRun {
        InProcessRun(["-m", model, "-o", "DIR/"] + more + ["a fox"], environment: environment(today: today)) {
            request, _ in
            #expect(!request.url.hasSuffix("/models"), "the list is not asked for again")
            return .openAIImages([Self.png])
        }
    }

    @Test func liveWritesTheProvidersLifecycleForOnlyItsOwner() throws {
        defer { home.remove() }
        fetchList()
        let attributes = try FileManager.default.attributesOfItem(atPath: cachePath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let cache = try JSON.parse(Array(try #require(home.contents(".cache/imagegen/models-openai.json"))))
        #expect(cache["provider"] == .string("openai"))
        #expect(cache["endpoint"] == .string("https://api.openai.com/v1"))
        #expect(cache["official"] == .bool(true))
        #expect(cache["fetched_on"] == .string("2026-12-10"))
        #expect(cache["fetched_at"]?.stringValue?.hasSuffix("Z") == true)
        let models = try #require(cache["models"]?.arrayValue)
        #expect(models.first?["id"] == .string("gpt-image-2"))
        #expect(models.first?["status"] == .string("deprecated"))
        #expect(models.first?["shutdown_date"] == .string("2026-12-05"))
        // No temporary file is left next to it.
        #expect(home.listing(".cache/imagegen") == [".cache/imagegen/models-openai.json"])
    }

    @Test func xdgCacheHomeWins() throws {
        defer { home.remove() }
        let run = InProcessRun(
            ["models", "--live"], environment: environment(["XDG_CACHE_HOME": home.sub("xdg")])
        ) { _, _ in .status(200, json: Self.list) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(home.contents("xdg/imagegen/models-openai.json") != nil)
        #expect(home.contents(".cache/imagegen/models-openai.json") == nil)
        #expect(run.stderr.contains("cached in \(home.sub("xdg/imagegen/models-openai.json"))"))
    }

    @Test func aModelTheProviderHasSinceRetiredIsRefusedWithNothingSent() {
        defer { home.remove() }
        fetchList()
        let run = generate("gpt-image-2")
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains("gpt-image-2 was retired by OpenAI on 2026-12-05"))
        #expect(run.stderr.contains("(nothing was sent)"))
    }

    @Test func aModelTheProviderHasSinceDeprecatedIsWarnedAbout() {
        defer { home.remove() }
        fetchList()
        let run = generate("gpt-image-2.5-flare")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.count == 1)
        #expect(run.stderr.contains("gpt-image-2.5-flare is deprecated: OpenAI shuts it down on 2026-12-20"))
    }

    @Test func aCompatibleServerIsNotGated() {
        defer { home.remove() }
        fetchList()
        let run = generate("openai/gpt-image-2", ["--api-base", "http://127.0.0.1:8000/v1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.map(\.url) == ["http://127.0.0.1:8000/v1/images/generations"])
    }

    @Test func aListFromACompatibleServerSaysNothingAboutOpenAI() {
        defer { home.remove() }
        fetchList(["--api-base", "http://127.0.0.1:8000/v1"])
        let run = generate("gpt-image-2")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.count == 1)
    }

    @Test func aListOlderThanTheCatalogueIsNotBelieved() {
        defer { home.remove() }
        fetchList(today: "2026-11-01")
        let run = generate("gpt-image-2")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.count == 1)
    }

    @Test(arguments: ["{not json", "", #"{"provider": "openai", "models": "many"}"#, "[1, 2, 3]"])
    func aDamagedCacheIsIgnoredSilently(_ text: String) throws {
        defer { home.remove() }
        try FileManager.default.createDirectory(
            atPath: home.sub(".cache/imagegen"), withIntermediateDirectories: true)
        home.write(".cache/imagegen/models-openai.json", Array(text.utf8))
        let run = generate("gpt-image-2")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.count == 1)
        #expect(run.stderr.isEmpty)
    }

    @Test func aDamagedCacheIsReplacedByTheNextList() {
        defer { home.remove() }
        try? FileManager.default.createDirectory(
            atPath: home.sub(".cache/imagegen"), withIntermediateDirectories: true)
        home.write(".cache/imagegen/models-openai.json", Array("garbage".utf8))
        fetchList()
        #expect(generate("gpt-image-2").status == 2)
    }

    @Test func withoutHomeNothingIsCachedAndTheListStillPrints() {
        let run = InProcessRun(["models", "--live"], environment: ["OPENAI_API_KEY": InProcessRun.key]) { _, _ in
            .status(200, json: Self.list)
        }
        #expect(run.status == 0)
        #expect(run.stdout.contains("gpt-image-2 "))
        #expect(run.stderr.contains("not cached: neither XDG_CACHE_HOME nor HOME names a directory"))
        home.remove()
    }

    @Test func aCacheThatCannotBeWrittenIsSaidButNotFatal() throws {
        defer { home.remove() }
        // A file where the cache directory should be.
        home.write(".cache", Array("not a directory".utf8))
        let run = InProcessRun(["models", "--live"], environment: environment()) { _, _ in
            .status(200, json: Self.list)
        }
        #expect(run.status == 0)
        #expect(run.stdout.contains("gpt-image-2 "))
        #expect(run.stderr.contains("imagegen: cannot write the model cache \(cachePath): Not a directory"))
    }

    @Test func aLegacyBedrockModelWithoutADateIsWarnedAbout() throws {
        defer { home.remove() }
        let list = """
            {"modelSummaries": [{"modelId": "stability.sd3-5-large-v1:0", "outputModalities": ["IMAGE"],
              "modelLifecycle": {"status": "LEGACY"}}]}
            """
        let aws = [
            "AWS_ACCESS_KEY_ID": "AKIDCACHE0001", "AWS_SECRET_ACCESS_KEY": "cache-secret", "HOME": home.path,
            "IMAGEGEN_TODAY": "2026-12-10",
        ]
        let fetched = InProcessRun(["models", "--live", "--provider", "bedrock"], environment: aws) { _, _ in
            .status(200, json: list)
        }
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let run = InProcessRun(["-m", "stability.sd3-5-large-v1:0", "-o", "DIR/", "a fox"], environment: aws) { _, _ in
            .status(200, json: #"{"images": ["\#(Base64.encode(Self.png))"]}"#)
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stderr.contains(
                "imagegen: stability.sd3-5-large-v1:0 is deprecated: Bedrock will shut it down (no date given yet)\n"))
    }

    @Test func bedrockListsCountOnlyForTheirRegion() throws {
        defer { home.remove() }
        let list = """
            {"modelSummaries": [{"modelId": "stability.sd3-5-large-v1:0", "outputModalities": ["IMAGE"],
              "modelLifecycle": {"status": "LEGACY", "endOfLifeTime": "2026-12-01T00:00:00Z"}}]}
            """
        let aws = [
            "AWS_ACCESS_KEY_ID": "AKIDCACHE0001", "AWS_SECRET_ACCESS_KEY": "cache-secret", "AWS_REGION": "us-west-2",
            "HOME": home.path, "IMAGEGEN_TODAY": "2026-12-10",
        ]
        let fetched = InProcessRun(["models", "--live", "--provider", "bedrock"], environment: aws) { _, _ in
            .status(200, json: list)
        }
        #expect(fetched.status == 0, "\(fetched.stderr)")
        let generate = { (region: String) in
            InProcessRun(
                ["-m", "bedrock/us.stability.sd3-5-large-v1:0", "-o", "DIR/", "a fox"],
                environment: aws.merging(["AWS_REGION": region]) { $1 }
            ) { _, _ in .status(200, json: #"{"images": ["\#(Base64.encode(Self.png))"]}"#) }
        }
        let sameRegion = generate("us-west-2")
        #expect(sameRegion.status == 2)
        #expect(sameRegion.sent.isEmpty)
        #expect(sameRegion.stderr.contains("was retired by Bedrock on 2026-12-01"))
        let otherRegion = generate("eu-west-1")
        #expect(otherRegion.status == 0, "\(otherRegion.stderr)")
        #expect(otherRegion.sent.count == 1)
    }
}
