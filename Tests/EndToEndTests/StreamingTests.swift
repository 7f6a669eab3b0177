import Foundation
import TestSupport
import Testing

/// `--stream` against the fake's event streams, which arrive cut inside
/// `data:` lines, inside the base64 and inside UTF-8 sequences.
@Suite struct StreamingTests {
    static let model = ["-m", "gpt-image-1"]

    @Test(arguments: ["", " [[crlf]]"])
    func theStreamedFileIsByteForByteTheOneWithoutStreaming(ending: String) async throws {
        let t = try await E2E()
        let streamed = try await t.run(Self.model + ["--stream", "-o", "streamed.png", "an owl [[fixed]]" + ending])
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stderr == "")
        let plain = try await t.run(Self.model + ["-o", "plain.png", "an owl [[fixed]]" + ending])
        #expect(plain.status == 0, "\(plain.stderr)")
        let a = try #require(t.contents("streamed.png"))
        let b = try #require(t.contents("plain.png"))
        #expect(a == b)
        #expect(PNGFile(contentsOf: t.resolve("streamed.png"))?.serial == 4242)

        let posts = try await t.fake.generationRequests()
        try #require(posts.count == 2)
        expectBody(
            posts[0],
            equals: [
                "model": "gpt-image-1", "prompt": "an owl [[fixed]]" + ending, "stream": true, "partial_images": 2,
            ])
        #expect(posts[0].headers["accept"] == "text/event-stream")
        #expect(posts[0].streamEnding == "clean")
        #expect(posts[0].streamCuts.count >= 3, "cut inside a data: line, the base64 and a UTF-8 sequence")
        expectBody(posts[1], equals: ["model": "gpt-image-1", "prompt": "an owl [[fixed]]" + ending])
    }

    @Test func partialsAreSavedAndAnnouncedAsJSONLines() async throws {
        let t = try await E2E()
        let result = try await t.run(
            Self.model + [
                "--stream", "--partial-images", "3", "--partial-dir", "parts", "--json", "-o", "owl.png", "owl",
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(t.files(in: "parts") == ["owl.partial-1.png", "owl.partial-2.png", "owl.partial-3.png"])
        #expect(PNGFile(contentsOf: t.resolve("parts/owl.partial-1.png"))?.serial == 60000)
        #expect(PNGFile(contentsOf: t.resolve("parts/owl.partial-3.png"))?.serial == 60002)
        let lines = result.lines
        try #require(lines.count == 4)
        for (number, line) in lines.prefix(3).enumerated() {
            let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(event["event"] as? String == "partial")
            #expect(event["index"] as? Int == number + 1)
            #expect(event["of"] as? Int == 3)
            #expect(event["file"] as? String == "parts/owl.partial-\(number + 1).png")
        }
        let document = try #require(try JSONSerialization.jsonObject(with: Data(lines[3].utf8)) as? [String: Any])
        #expect((document["usage"] as? [String: Any])?["output_tokens"] as? Int == 4160)
        #expect(document["cost_usd"] != nil)
    }

    @Test func aMidStreamErrorIsExit4WithNothingWrittenAndNoRetry() async throws {
        let t = try await E2E()
        let result = try await t.run(
            Self.model + ["--stream", "--partial-dir", "parts", "-o", "x.png", "x [[stream-error]]"])
        #expect(result.status == 4)
        #expect(
            result.stderr.contains(
                "the event stream ended with an error: Your request was rejected by the safety system. (moderation_blocked)"
            ))
        #expect(!t.files().contains("x.png"))
        #expect(try await t.fake.generationRequests().count == 1)
    }

    @Test func aCutStreamIsRetriedThenExit7WithNothingWritten() async throws {
        let t = try await E2E()
        let result = try await t.run(
            Self.model + ["--stream", "--max-retries", "2", "-o", "x.png", "x [[stream-cut]]"])
        #expect(result.status == 7)
        #expect(result.stderr.contains("ended before the final image (after 2 partial images)"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was written"))
        #expect(t.files() == [])
        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 3)
        #expect(posts.allSatisfy { $0.streamEnding == "cut" })
    }

    @Test func aStreamCutOnceSucceedsOnTheRetry() async throws {
        let t = try await E2E()
        let result = try await t.run(Self.model + ["--stream", "-o", "x.png", "x [[stream-cut-once]]"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(t.files() == ["x.png"])
        #expect(try await t.fake.generationRequests().map(\.streamEnding) == ["cut", "clean"])
    }

    @Test func aStreamThatEndsWithoutTheFinalImageIsExit7() async throws {
        let t = try await E2E()
        let result = try await t.run(
            Self.model + ["--stream", "--max-retries", "0", "-o", "x.png", "x [[stream-no-final]]"])
        #expect(result.status == 7)
        #expect(t.files() == [])
    }

    @Test func severalImagesStreamOneRequestEach() async throws {
        let t = try await E2E()
        let result = try await t.run(
            Self.model + ["--stream", "-n", "3", "--partial-images", "1", "-o", "owl.png", "owl"])
        #expect(result.status == 0, "\(result.stderr)")
        let posts = try await t.fake.generationRequests()
        #expect(posts.count == 3)
        #expect(posts.allSatisfy { $0.bodyObject?["n"] as? Int == 1 })
        #expect(t.files() == ["owl-1.png", "owl-2.png", "owl-3.png"])
        let serials = (1...3).compactMap { PNGFile(contentsOf: t.resolve("owl-\($0).png"))?.serial }
        #expect(Set(serials) == Set(posts.flatMap(\.serials)))
    }

    @Test func aBatchStreamsEachLine() async throws {
        let t = try await E2E()
        try Data("a fox\na hen [[crlf]]\n".utf8).write(to: t.cwd.appendingPathComponent("lines.txt"))
        let result = try await t.run(Self.model + ["--stream", "--batch", "lines.txt", "-o", "out/"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(t.files(in: "out") == ["a-fox.png", "a-hen-crlf.png"])
        #expect(try await t.fake.generationRequests().allSatisfy { $0.streamEnding == "clean" })
    }

    @Test func anEditStreamsTheSameWay() async throws {
        let t = try await E2E()
        try Data(Fixtures.bytes("rgb.png")).write(to: t.cwd.appendingPathComponent("in.png"))
        let result = try await t.run(
            ["edit"] + Self.model + ["--stream", "--image", "in.png", "-o", "hat.png", "a hat"])
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.requests().first)
        #expect(post.path == "/v1/images/edits")
        #expect(post.form.suffix(2).map(\.name) == ["stream", "partial_images"])
        #expect(post.form.last?.data == Data("2".utf8))
        #expect(post.streamEnding == "clean")
        #expect(PNGFile(contentsOf: t.resolve("hat.png"))?.serial == post.serials.first)
    }

    @Test func anEventLargerThanMaxFilesizeIsRefusedWithNothingWritten() async throws {
        let t = try await E2E()
        let result = try await t.run(Self.model + ["--stream", "--max-filesize", "8K", "-o", "x.png", "x"])
        #expect(result.status == 7)
        #expect(result.stderr.contains("was larger than --max-filesize 8K"), "\(result.stderr)")
        #expect(t.files() == [])
        #expect(try await t.fake.generationRequests().count == 1, "not retried")
    }

    @Test func aStreamWithoutEndIsCutOffAtFourTimesMaxFilesize() async throws {
        let t = try await E2E()
        let result = try await t.run(
            Self.model + ["--stream", "--max-filesize", "64K", "-o", "x.png", "x [[stream-endless]]"],
            timeout: .seconds(20))
        #expect(result.status == 7)
        #expect(result.stderr.contains("passed 4 times --max-filesize 64K"), "\(result.stderr)")
        #expect(t.files() == [])
    }

    @Test func dryRunPrintsTheStreamingBody() async throws {
        let t = try await E2E()
        let result = try await t.run(Self.model + ["--stream", "--dry-run", "owl"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("> Accept: text/event-stream"))
        #expect(result.stdout.contains(#"{"model":"gpt-image-1","prompt":"owl","stream":true,"partial_images":2}"#))
        #expect(try await t.fake.requests().isEmpty)
    }
}
