import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP

/// Whole runs of the command line, in-process: arguments, environment and
/// captured I/O into `CommandLineTool.main`, a scripted transport instead of
/// libcurl. What each flow sent, wrote, printed and returned is checked.
@Suite struct GenerationFlowTests {
    static let png = Fixtures.bytes("rgb.png")
    static let key = InProcessRun.key

    @Test func oneImageIsWrittenAndItsPathPrinted() throws {
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "a sea otter"]) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 0)
        #expect(run.stdout == run.path("a-sea-otter.png") + "\n")
        #expect(run.stderr == "")
        #expect(run.files == ["a-sea-otter.png"])
        #expect(run.sent.count == 1)
        try #require(run.sent.count == 1)
        #expect(run.sent[0].url == "https://api.openai.com/v1/images/generations")
        #expect(run.sent[0].header("authorization") == "Bearer \(Self.key)")
        #expect(
            try run.body(0) == JSON.object([("model", .string("gpt-image-2")), ("prompt", .string("a sea otter"))]))
    }

    @Test func fanOutSendsOneRequestPerImageWithinTheConcurrency() throws {
        let run = InProcessRun([
            "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-3", "-n", "3", "--concurrency", "2", "-o",
            "DIR/", "a fox",
        ]) { _, _ in
            .openAIImages([Self.png], after: 0.5)
        }
        #expect(run.status == 0)
        #expect(run.sent.count == 3)
        #expect(run.transport.maxInFlight == 2)
        #expect(try run.body(0)["n"] == .int(1))
        #expect(run.stdout == ["a-fox-1.png", "a-fox-2.png", "a-fox-3.png"].map { run.path($0) + "\n" }.joined())
    }

    @Test func aBatchReportsBadLinesInPlaceAndWritesTheRest() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.jsonl", Array("one\n{\"prompt\": \"two\", \"n\": 0}\nthree\n".utf8))
        let run = InProcessRun(["-m", "gpt-image-2", "--batch", scratch.sub("prompts.jsonl"), "-o", "DIR/"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 2)
        #expect(run.sent.count == 2)
        #expect(run.files == ["one.png", "three.png"])
        #expect(run.stdout == run.path("one.png") + "\n" + run.path("three.png") + "\n")
        #expect(
            run.stderr.hasPrefix(
                "imagegen: line 2: option '--n' expects a whole number from 1 to 10000, got '0'\n"
                    + "imagegen: batch done: 3 lines, 2 images written, 1 line failed, cost $"))
    }

    @Test func aTransientFailureIsRetriedAndSaidSoWithVerbose() {
        let run = InProcessRun(["-v", "-m", "gpt-image-2", "-o", "DIR/", "a kite"]) { _, number in
            number == 0
                ? .openAIError(500, message: "The server had an error", code: "server_error")
                : .openAIImages([Self.png])
        }
        #expect(run.status == 0)
        #expect(run.sent.count == 2)
        #expect(run.stderr.contains("imagegen: retry 1 of 2 for https://api.openai.com in "))
        #expect(run.stderr.contains("after HTTP 500\n"))
        #expect(!run.stderr.contains(Self.key))
    }

    @Test func aProviderThatStaysUnavailableEndsWithExit5AndTheAttempts() {
        let run = InProcessRun(["--max-retries", "3", "-m", "gpt-image-2", "-o", "DIR/", "a kite"]) { _, _ in
            .openAIError(503, message: "The engine is currently overloaded", code: "server_error")
        }
        #expect(run.status == 5)
        #expect(run.sent.count == 4)
        #expect(
            run.stderr == "imagegen: openai is unavailable (HTTP 503): The engine is currently overloaded "
                + "(server_error) (4 attempts)\n")
        #expect(run.files.isEmpty)
    }

    @Test func aRateLimitHoldsBackTheBatchLinesNotYetStarted() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array((1...8).map { "prompt \($0)\n" }.joined().utf8))
        let run = InProcessRun([
            "-m", "gpt-image-2", "--concurrency", "4", "--batch", scratch.sub("prompts.txt"),
            "-o", "DIR/",
        ]) { _, number in
            number == 0
                ? .openAIError(
                    429, message: "Rate limit reached", code: "rate_limit_exceeded",
                    headers: [HTTPHeader("Retry-After", "1")], after: 0.1)
                : .openAIImages([Self.png], after: 0.2)
        }
        #expect(run.status == 0)
        #expect(run.files.count == 8)
        for sent in run.transport.sent.dropFirst(4) {
            #expect(sent.startedAt >= 1.1 - 1e-6)
        }
    }

    @Test func withJSONAStalledFirstLineHoldsBackOnlyAWindowOfLaterLines() throws {
        let run = Self.batchWithAStalledFirstLine(lines: 100, json: true)
        #expect(run.status == 0)
        #expect(run.files.count == 100)
        // Until line 1 is answered and printed, the documents behind it wait
        // with their image data: no more lines than the window are started.
        let startedWhileStalled = run.transport.sent.filter { $0.startedAt < 100 }.count
        #expect(startedWhileStalled == BatchWindow.limit(concurrency: 2))
        let indices = try run.stdout.split(separator: "\n").dropLast().map { try JSON.parse(Array($0.utf8))["index"] }
        #expect(indices == (0..<100).map { .int($0) })
    }

    @Test func withoutJSONTheLinesBehindAStalledOneArePrintedInOrder() throws {
        let run = Self.batchWithAStalledFirstLine(lines: 100, json: false)
        #expect(run.status == 0)
        #expect(run.files.count == 100)
        #expect(run.stdout == (1...100).map { run.path("prompt-\($0).png") + "\n" }.joined())
    }

    static func batchWithAStalledFirstLine(lines: Int, json: Bool) -> InProcessRun {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array((1...lines).map { "prompt \($0)\n" }.joined().utf8))
        return InProcessRun(
            (json ? ["--json"] : []) + [
                "-m", "gpt-image-2", "--concurrency", "2", "--batch", scratch.sub("prompts.txt"), "-o", "DIR/",
            ]
        ) { _, number in
            .openAIImages([Self.png], after: number == 0 ? 100 : 0.01)
        }
    }

    @Test func aLongBatchOfBadLinesIsReportedWithoutRecursing() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.jsonl", Array(String(repeating: "{\"prompt\": \"x\", \"n\": 0}\n", count: 20_000).utf8))
        let run = InProcessRun(["-m", "gpt-image-2", "--batch", scratch.sub("prompts.jsonl"), "-o", "DIR/"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        let errors = run.stderr.split(separator: "\n")
        #expect(errors.count == 20_001)
        #expect(errors.last == "imagegen: batch done: 20000 lines, 0 images written, 20000 lines failed")
    }

    @Test func aRateSpacesTheRequestStartsEvenly() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array((1...6).map { "prompt \($0)\n" }.joined().utf8))
        let run = InProcessRun([
            "-m", "gpt-image-2", "--concurrency", "4", "--rate", "120/m", "--batch", scratch.sub("prompts.txt"),
            "-o", "DIR/",
        ]) { _, _ in .openAIImages([Self.png], after: 0.01) }
        #expect(run.status == 0)
        #expect(run.files.count == 6)
        let starts = run.transport.sent.map(\.startedAt)
        #expect(starts.count == 6)
        for (index, start) in starts.enumerated() {
            #expect(abs(start - Double(index) * 0.5) < 1e-6, "request \(index + 1) started at \(start)")
        }
    }

    @Test func aShardRunsOnlyItsLinesAndKeepsTheirNumbers() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        // Line 4 is bad, but belongs to another shard: this one never sees it.
        scratch.write("prompts.txt", Array("one\ntwo\n# a comment\n{\"prompt\": 4}\nfive\nsix\nseven\n".utf8))
        let run = InProcessRun([
            "--json", "-m", "gpt-image-2", "--shard", "2/3", "--batch", scratch.sub("prompts.txt"), "-o", "DIR/",
        ]) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 0)
        #expect(try (0..<run.sent.count).map { try run.body($0)["prompt"] } == [.string("two"), .string("five")])
        #expect(run.files == ["five.png", "two.png"])
        let documents = try run.stdout.split(separator: "\n").map { try JSON.parse(Array($0.utf8)) }
        #expect(documents.map { $0["index"] } == [.int(1), .int(4), nil])
        #expect(documents.last?["summary"]?["lines"] == .int(2))
    }

    @Test func aShardWithoutABatchIsAUsageError() {
        let run = InProcessRun(["--shard", "1/2", "-m", "gpt-image-2", "-o", "DIR/", "a kite"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr == "imagegen: --shard splits a --batch file; add --batch FILE, or drop --shard\n")
    }

    @Test func urlAnswersAreDownloadedWithoutCredentials() throws {
        let url = "https://cdn.example.com/images/abc.png?sig=secret"
        let run = InProcessRun([
            "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-2", "-o", "DIR/", "a lighthouse",
        ]) { request, _ in
            request.method == "GET" ? .image(Self.png) : .openAIURLs([url])
        }
        #expect(run.status == 0)
        #expect(run.sent.map(\.method) == ["POST", "GET"])
        try #require(run.sent.count == 2)
        #expect(run.sent[1].url == url)
        #expect(run.sent[1].header("authorization") == nil)
        #expect(run.scratch.contents("a-lighthouse.png") != nil)
    }

    @Test func withNoDownloadTheURLIsPrintedAndNotFetched() {
        let url = "https://cdn.example.com/images/abc.png"
        let run = InProcessRun([
            "--no-download", "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-2", "-o", "DIR/",
            "a lighthouse",
        ]) { _, _ in
            .openAIURLs([url])
        }
        #expect(run.status == 0)
        #expect(run.sent.count == 1)
        #expect(run.stdout == url + "\n")
        #expect(run.files.isEmpty)
    }

    @Test func jsonPrintsOneDocumentWithTheFileAndItsFacts() throws {
        let run = InProcessRun(["--json", "-m", "gpt-image-2", "-o", "DIR/", "a heron"]) { _, _ in
            .openAIImages(
                [Self.png], revisedPrompt: "a grey heron",
                usage: #"{"input_tokens":10,"output_tokens":4160,"total_tokens":4170}"#)
        }
        #expect(run.status == 0)
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["model"] == .string("gpt-image-2"))
        #expect(document["provider"] == .string("openai"))
        let item = try #require(document["data"]?.arrayValue?.first)
        #expect(item["file"] == .string(run.path("a-heron.png")))
        #expect(item["format"] == .string("png"))
        #expect(item["revised_prompt"] == .string("a grey heron"))
        #expect(document["cost_usd"] == .number("0.12485"))  // 10 tokens at $5/M in, 4160 at $30/M out
    }

    @Test func aClosedStandardOutputIsReportedAfterTheImageIsWritten() {
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "a sea otter"], closedStandardOutput: true) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 7)
        #expect(run.stderr == "imagegen: cannot write to standard output: Broken pipe\n")
        #expect(run.files == ["a-sea-otter.png"])
    }

    @Test func aRefusedKeyIsExit4WithTheKeyRedacted() {
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "a kite"]) { _, _ in
            .openAIError(401, message: "Incorrect API key provided: \(Self.key).", code: "invalid_api_key")
        }
        #expect(run.status == 4)
        #expect(run.sent.count == 1)
        #expect(
            run.stderr == "imagegen: openai rejected the request (HTTP 401): Incorrect API key provided: "
                + "[REDACTED]. (invalid_api_key); check OPENAI_API_KEY or --api-key\n")
    }

    @Test func anAnswerThatIsNotAnImageIsExit7AndNothingIsWritten() {
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "a kite"]) { _, _ in
            .openAIImages([Array("this is plain text, not a picture".utf8)])
        }
        #expect(run.status == 7)
        #expect(
            run.stderr == "imagegen: bad response from openai: image 1 is not an image: unknown format "
                + "(starts with \"this is plain te\")\n")
        #expect(run.files.isEmpty)
    }

    /// Fixtures/make_hostile.py: 30000x30000 of zeros, and a 1x1 image whose
    /// iTXt chunk claims 2 GiB.
    @Test(arguments: [
        ("bomb.png", "30000x30000 is 900000000 pixels, over imagegen's limit of 67108864 pixels"),
        ("huge-iTXt.png", "iTXt chunk of 2147483647 bytes is over imagegen's limit of 8388608 bytes for one chunk"),
    ])
    func aHostileAnswerIsExit7NamingTheLimitAndNothingIsWritten(_ name: String, _ reason: String) async {
        let png = await HostilePNG.bytes(name)
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "a kite"]) { _, _ in .openAIImages([png]) }
        #expect(run.status == 7)
        #expect(run.stderr == "imagegen: bad response from openai: image 1 is not a valid PNG: \(reason)\n")
        #expect(run.stdout.isEmpty)
        #expect(run.files.isEmpty)
    }

    @Test func batchJSONLinesCarryEachLinesErrorInPlace() throws {
        let run = InProcessRun(["--json", "-m", "gpt-image-2", "--batch", "-", "-o", "DIR/"], stdin: "good\nbad\n") {
            request, _ in
            String(decoding: request.body, as: UTF8.self).contains("\"bad\"")
                ? .openAIError(400, message: "Your request was rejected", code: "content_policy_violation")
                : .openAIImages([Self.png])
        }
        #expect(run.status == 4)
        let lines = run.stdout.split(separator: "\n").map { try? JSON.parse(Array($0.utf8)) }
        #expect(lines.count == 3)
        #expect(lines[2]?["summary"]?["failed_lines"] == .int(1))
        #expect(lines[0]?["index"] == .int(0))
        #expect(lines[0]?["data"]?.arrayValue?.first?["file"] == .string(run.path("good.png")))
        #expect(lines[1]?["index"] == .int(1))
        #expect(lines[1]?["error"]?["type"] == .string("rejected"))
        #expect(lines[1]?["error"]?["status"] == .int(400))
        #expect(
            run.stderr.hasPrefix(
                "imagegen: line 2: openai rejected the request (HTTP 400): Your request was rejected "
                    + "(content_policy_violation)\nimagegen: batch done: 2 lines, 1 image written, 1 line failed"))
    }

    @Test func aFileNameTooLongForTheSystemIsRefusedBeforeSending() {
        let name = String(repeating: "n", count: 300) + ".png"
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/" + name, "a kite"]) { _, _ in .openAIImages([Self.png])
        }
        #expect(run.status == 7)
        #expect(run.transport.sent.isEmpty)
        #expect(run.stderr.hasPrefix("imagegen: cannot write \(run.scratch.path.prefix(40))…nnn"))
        #expect(
            run.stderr.hasSuffix(
                ".png: its name has 304 bytes, more than the 255 the file system allows; choose a shorter -o\n"))
        #expect(run.stderr.count < 300)  // the name is shortened, not printed whole
        #expect(run.files.isEmpty)
    }

    @Test func theNumberAndExtensionANameWillGetCountTowardsTheLimit() {
        let stem = String(repeating: "n", count: 251)
        let numbered = InProcessRun(["-m", "gpt-image-2", "-n", "2", "-o", "DIR/" + stem + ".png", "a kite"]) { _, _ in
            .openAIImages([Self.png, Self.png])
        }
        #expect(numbered.status == 7)
        #expect(numbered.transport.sent.isEmpty)
        #expect(
            numbered.stderr.hasSuffix(
                "nnn-1.png: its name has 257 bytes, more than the 255 the file system allows; choose a shorter -o\n"))
        let bare = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/" + stem + "n", "a kite"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(bare.status == 7)
        #expect(bare.transport.sent.isEmpty)
        #expect(
            bare.stderr.hasSuffix(
                "nnn.png: its name has 256 bytes, more than the 255 the file system allows; choose a shorter -o\n"))
    }

    @Test func aDirectoryNameTooLongIsRefusedBeforeSending() {
        let directory = String(repeating: "d", count: 256)
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/" + directory + "/", "a kite"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 7)
        #expect(run.transport.sent.isEmpty)
        #expect(
            run.stderr.hasSuffix("ddd has 256 bytes, more than the 255 the file system allows; choose a shorter -o\n"))
        #expect(run.files.isEmpty)
    }

    @Test func aPathTooLongIsRefusedBeforeSending() {
        let deep = Array(repeating: String(repeating: "p", count: 200), count: 21).joined(separator: "/")
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/" + deep + "/", "a kite"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 7)
        #expect(run.transport.sent.isEmpty)
        #expect(run.stderr.contains(" bytes, more than the 4095 the system allows; choose a shorter -o\n"))
        #expect(run.files.isEmpty)
    }

    @Test func everyBatchLineDestinationIsCheckedBeforeSending() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let tooLong = scratch.sub(String(repeating: "n", count: 300) + ".png")
        scratch.write(
            "prompts.jsonl", Array("one\n{\"prompt\": \"two\", \"output\": \"\(tooLong)\"}\nthree\n".utf8))
        let run = InProcessRun(["-m", "gpt-image-2", "--batch", scratch.sub("prompts.jsonl"), "-o", "DIR/"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 7)
        #expect(run.sent.count == 2)
        #expect(try (0..<2).map { try run.body($0)["prompt"] } == [.string("one"), .string("three")])
        #expect(run.stderr.hasPrefix("imagegen: line 2: cannot write \(scratch.path.prefix(40))…nnn"))
        #expect(
            run.stderr.contains(
                ".png: its name has 304 bytes, more than the 255 the file system allows; choose a shorter -o\n"))
        #expect(run.files == ["one.png", "three.png"])
    }

    @Test func aDeviceTakesOneImageAndIsCheckedBeforeSending() {
        let run = InProcessRun(["-m", "gpt-image-2", "-n", "2", "-o", "/dev/null", "a kite"]) { _, _ in
            .openAIImages([Self.png, Self.png])
        }
        #expect(run.status == 2)
        #expect(run.transport.sent.isEmpty)
        #expect(
            run.stderr == "imagegen: -o /dev/null is a device or FIFO and takes one image, but 2 were requested; "
                + "use -o DIR/ or -o NAME-{i}.png\n")
    }

    final class SettingsSeen: Sendable {
        let value = Mutex<TransferSettings?>(nil)
    }

    @Test func maxFileSizeReachesTheTransport() {
        for (arguments, expected) in [([String](), 512 << 20), (["--max-filesize", "3M"], 3 << 20)] {
            let captured = CapturedIO()
            let settings = SettingsSeen()
            let status = CommandLineTool.main(
                arguments: arguments + ["-m", "gpt-image-2", "--no-download", "a kite"],
                environment: Environment(["OPENAI_API_KEY": Self.key]), io: captured.io,
                makeTransport: { given in
                    settings.value.withLock { $0 = given }
                    return ScriptedTransport { _, _ in .openAIURLs(["https://cdn.example.com/a.png"]) }
                })
            #expect(status == 0, "\(captured.standardError)")
            #expect(settings.value.withLock { $0?.maxFileSize } == expected)
        }
    }

    @Test func anAnswerRefusedForItsSizeIsExit7AndNotRetried() {
        let message =
            "the answer from https://cdn.example.com was larger than --max-filesize 1M; "
            + "raise --max-filesize if the image is really that large"
        let run = InProcessRun([
            "--max-retries", "3", "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-2", "-o", "DIR/",
            "a lighthouse",
        ]) { request, _ in
            request.method == "GET"
                ? .failure(.refusedAnswer(message)) : .openAIURLs(["https://cdn.example.com/a.png"])
        }
        #expect(run.status == 7)
        #expect(run.sent.map(\.method) == ["POST", "GET"])
        #expect(run.stderr == "imagegen: \(message)\n")
        #expect(run.files.isEmpty)
    }

    @Test func aPasswordInTheAPIBaseIsNeverPrinted() {
        let base = "http://user:PASSWORD-0f3c@127.0.0.1:8080/v1"
        let dryRun = InProcessRun(["--dry-run", "--api-base", base, "-m", "dall-e-2", "a kite"]) { _, _ in .status(500)
        }
        #expect(dryRun.stdout.hasPrefix("> POST http://user:[REDACTED]@127.0.0.1:8080/v1/images/generations\n"))
        let verbose = InProcessRun([
            "-v", "--max-retries", "1", "--api-base", base, "-m", "dall-e-2", "-o", "DIR/", "a kite",
        ]) {
            _, _ in .openAIError(503, message: "overloaded at \(base)", code: "server_error")
        }
        #expect(verbose.status == 5)
        #expect(verbose.stderr.contains("> POST http://user:[REDACTED]@127.0.0.1:8080/v1/images/generations\n"))
        #expect(verbose.stderr.contains("imagegen: retry 1 of 1 for http://127.0.0.1:8080 in "))
        #expect(verbose.stderr.contains("overloaded at http://user:[REDACTED]@127.0.0.1:8080/v1"))
        for run in [dryRun, verbose] {
            #expect(!run.stdout.contains("PASSWORD") && !run.stderr.contains("PASSWORD"), "\(run.stdout)\(run.stderr)")
        }
    }

    @Test func verboseHidesURLSignaturesButNoDownloadPrintsTheURLExactly() {
        let url = "https://acct.blob.core.windows.net/images/a.png?sv=2024-11-04&se=2026-12-01&sp=r&sig=c2lnbmF0dXJl"
        let verbose = InProcessRun([
            "-v", "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-2", "-o", "DIR/", "a lighthouse",
        ]) { request, _ in
            request.method == "GET" ? .image(Self.png) : .openAIURLs([url])
        }
        #expect(verbose.status == 0)
        #expect(verbose.sent.last?.url == url)
        #expect(
            verbose.stderr.contains(
                "> GET https://acct.blob.core.windows.net/images/a.png"
                    + "?sv=[REDACTED]&se=[REDACTED]&sp=[REDACTED]&sig=[REDACTED]\n"), "\(verbose.stderr)")
        #expect(!verbose.stderr.contains("c2lnbmF0dXJl"))
        let printed = InProcessRun([
            "-v", "--no-download", "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-2", "a lighthouse",
        ]) { _, _ in
            .openAIURLs([url])
        }
        #expect(printed.status == 0)
        #expect(printed.stdout == url + "\n")
    }

    @Test func dryRunPrintsTheRequestAndSendsNothing() {
        let run = InProcessRun(["--dry-run", "-m", "gpt-image-2", "a kite"]) { _, _ in .status(500) }
        #expect(run.status == 0)
        #expect(run.sent.isEmpty)
        #expect(
            run.stdout.hasPrefix(
                "> POST https://api.openai.com/v1/images/generations\n"
                    + "> Authorization: Bearer [REDACTED]\n"))
    }

    @Test func commandWordsSelectCommandsAndDashDashMakesAPrompt() throws {
        let help = InProcessRun(["help"]) { _, _ in .status(500) }
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("imagegen "))
        #expect(help.sent.isEmpty)

        let prompt = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "--", "help", "me", "draw"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(prompt.status == 0)
        #expect(try prompt.body(0)["prompt"] == .string("help me draw"))
        #expect(prompt.files == ["help-me-draw.png"])

        // `history` is a command: its words are refused, nothing is sent.
        let history = InProcessRun(["history", "of", "hats"]) { _, _ in .status(500) }
        #expect(history.status == 2)
        #expect(history.sent.isEmpty)
        #expect(history.stderr.contains("imagegen history takes no words, got 'of'"))

        // `edit` is a command: without an --image it is a usage error, not a prompt.
        let edit = InProcessRun(["edit", "photo.png", "add a hat"]) { _, _ in .status(500) }
        #expect(edit.status == 2)
        #expect(edit.sent.isEmpty)
        #expect(edit.stderr.contains("needs at least one --image"))
    }
}
