import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `-n` fan-out, `--batch` and `--concurrency`. The fake answers late on
/// `[[sleep-ms=N]]` and counts the generation requests it holds at once, so
/// these tests see overlap (or its absence) without measuring any time.
@Suite struct ConcurrencyTests {
    // MARK: - Fan-out

    @Test func concurrencyOneSerialisesAndFanOutKeepsRequestOrder() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "dall-e-3", "-n", "4", "--concurrency", "1",
            "--response-format", "b64_json", "-o", "fox.png",
            "a fox [[sleep-ms=100]]",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.maxInFlight() == 1)

        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 4)
        for post in posts {
            expectBody(
                post,
                equals: [
                    "model": "dall-e-3", "prompt": "a fox [[sleep-ms=100]]", "n": 1,
                    "response_format": "b64_json",
                ])
        }
        #expect(result.lines == ["fox-1.png", "fox-2.png", "fox-3.png", "fox-4.png"])
        // One request at a time: the k-th answer is the k-th request, and lands in file k.
        let serials = result.lines.map { PNGFile(contentsOf: t.resolve($0))?.serial }
        #expect(serials == posts.map(\.serials.first))
    }

    @Test func concurrencyEightOverlapsEightFanOutRequests() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "dall-e-3", "-n", "8", "--concurrency", "8",
            "--response-format", "b64_json", "-o", "owl.png",
            "an owl [[sleep-ms=500]]",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.maxInFlight() == 8)

        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 8)
        #expect(posts.allSatisfy { $0.bodyObject?["n"] as? Int == 1 })
        #expect(result.lines == (1...8).map { "owl-\($0).png" })
        let written = Set(result.lines.compactMap { PNGFile(contentsOf: t.resolve($0))?.serial })
        #expect(written == Set(posts.flatMap(\.serials)) && written.count == 8)
    }

    @Test func defaultConcurrencyIsFour() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "dall-e-3", "-n", "6", "--response-format", "b64_json",
            "-o", "out/", "a hen [[sleep-ms=300]]",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.maxInFlight() == 4)
        #expect(result.lines.count == 6)
        #expect(t.files(in: "out").count == 6)
    }

    @Test func oneFailedFanOutRequestKeepsTheOthers() async throws {
        let t = try await E2E()
        // [[flaky]] fails the first request the fake sees with 503; no retries allowed.
        let result = try await t.run([
            "--model", "dall-e-3", "-n", "3", "--max-retries", "0",
            "--response-format", "b64_json", "-o", "bee.png", "a bee [[flaky]]",
        ])
        #expect(result.status == 5)
        #expect(result.stderr.contains("unavailable (HTTP 503)"), "\(result.stderr)")
        #expect(try await t.fake.generationRequests().compactMap(\.status).sorted() == [200, 200, 503])
        #expect(result.lines.count == 2)
        #expect(t.files().count == 2)
        #expect(result.lines.allSatisfy { PNGFile(contentsOf: t.resolve($0)) != nil })
    }

    // MARK: - Batch

    /// 0-based lines: 0 comment, 1 fox (slowest, b64), 2 blank, 3 whale (dall-e-3, URL),
    /// 4 refused by the provider, 5 not JSON, 6 plain prompt (command-line model), 7 two cats.
    static let mixedBatch = """
        # models and sizes mixed; line 5 (1-based) is refused, line 6 is broken
        {"prompt": "a red fox [[sleep-ms=400]]", "model": "dall-e-2", "size": "256x256", "response_format": "b64_json"}

        {"prompt": "a blue whale [[sleep-ms=200]]", "model": "dall-e-3", "size": "1792x1024", "quality": "hd"}
        {"prompt": "a refused owl [[policy]]", "model": "dall-e-3"}
        {"prompt": "a broken line", "size":
        a plain prompt
        {"prompt": "two cats", "model": "gpt-image-1", "n": 2, "size": "1024x1536", "quality": "low"}

        """

    /// What each producing line asked for, in input order: prompt, model, size, images.
    static let mixedBatchImages: [(prompt: String, model: String, width: Int, height: Int)] = [
        ("a red fox [[sleep-ms=400]]", "dall-e-2", 256, 256),
        ("a blue whale [[sleep-ms=200]]", "dall-e-3", 1792, 1024),
        ("a plain prompt", "dall-e-2", 1024, 1024),
        ("two cats", "gpt-image-1", 1024, 1536),
        ("two cats", "gpt-image-1", 1024, 1536),
    ]

    @Test func batchMixingModelsKeepsSuccessesAndReportsFailuresByLine() async throws {
        let t = try await E2E()
        try Self.mixedBatch.write(to: t.cwd.appendingPathComponent("prompts.jsonl"), atomically: true, encoding: .utf8)
        let result = try await t.run(["--batch", "prompts.jsonl", "--concurrency", "8", "-o", "out/"])

        // The first failure in input order is the refusal (line 5), not the broken line 6.
        #expect(result.status == 4, "\(result.stderr)")
        var errors = result.stderr.split(separator: "\n").map(String.init)
        #expect(errors.popLast() == "imagegen: batch done: 6 lines, 5 images written, 2 lines failed, cost $0.48881")
        #expect(errors.count == 2, "\(result.stderr)")
        #expect(errors.first?.hasPrefix("imagegen: line 5: ") == true)
        #expect(errors.first?.contains("Your request was rejected as a result of our safety system.") == true)
        #expect(errors.last?.hasPrefix("imagegen: line 6: ") == true)

        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 5, "the broken line sends nothing")
        let models = Dictionary(
            posts.compactMap { post in
                (post.bodyObject?["prompt"] as? String).map { ($0, post.bodyObject?["model"] as? String) }
            }, uniquingKeysWith: { first, _ in first })
        #expect(models["a plain prompt"] == "dall-e-2")
        #expect(models["a blue whale [[sleep-ms=200]]"] == "dall-e-3")

        // Paths in input order although the first line answers last: each file's serial
        // leads back to the request that produced it.
        #expect(result.lines.count == Self.mixedBatchImages.count, "\(result.stdout)")
        let promptOfSerial = Self.promptsBySerial(posts)
        for (path, expected) in zip(result.lines, Self.mixedBatchImages) {
            let png = try #require(PNGFile(contentsOf: t.resolve(path)), "\(path)")
            #expect(promptOfSerial[png.serial ?? -1] == expected.prompt, "\(path)")
            #expect(png.width == expected.width && png.height == expected.height, "\(path)")
        }
        #expect(t.files(in: "out").count == 5)
    }

    @Test func batchJSONLinesAreInInputOrderWithIndexes() async throws {
        let t = try await E2E()
        try Self.mixedBatch.write(to: t.cwd.appendingPathComponent("prompts.jsonl"), atomically: true, encoding: .utf8)
        let result = try await t.run(["--batch", "prompts.jsonl", "--json", "--concurrency", "8", "-o", "out/"])
        #expect(result.status == 4, "\(result.stderr)")

        let documents = try Self.jsonLines(result.stdout)
        #expect(documents.map { $0["index"] as? Int } == [1, 3, 4, 5, 6, 7])
        let summary = try #require(try Self.allJSONLines(result.stdout).last?["summary"] as? [String: Any])
        #expect(summary["lines"] as? Int == 6 && summary["failed_lines"] as? Int == 2)
        #expect(summary["images"] as? Int == 5 && summary["failed_images"] as? Int == 1)
        #expect(summary["skipped_lines"] as? Int == 0 && summary["unpriced_lines"] as? Int == 0)

        let refused = documents.first { $0["index"] as? Int == 4 }
        let refusal = refused?["error"] as? [String: Any]
        #expect(refusal?["type"] as? String == "rejected")
        #expect(refusal?["status"] as? Int == 400)
        #expect((refusal?["message"] as? String)?.contains("safety system") == true)
        #expect(refused?["data"] == nil)

        let broken = documents.first { $0["index"] as? Int == 5 }?["error"] as? [String: Any]
        #expect(broken?["type"] as? String == "usage")
        #expect(broken?["status"] is NSNull)

        let succeeded = documents.filter { $0["error"] == nil }
        #expect(succeeded.map { $0["model"] as? String } == ["dall-e-2", "dall-e-3", "dall-e-2", "gpt-image-1"])
        let items = succeeded.flatMap { ($0["data"] as? [[String: Any]]) ?? [] }
        #expect(items.count == Self.mixedBatchImages.count)
        let promptOfSerial = Self.promptsBySerial(try await t.fake.generationRequests())
        for (item, expected) in zip(items, Self.mixedBatchImages) {
            let file = try #require(item["file"] as? String)
            let png = try #require(PNGFile(contentsOf: t.resolve(file)))
            #expect(promptOfSerial[png.serial ?? -1] == expected.prompt, "\(file)")
            #expect(item["width"] as? Int == expected.width && item["height"] as? Int == expected.height)
        }
    }

    @Test func batchFromStandardInputReportsABadFirstLineAndRunsTheRest() async throws {
        let t = try await E2E()
        let batch = """
            {"prompt": 42}
            a small green frog [[sleep-ms=200]]
            # skipped

            {"prompt": "a tall giraffe", "n": 2, "size": "512x512"}
            """
        let result = try await t.run(["--batch", "-", "--json", "--response-format", "b64_json"], stdin: batch)
        #expect(result.status == 2, "the bad line comes first: \(result.stderr)")
        #expect(result.stderr.hasPrefix("imagegen: line 1: "), "\(result.stderr)")

        let documents = try Self.jsonLines(result.stdout)
        #expect(documents.map { $0["index"] as? Int } == [0, 1, 4])
        #expect((documents.first?["error"] as? [String: Any])?["type"] as? String == "usage")
        let files = documents.dropFirst().map { document in
            ((document["data"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String }
        }
        #expect(files.map(\.count) == [1, 2])

        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 2)
        let promptOfSerial = Self.promptsBySerial(posts)
        let prompts = files.joined().map { promptOfSerial[PNGFile(contentsOf: t.resolve($0))?.serial ?? -1] }
        #expect(prompts == ["a small green frog [[sleep-ms=200]]", "a tall giraffe", "a tall giraffe"])
    }

    @Test func concurrencyBoundsABatchAcrossLinesAndFanOut() async throws {
        let t = try await E2E()
        let batch = (1...4).map { #"{"prompt": "bird \#($0) [[sleep-ms=300]]", "model": "dall-e-3", "n": 2}"# }
            .joined(separator: "\n")
        let result = try await t.run(
            ["--batch", "-", "--concurrency", "3", "--response-format", "b64_json"],
            stdin: batch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.maxInFlight() == 3)
        #expect(try await t.fake.generationRequests().count == 8)
        #expect(result.lines.count == 8)
        // Paths come in input order: both of bird 1's images, then bird 2's…
        #expect(
            result.lines.map {
                $0.contains("bird-1")
                    ? 1
                    : $0.contains("bird-2")
                        ? 2
                        : $0.contains("bird-3") ? 3 : $0.contains("bird-4") ? 4 : 0
            }
                == [1, 1, 2, 2, 3, 3, 4, 4], "\(result.lines)")
    }

    // MARK: - Helpers

    /// A batch's line documents; its closing summary is checked by the tests that mean to.
    static func jsonLines(_ text: String) throws -> [[String: Any]] {
        try allJSONLines(text).filter { $0["summary"] == nil }
    }

    static func allJSONLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    /// Serial number of each image the fake made → the prompt it was made for.
    static func promptsBySerial(_ posts: [RecordedRequest]) -> [Int: String] {
        var prompts: [Int: String] = [:]
        for post in posts {
            for serial in post.serials { prompts[serial] = post.bodyObject?["prompt"] as? String }
        }
        return prompts
    }
}

