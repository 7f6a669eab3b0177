import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP

/// `--stream` runs in-process: the scripted transport hands the event
/// stream to the receiver in pieces, as libcurl does.
@Suite struct StreamFlowTests {
    static let png = Fixtures.bytes("rgb.png")
    static let partial = Fixtures.bytes("gray.png")

    /// Partials then the final image, as OpenAI streams them.
    static func events(
        partials: Int = 2, final: Bool = true, prefix: String = "image_generation"
    )
        -> [(name: String, data: String)]
    {
        var events: [(name: String, data: String)] = (0..<partials).map { index in
            (
                "\(prefix).partial_image",
                #"{"type":"\#(prefix).partial_image","b64_json":"\#(Base64.encode(partial))","partial_image_index":\#(index)}"#
            )
        }
        if final {
            events.append(
                (
                    "\(prefix).completed",
                    #"{"type":"\#(prefix).completed","b64_json":"\#(Base64.encode(png))","created_at":1700000000,"#
                        + #""usage":{"input_tokens":3,"output_tokens":4160,"total_tokens":4163}}"#
                ))
        }
        return events
    }

    /// Cuts that fall inside a `data:` line and inside the base64.
    static let cuts = [3, 17, 40, 41, 500, 777, 1500]

    @Test func theFinalImageIsTheFileAndTheSameAsWithoutStreaming() throws {
        let streamed = InProcessRun(["-m", "gpt-image-2", "--stream", "-o", "DIR/out.png", "an owl"]) { _, _ in
            .eventStream(Self.events(), cuts: Self.cuts)
        }
        #expect(streamed.status == 0)
        #expect(streamed.stderr == "")
        #expect(streamed.files == ["out.png"])
        #expect(try streamed.body(0)["stream"] == .bool(true))
        #expect(try streamed.body(0)["partial_images"] == .int(2))
        #expect(streamed.sent[0].header("accept") == "text/event-stream")
        let plain = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/out.png", "an owl"]) { _, _ in
            .status(
                200,
                json: #"{"created":1700000000,"data":[{"b64_json":"\#(Base64.encode(Self.png))"}],"#
                    + #""usage":{"input_tokens":3,"output_tokens":4160,"total_tokens":4163}}"#)
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: streamed.path("out.png")))
        let b = try Data(contentsOf: URL(fileURLWithPath: plain.path("out.png")))
        #expect(a == b)
    }

    @Test func partialImagesGoToThePartialDirectoryAndJSONLines() throws {
        let run = InProcessRun([
            "-m", "gpt-image-2", "--stream", "--partial-images", "2", "--partial-dir", "DIR/parts", "--json",
            "-o", "DIR/owl.png", "an owl",
        ]) { _, _ in .eventStream(Self.events(), cuts: Self.cuts) }
        #expect(run.status == 0)
        #expect(run.files.contains("owl.png"))
        #expect(run.files.contains("parts/owl.partial-1.png"))
        #expect(run.files.contains("parts/owl.partial-2.png"))
        let partial = try Data(contentsOf: URL(fileURLWithPath: run.path("parts/owl.partial-1.png")))
        #expect([UInt8](partial) == Self.partial)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "two event lines, then the document on one line")
        let first = try JSON.parse(lines[0])
        #expect(first["event"] == .string("partial"))
        #expect(first["index"] == .int(1))
        #expect(first["of"] == .int(2))
        #expect(first["file"] == .string(run.path("parts/owl.partial-1.png")))
        let document = try JSON.parse(lines[2])
        #expect(document["usage"]?["total_tokens"] == .int(4163))
        #expect(document["data"]?.arrayValue?.count == 1)
    }

    @Test func aBrokenStreamIsRetriedAndThenExit7WithNothingWritten() {
        let run = InProcessRun(["-m", "gpt-image-2", "--stream", "--max-retries", "2", "-o", "DIR/", "an owl"]) {
            _, _ in
            .eventStream(Self.events(final: false), cuts: Self.cuts, broken: "transfer closed")
        }
        #expect(run.status == 7)
        #expect(run.sent.count == 3)
        #expect(run.files == [])
        #expect(
            run.stderr.hasSuffix(
                "the event stream from https://api.openai.com ended before the final image (after 2 partial images): "
                    + "transfer closed; nothing was written\n"))
    }

    @Test func aStreamCutOnceSucceedsOnTheRetry() {
        let run = InProcessRun(["-m", "gpt-image-2", "--stream", "-o", "DIR/", "an owl"]) { _, number in
            number == 0 ? .eventStream(Self.events(final: false)) : .eventStream(Self.events())
        }
        #expect(run.status == 0)
        #expect(run.sent.count == 2)
        #expect(run.files == ["an-owl.png"])
    }

    @Test func aMidStreamErrorIsARefusalAndNotRetried() {
        let run = InProcessRun(["-m", "gpt-image-2", "--stream", "-o", "DIR/", "an owl"]) { _, _ in
            .eventStream(
                Self.events(partials: 1, final: false)
                    + [("error", #"{"type":"error","error":{"code":"moderation_blocked","message":"Blocked."}}"#)])
        }
        #expect(run.status == 4)
        #expect(run.sent.count == 1)
        #expect(run.files == [])
        #expect(run.stderr.contains("the event stream ended with an error: Blocked. (moderation_blocked)"))
    }

    @Test func fanOutStreamsEachImageOnItsOwn() throws {
        let run = InProcessRun([
            "-m", "gpt-image-2", "--stream", "-n", "3", "--partial-dir", "DIR/p", "-o", "DIR/", "owl",
        ]) {
            _, _ in .eventStream(Self.events(partials: 1), cuts: Self.cuts)
        }
        #expect(run.status == 0)
        #expect(run.sent.count == 3)
        #expect(try run.body(0)["n"] == .int(1))
        #expect(run.files.filter { $0.hasPrefix("owl-") }.count == 3)
        #expect(
            run.files.filter { $0.hasPrefix("p/") && $0 != "p/" }.sorted() == [
                "p/owl-1.partial-1.png", "p/owl-2.partial-1.png", "p/owl-3.partial-1.png",
            ])
    }

    @Test func aBatchStreamsEveryLine() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("lines.txt", Array("one\ntwo\n".utf8))
        let run = InProcessRun([
            "-m", "gpt-image-2", "--stream", "--json", "--batch", scratch.sub("lines.txt"), "-o", "DIR/",
        ]) { _, _ in .eventStream(Self.events(partials: 1)) }
        #expect(run.status == 0)
        #expect(run.sent.count == 2)
        #expect(run.files.sorted() == ["one.png", "two.png"])
        let events = run.stdout.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
        #expect(
            events.filter { $0["event"] == .string("partial") }.compactMap { $0["line"]?.intValue }.sorted() == [1, 2])
    }

    @Test func anEventOverMaxFilesizeEndsTheTransferWithExit7() {
        let run = InProcessRun(["-m", "gpt-image-2", "--stream", "--max-filesize", "64", "-o", "DIR/", "an owl"]) {
            _, _ in .eventStream(Self.events(), cuts: Self.cuts)
        }
        #expect(run.status == 7)
        #expect(run.sent.count == 1)
        #expect(run.files == [])
        #expect(run.stderr.contains("was larger than --max-filesize 64"))
    }

    @Test func aServerThatIgnoresStreamIsReadAsUsual() {
        let run = InProcessRun(["-m", "gpt-image-2", "--stream", "-o", "DIR/", "an owl"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 0)
        #expect(run.files == ["an-owl.png"])
    }

    @Test func dryRunShowsTheStreamingBody() {
        let run = InProcessRun(["-m", "gpt-image-2", "--stream", "--partial-images", "3", "--dry-run", "an owl"]) {
            _, _ in .openAIImages([Self.png])
        }
        #expect(run.status == 0)
        #expect(run.sent.isEmpty)
        #expect(run.stdout.contains("> Accept: text/event-stream\n"))
        #expect(run.stdout.contains(#""stream":true,"partial_images":3"#))
    }

    @Test(arguments: [
        (["-m", "dall-e-2", "--api-base", "https://api.openai.com/v1"], "dall-e-2 does not stream partial images"),
        (["-m", "bedrock/amazon.nova-canvas-v1:0"], "Bedrock models do not stream"),
        (["-m", "gpt-image-2", "--partial-images", "1"], "--partial-images N goes with --stream"),
        (["-m", "gpt-image-2", "--partial-dir", "DIR/p"], "--partial-dir DIR saves the partial images of --stream"),
    ])
    func streamingIsRefusedWhereItCannotBe(arguments: [String], message: String) {
        let extra = arguments.contains("--partial-images") || arguments.contains("--partial-dir") ? [] : ["--stream"]
        let run = InProcessRun(arguments + extra + ["an owl"]) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }
}
