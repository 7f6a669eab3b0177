import Foundation
import TestSupport
import Testing

/// Black Forest Labs, OpenRouter, Recraft, Nscale and Xinference through
/// libcurl against their strict fakes.
@Suite struct MoreProvidersTests {
    // MARK: Black Forest Labs

    @Test func bflPendingThenReadyIsPolledPacedAndDownloaded() async throws {
        let t = try await E2E.blackForestLabs()
        let result = try await t.run(
            [
                "--json", "-m", "black_forest_labs/flux-pro-1.1", "--size", "512x512", "--seed", "7", "-o", "fox.png",
                "a fox [[pending:2]]",
            ], env: t.bflEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let log = try await t.fake.requests()
        #expect(log.map(\.method) == ["POST", "GET", "GET", "GET", "GET"])
        #expect(log.map(\.status) == [200, 200, 200, 200, 200], "no poll was refused for pacing")
        let post = try #require(log.first)
        #expect(post.path == "/v1/flux-pro-1.1")
        #expect(post.headers["x-key"] == E2E.bflKey)
        expectBody(post, equals: ["prompt": "a fox [[pending:2]]", "width": 512, "height": 512, "seed": 7])
        #expect(log[1...3].allSatisfy { $0.path == "/v1/get_result" && $0.headers["x-key"] == E2E.bflKey })
        #expect(log[4].path.hasPrefix("/delivery/"))
        #expect(log[4].headers["x-key"] == nil, "the delivery URL gets no key")
        let png = try #require(PNGFile(contentsOf: t.resolve("fox.png")))
        #expect(png.serial == post.serials.first)
        let document = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        #expect(document?["cost_usd"] as? Double == 0.04, "4 credits, as the submission said")
    }

    @Test func bflFailedAndModeratedTasksAreExitFourWithTheReason() async throws {
        let t = try await E2E.blackForestLabs()
        let failed = try await t.run(["-m", "black_forest_labs/flux-dev", "a fox [[failed]]"], env: t.bflEnvironment)
        #expect(failed.status == 4)
        #expect(failed.stderr.contains("Error (Generation failed)"), "\(failed.stderr)")
        let moderated = try await t.run(
            ["-m", "black_forest_labs/flux-dev", "a fox [[moderated]]"], env: t.bflEnvironment)
        #expect(moderated.status == 4)
        #expect(moderated.stderr.contains("Content Moderated"))
        #expect(moderated.stderr.contains("Derivative Works Filter"))
        #expect(t.files().isEmpty)
        #expect(!(failed.stderr + moderated.stderr).contains(E2E.bflKey))
    }

    @Test func bflTaskOutlastingTheTimeoutIsExitSix() async throws {
        let t = try await E2E.blackForestLabs()
        let result = try await t.run(
            ["--timeout", "2", "-m", "black_forest_labs/flux-dev", "a fox [[forever]]"], env: t.bflEnvironment)
        #expect(result.status == 6)
        #expect(result.stderr.contains("still Pending after 2 s; raise --timeout"), "\(result.stderr)")
        #expect(result.elapsed < .seconds(10))
        #expect(t.files().isEmpty)
    }

    /// The fake's second server plays a host that is neither the submit host
    /// nor one of BFL's API domains: loopback ports stand for hosts, and
    /// BFL's own domains are checked in the unit tests without a network.
    @Test func bflPollingURLOnAForeignHostNeverGetsTheKey() async throws {
        let t = try await E2E.blackForestLabs()
        let result = try await t.run(["-m", "black_forest_labs/flux-dev", "a fox [[foreign]]"], env: t.bflEnvironment)
        #expect(result.status == 0, "\(result.stderr)")
        let log = try await t.fake.requests()
        let main = "127.0.0.1:\(t.fake.port)"
        let foreign = log.filter { $0.headers["host"] != main }
        #expect(!foreign.isEmpty, "the polls went to the other server")
        #expect(foreign.allSatisfy { $0.path == "/v1/get_result" })
        #expect(foreign.allSatisfy { $0.headers["x-key"] == nil })
        #expect(!foreign.contains { $0.headers.values.contains { $0.contains(E2E.bflKey) } })
        #expect(log.first?.headers["x-key"] == E2E.bflKey, "the submit host still gets it")
    }

    /// libcurl keeps custom headers across a redirect to another host: a
    /// poll carrying the key follows none.
    @Test func bflPollRedirectedToAnotherHostIsNotFollowedWithTheKey() async throws {
        let t = try await E2E.blackForestLabs()
        let result = try await t.run(["-m", "black_forest_labs/flux-dev", "a fox [[redirect]]"], env: t.bflEnvironment)
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stderr.contains("HTTP 307"), "\(result.stderr)")
        let log = try await t.fake.requests()
        let main = "127.0.0.1:\(t.fake.port)"
        #expect(log.allSatisfy { $0.headers["host"] == main }, "nothing reached the other server")
        #expect(t.files().isEmpty)
    }