extension FakeOpenAIServer {
    /// The most generation requests the fake held (received, not yet answered) at one moment.
    func maxInFlight() async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: URL(string: origin + "/__stats")!)
        let stats = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return try #require(stats?["max_in_flight"] as? Int)
    }
}

/// A 429 pauses the whole batch, not just the refused request: requests that
/// had not started yet wait out the `Retry-After` too, instead of hammering
/// a provider that just said it is overloaded.
@Suite struct SharedBackoffTests {
    @Test func a429PausesRequestsNotYetStarted() async throws {
        let t = try await E2E()
        // Line 1 is refused once with `Retry-After: 1`; lines 2-4 fill the other
        // slots; lines 5-8 can only start once a slot frees, which is after the 429.
        let lines =
            ["a fox [[retry-after-1]]"] + (2...4).map { "[[sleep-ms=200]] fox \($0)" }
            + (5...8).map { "fox \($0)" }
        try lines.joined(separator: "\n").write(
            to: t.cwd.appendingPathComponent("prompts.txt"),
            atomically: true, encoding: .utf8)
        let result = try await t.run(["--batch", "prompts.txt", "--concurrency", "4", "-o", "out/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 8)

        let posts = try await t.fake.generationRequests()
        let prompt = { (post: RecordedRequest) in post.bodyObject?["prompt"] as? String ?? "" }
        let refused = try #require(posts.first { prompt($0).contains("[[retry-after-1]]") })
        let late = posts.filter { ["fox 5", "fox 6", "fox 7", "fox 8"].contains(prompt($0)) }
        #expect(late.count == 4)
        for post in late {
            // Lower bounds only: they hold however slow the machine is.
            #expect(
                post.received - refused.received >= 0.95,
                "\(prompt(post)) started \(post.received - refused.received) s after the 429")
        }
    }
}
