import Foundation
import TestSupport
import Testing

/// Requests imagegen sends for each model and option, and the images it writes.
@Suite struct GenerationTests {
    @Test func dallE2IsTheDefaultAndItsURLIsDownloaded() async throws {
        let t = try await E2E()
        let result = try await t.run(["a red fox"])
        #expect(result.status == 0, "\(result.stderr)")

        let log = try await t.fake.requests()
        #expect(log.map(\.method) == ["POST", "GET"])
        let post = log.first
        #expect(post?.path == "/v1/images/generations")
        expectAuthorised(post)
        expectBody(post, equals: ["model": "dall-e-2", "prompt": "a red fox"])
        let serial = try #require(post?.serials.first)
        #expect(log.last?.path == "/files/img-\(serial).png")

        #expect(result.lines.count == 1)
        let file = t.resolve(try #require(result.lines.first))
        #expect(file.deletingLastPathComponent().standardizedFileURL.path == t.cwd.standardizedFileURL.path)
        #expect(file.lastPathComponent.lowercased().contains("red"))
        #expect(file.lastPathComponent.lowercased().contains("fox"))
        #expect(file.pathExtension == "png")
        let png = try #require(PNGFile(contentsOf: file))
        #expect(png.width == 1024 && png.height == 1024)
        #expect(png.serial == serial)
        #expect(t.files() == [file.lastPathComponent], "nothing else, no temporary file, in the directory")
    }

    @Test func imagegenModelEnvironmentVariableIsTheDefaultAndModelFlagBeatsIt() async throws {
        let t = try await E2E()
        let env = t.standardEnvironment.merging(["IMAGEGEN_MODEL": "dall-e-3"]) { $1 }
        let fromEnv = try await t.run(["an owl"], env: env)
        #expect(fromEnv.status == 0, "\(fromEnv.stderr)")
        let fromFlag = try await t.run(["--model", "dall-e-2", "an owl"], env: env)
        #expect(fromFlag.status == 0, "\(fromFlag.stderr)")

        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 2)
        expectBody(posts.first, equals: ["model": "dall-e-3", "prompt": "an owl"])
        expectBody(posts.last, equals: ["model": "dall-e-2", "prompt": "an owl"])
    }