    @Test func bflWithoutAKeyIsExitThreeAndSendsNothing() async throws {
        let t = try await E2E.blackForestLabs()
        let result = try await t.run(
            ["-m", "black_forest_labs/flux-dev", "a fox"], env: ["BFL_API_BASE": t.fake.origin])
        #expect(result.status == 3)
        #expect(result.stderr.contains("BFL_API_KEY"))
        #expect(try await t.fake.requests().isEmpty)
    }

    // MARK: OpenRouter

    @Test func openRouterDataURLsAreWrittenAndUsageCostIsTheCost() async throws {
        let t = try await E2E.openRouter()
        let env = ["OPENROUTER_API_KEY": E2E.openRouterKey, "OPENROUTER_API_BASE": t.fake.origin + "/api/v1"]
        let result = try await t.run(
            [
                "--json", "-m", "openrouter/google/gemini-2.5-flash-image", "--size", "1536x1024", "-o", "fox.png",
                "a fox",
            ], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.requests().first)
        #expect(post.path == "/api/v1/chat/completions")
        #expect(post.headers["authorization"] == "Bearer \(E2E.openRouterKey)")
        expectBody(
            post,
            equals: [
                "model": "google/gemini-2.5-flash-image", "messages": [["role": "user", "content": "a fox"]],
                "modalities": ["image", "text"], "image_config": ["aspect_ratio": "3:2"],
            ])
        let png = try #require(PNGFile(contentsOf: t.resolve("fox.png")))
        #expect(png.serial == post.serials.first)
        let document = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        #expect(document?["cost_usd"] as? Double == 0.0387)
    }

    @Test func openRouterTextWithoutAnImageIsAFailure() async throws {
        let t = try await E2E.openRouter()
        let env = ["OPENROUTER_API_KEY": E2E.openRouterKey, "OPENROUTER_API_BASE": t.fake.origin + "/api/v1"]
        let result = try await t.run(["-m", "openrouter/google/gemini-2.5-flash-image", "[[text-only]]"], env: env)
        #expect(result.status == 7)
        #expect(result.stderr.contains("no image: I can only describe it"), "\(result.stderr)")
    }

    @Test func openRouterModelsLiveListsOnlyImageModels() async throws {
        let t = try await E2E.openRouter()
        let env = ["OPENROUTER_API_KEY": E2E.openRouterKey, "OPENROUTER_API_BASE": t.fake.origin + "/api/v1"]
        let result = try await t.run(["models", "--live", "--json", "--provider", "openrouter"], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.requests().map(\.query) == ["output_modalities=image"])
        #expect(result.stdout.contains("google/gemini-2.5-flash-image"))
        #expect(!result.stdout.contains("openai/gpt-4o"))
    }

    @Test func bflModelsLiveSaysThereIsNoList() async throws {
        let t = try await E2E.blackForestLabs()
        let result = try await t.run(["models", "--live", "--provider", "black_forest_labs"], env: t.bflEnvironment)
        #expect(result.status == 2)
        #expect(result.stderr.contains("publishes no list"))
        #expect(try await t.fake.requests().isEmpty)
    }

    // MARK: OpenAI-compatible presets

    @Test func recraftSendsItsStyleAndItsURLsAreDownloaded() async throws {
        let t = try await E2E.compatible("recraft")
        let env = ["RECRAFT_API_KEY": E2E.compatibleKey, "RECRAFT_API_BASE": t.fake.origin]
        let result = try await t.run(
            [
                "-m", "recraft/recraftv3", "--style", "digital_illustration", "--param", "substyle=hand_drawn", "-n",
                "2", "--size", "1024x1024", "-o", "fox.png", "a fox",
            ], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        let log = try await t.fake.requests()
        #expect(log.map(\.method) == ["POST", "GET", "GET"])
        #expect(log[0].path == "/v1/images/generations")
        #expect(log[0].headers["authorization"] == "Bearer \(E2E.compatibleKey)")
        expectBody(
            log[0],
            equals: [
                "model": "recraftv3", "prompt": "a fox", "n": 2, "size": "1024x1024", "style": "digital_illustration",
                "substyle": "hand_drawn",
            ])
        #expect(log[1...].allSatisfy { $0.headers["authorization"] == nil }, "downloads carry no key")
        #expect(result.lines == ["fox-1.png", "fox-2.png"])
    }

    @Test func nscaleBasicFlow() async throws {
        let t = try await E2E.compatible("nscale")
        let env = ["NSCALE_API_KEY": E2E.compatibleKey, "NSCALE_API_BASE": t.fake.origin + "/v1"]
        let result = try await t.run(
            ["-m", "nscale/black-forest-labs/FLUX.1-schnell", "--size", "512x512", "-o", "fox.png", "a fox"], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.requests().first)
        expectBody(post, equals: ["model": "black-forest-labs/FLUX.1-schnell", "prompt": "a fox", "size": "512x512"])
        #expect(post.headers["authorization"] == "Bearer \(E2E.compatibleKey)")
        #expect(PNGFile(contentsOf: t.resolve("fox.png"))?.serial == post.serials.first)
    }

    @Test func xinferenceWithABaseAndNoKeySendsNoCredentials() async throws {
        let t = try await E2E.compatible("xinference", key: nil)
        let result = try await t.run(
            ["-m", "xinference/sd3-medium", "-o", "fox.png", "a fox"], env: ["XINFERENCE_API_BASE": t.fake.baseURL])
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.requests().first)
        #expect(post.headers["authorization"] == nil)
        expectBody(post, equals: ["model": "sd3-medium", "prompt": "a fox", "response_format": "b64_json"])
    }

    @Test func nscaleModelsLiveReadsItsWholeList() async throws {
        let t = try await E2E.compatible("nscale")
        let env = ["NSCALE_API_KEY": E2E.compatibleKey, "NSCALE_API_BASE": t.fake.origin + "/v1"]
        let result = try await t.run(["models", "--live", "--json", "--provider", "nscale"], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        let get = try #require(try await t.fake.requests().first)
        #expect(get.method == "GET" && get.path == "/v1/models")
        #expect(get.headers["authorization"] == "Bearer \(E2E.compatibleKey)")
        #expect(result.stdout.contains("black-forest-labs/FLUX.1-schnell"))
        #expect(result.stdout.contains("stabilityai/stable-diffusion-xl-base-1.0"))
    }

    @Test func xinferenceModelsLiveKeepsOnlyItsImageModels() async throws {
        let t = try await E2E.compatible("xinference", key: nil)
        let result = try await t.run(
            ["models", "--live", "--json", "--provider", "xinference"], env: ["XINFERENCE_API_BASE": t.fake.baseURL])
        #expect(result.status == 0, "\(result.stderr)")
        let get = try #require(try await t.fake.requests().first)
        #expect(get.path == "/v1/models" && get.headers["authorization"] == nil)
        #expect(result.stdout.contains("sd3-medium"))
        #expect(!result.stdout.contains("qwen2.5-instruct"), "an LLM the server runs is not an image model")
    }

    @Test func xinferenceWithoutABaseIsExitThreeAndNeverReachesOpenAI() async throws {
        let openAI = try await E2E()
        let env = [
            "XINFERENCE_API_KEY": "xinference-secret-key", "OPENAI_API_KEY": openAI.fake.apiKey,
            "OPENAI_API_BASE": openAI.fake.baseURL,
        ]
        let result = try await openAI.run(["-m", "xinference/sd3-medium", "a fox"], env: env)
        #expect(result.status == 3)
        #expect(result.stderr.contains("XINFERENCE_API_BASE"))
        #expect(!result.stderr.contains("xinference-secret-key"))
        #expect(try await openAI.fake.requests().isEmpty, "nothing went to the OpenAI server")
    }
}