    @Test func dallE3SendsExactlyTheOptionsGiven() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "dall-e-3", "--quality", "hd", "--style", "natural",
            "--size", "1792x1024", "--user", "u1", "--response-format", "b64_json",
            "a lighthouse at dusk",
        ])
        #expect(result.status == 0, "\(result.stderr)")

        let log = try await t.fake.requests()
        #expect(log.count == 1, "b64_json: nothing to download")
        expectAuthorised(log.first)
        expectBody(
            log.first,
            equals: [
                "model": "dall-e-3", "prompt": "a lighthouse at dusk", "quality": "hd",
                "style": "natural", "size": "1792x1024", "user": "u1",
                "response_format": "b64_json",
            ])
        let path = try #require(result.lines.first)
        let png = try #require(PNGFile(contentsOf: t.resolve(path)))
        #expect(png.width == 1792 && png.height == 1024)
        #expect(png.serial == log.first?.serials.first)
    }

    @Test func dallE3WithThreeImagesSendsThreeRequestsOfOne() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "dall-e-3", "-n", "3", "--response-format", "b64_json",
            "-o", "cat.png", "a cat",
        ])
        #expect(result.status == 0, "\(result.stderr)")

        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 3)
        for post in posts {
            expectBody(
                post,
                equals: [
                    "model": "dall-e-3", "prompt": "a cat", "n": 1,
                    "response_format": "b64_json",
                ])
        }
        #expect(result.lines == ["cat-1.png", "cat-2.png", "cat-3.png"])
        #expect(t.files() == ["cat-1.png", "cat-2.png", "cat-3.png"])
        // Requests may run concurrently, so which answer is "first" is only known as a set.
        let written = t.files().compactMap { PNGFile(contentsOf: t.resolve($0))?.serial }
        #expect(Set(written) == Set(posts.flatMap(\.serials)))
        #expect(written.count == 3)
    }

    @Test func dallE2WithThreeImagesSendsOneRequestAndKeepsTheOrder() async throws {
        let t = try await E2E()
        let result = try await t.run(["-n", "3", "three foxes"])
        #expect(result.status == 0, "\(result.stderr)")

        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 1)
        expectBody(posts.first, equals: ["model": "dall-e-2", "prompt": "three foxes", "n": 3])
        let serials = try #require(posts.first?.serials)
        #expect(try await t.fake.requests().filter { $0.method == "GET" }.count == 3)

        #expect(result.lines.count == 3)
        #expect(Set(result.lines).count == 3)
        #expect(
            result.lines.map { PNGFile(contentsOf: t.resolve($0))?.serial } == serials,
            "stdout lists the images in the provider's order")
        #expect(t.files().count == 3)
    }

    @Test func openAIPrefixIsRemovedAndApiBaseIsUsedAsGiven() async throws {
        let t = try await E2E()
        let result = try await t.run(
            [
                "--model", "openai/my-local-model", "--api-base", t.fake.origin + "/custom/v1",
                "a tree",
            ], env: ["OPENAI_API_KEY": t.fake.apiKey])
        #expect(result.status == 0, "\(result.stderr)")

        let posts = try await t.fake.generationRequests()
        #expect(posts.map(\.path) == ["/custom/v1/images/generations"])
        expectAuthorised(posts.first)
        expectBody(posts.first, equals: ["model": "my-local-model", "prompt": "a tree"])
        #expect(result.lines.count == 1)
        #expect(PNGFile(contentsOf: t.resolve(result.lines.first ?? "")) != nil)
    }

    @Test func gptImage1AnswersBase64WithUsage() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "gpt-image-1", "--quality", "high", "--size", "1536x1024",
            "--json", "a robot",
        ])
        #expect(result.status == 0, "\(result.stderr)")

        let posts = try await t.fake.generationRequests()
        expectBody(
            posts.first,
            equals: [
                "model": "gpt-image-1", "prompt": "a robot", "quality": "high",
                "size": "1536x1024",
            ])
        let document = try #require(result.json)
        let usage = try #require(document["usage"] as? [String: Any])
        #expect(usage["total_tokens"] as? Int == 2 + 4160)
        let item = try #require((document["data"] as? [[String: Any]])?.first)
        #expect(item["width"] as? Int == 1536 && item["height"] as? Int == 1024)
        let png = try #require(PNGFile(contentsOf: t.resolve(item["file"] as? String ?? "")))
        #expect(png.width == 1536 && png.height == 1024)
    }

    @Test func paramValuesAreSentAsJSONWhenTheyAreJSON() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "sdxl-turbo", "--param", "seed=42",
            "--param", "style_preset=photographic", "--param", "tiling=true",
            "--param", #"weights=[0.5,2.5]"#, "a castle",
        ])
        #expect(result.status == 0, "\(result.stderr)")

        let posts = try await t.fake.generationRequests()
        expectBody(
            posts.first,
            equals: [
                "model": "sdxl-turbo", "prompt": "a castle", "seed": 42,
                "style_preset": "photographic", "tiling": true, "weights": [0.5, 2.5],
            ])
        #expect(
            posts.first?.body.contains(#""seed":42"#) == true || posts.first?.body.contains(#""seed": 42"#) == true,
            "seed is a JSON number: \(posts.first?.body ?? "")")
    }

    @Test(arguments: [["--json"], ["--json", "-"]])
    func promptComesFromStandardInputWithoutTheTrailingNewline(arguments: [String]) async throws {
        let t = try await E2E()
        let result = try await t.run(arguments, stdin: "a red fox\n")
        #expect(result.status == 0, "\(result.stderr)")

        let posts = try await t.fake.generationRequests()
        expectBody(posts.first, equals: ["model": "dall-e-2", "prompt": "a red fox"])
        let item = try #require((result.json?["data"] as? [[String: Any]])?.first)
        #expect(PNGFile(contentsOf: t.resolve(item["file"] as? String ?? "")) != nil)
    }

    @Test func promptWordsAreJoinedWithSingleSpaces() async throws {
        let t = try await E2E()
        let result = try await t.run(["--", "a", "very", "-small", "mouse"])
        #expect(result.status == 0, "\(result.stderr)")
        expectBody(
            try await t.fake.generationRequests().first,
            equals: ["model": "dall-e-2", "prompt": "a very -small mouse"])
    }
}
