import Foundation
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
    static let key = "sk-flow-test-key-123"

    /// One run's world: a scratch directory for images and captured streams.
    final class Run {
        let scratch = ScratchDirectory()
        let transport: ScriptedTransport
        let captured: CapturedIO
        let status: Int32

        init(
            _ arguments: [String], environment: [String: String] = ["OPENAI_API_KEY": GenerationFlowTests.key],
            stdin: String? = nil, closedStandardOutput: Bool = false,
            script: @escaping ScriptedTransport.Script
        ) {
            transport = ScriptedTransport(script)
            captured = CapturedIO(stdin: stdin, closedStandardOutput: closedStandardOutput)
            let directory = scratch.path + "/"
            let arguments = arguments.map { $0.replacing("DIR/", with: directory) }
            let transport = self.transport
            status = CommandLineTool.main(
                arguments: arguments, environment: Environment(environment), io: captured.io,
                makeTransport: { _ in transport })
        }

        deinit { scratch.remove() }

        var stdout: String { captured.standardOutput }
        var stderr: String { captured.standardError }
        var files: [String] { scratch.listing() }
        var sent: [HTTPRequest] { transport.sent.map(\.request) }
        func body(_ index: Int) throws -> JSON { try JSON.parse(sent[index].body) }
        func path(_ name: String) -> String { scratch.sub(name) }
    }

    @Test func oneImageIsWrittenAndItsPathPrinted() throws {
        let run = Run(["-m", "gpt-image-1", "-o", "DIR/", "a sea otter"]) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 0)
        #expect(run.stdout == run.path("a-sea-otter.png") + "\n")
        #expect(run.stderr == "")
        #expect(run.files == ["a-sea-otter.png"])
        #expect(run.sent.count == 1)
        #expect(run.sent[0].url == "https://api.openai.com/v1/images/generations")
        #expect(run.sent[0].header("authorization") == "Bearer \(Self.key)")
        #expect(
            try run.body(0) == JSON.object([("model", .string("gpt-image-1")), ("prompt", .string("a sea otter"))]))
    }

    @Test func fanOutSendsOneRequestPerImageWithinTheConcurrency() throws {
        let run = Run(["-m", "dall-e-3", "-n", "3", "--concurrency", "2", "-o", "DIR/", "a fox"]) { _, _ in
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
        let run = Run(["-m", "gpt-image-1", "--batch", scratch.sub("prompts.jsonl"), "-o", "DIR/"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 2)
        #expect(run.sent.count == 2)
        #expect(run.files == ["one.png", "three.png"])
        #expect(run.stdout == run.path("one.png") + "\n" + run.path("three.png") + "\n")
        #expect(run.stderr == "imagegen: line 2: option '--n' expects a whole number of 1 or more, got '0'\n")
    }

    @Test func aTransientFailureIsRetriedAndSaidSoWithVerbose() {
        let run = Run(["-v", "-m", "gpt-image-1", "-o", "DIR/", "a kite"]) { _, number in
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
        let run = Run(["--max-retries", "3", "-m", "gpt-image-1", "-o", "DIR/", "a kite"]) { _, _ in
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
        let run = Run([
            "-m", "gpt-image-1", "--concurrency", "4", "--batch", scratch.sub("prompts.txt"),
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

    @Test func urlAnswersAreDownloadedWithoutCredentials() throws {
        let url = "https://cdn.example.com/images/abc.png?sig=secret"
        let run = Run(["-m", "dall-e-2", "-o", "DIR/", "a lighthouse"]) { request, _ in
            request.method == "GET" ? .image(Self.png) : .openAIURLs([url])
        }
        #expect(run.status == 0)
        #expect(run.sent.map(\.method) == ["POST", "GET"])
        #expect(run.sent[1].url == url)
        #expect(run.sent[1].header("authorization") == nil)
        #expect(run.scratch.contents("a-lighthouse.png") != nil)
    }

    @Test func withNoDownloadTheURLIsPrintedAndNotFetched() {
        let url = "https://cdn.example.com/images/abc.png"
        let run = Run(["--no-download", "-m", "dall-e-2", "-o", "DIR/", "a lighthouse"]) { _, _ in .openAIURLs([url]) }
        #expect(run.status == 0)
        #expect(run.sent.count == 1)
        #expect(run.stdout == url + "\n")
        #expect(run.files.isEmpty)
    }

    @Test func jsonPrintsOneDocumentWithTheFileAndItsFacts() throws {
        let run = Run(["--json", "-m", "gpt-image-1", "-o", "DIR/", "a heron"]) { _, _ in
            .openAIImages(
                [Self.png], revisedPrompt: "a grey heron",
                usage: #"{"input_tokens":10,"output_tokens":4160,"total_tokens":4170}"#)
        }
        #expect(run.status == 0)
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["model"] == .string("gpt-image-1"))
        #expect(document["provider"] == .string("openai"))
        let item = try #require(document["data"]?.arrayValue?.first)
        #expect(item["file"] == .string(run.path("a-heron.png")))
        #expect(item["format"] == .string("png"))
        #expect(item["revised_prompt"] == .string("a grey heron"))
        #expect(document["cost_usd"] == .number("0.16645"))
    }

    @Test func aClosedStandardOutputIsReportedAfterTheImageIsWritten() {
        let run = Run(["-m", "gpt-image-1", "-o", "DIR/", "a sea otter"], closedStandardOutput: true) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == 7)
        #expect(run.stderr == "imagegen: cannot write to standard output: Broken pipe\n")
        #expect(run.files == ["a-sea-otter.png"])
    }

    @Test func aRefusedKeyIsExit4WithTheKeyRedacted() {
        let run = Run(["-m", "gpt-image-1", "-o", "DIR/", "a kite"]) { _, _ in
            .openAIError(401, message: "Incorrect API key provided: \(Self.key).", code: "invalid_api_key")
        }
        #expect(run.status == 4)
        #expect(run.sent.count == 1)
        #expect(
            run.stderr == "imagegen: openai rejected the request (HTTP 401): Incorrect API key provided: "
                + "[REDACTED]. (invalid_api_key); check OPENAI_API_KEY or --api-key\n")
    }

    @Test func anAnswerThatIsNotAnImageIsExit7AndNothingIsWritten() {
        let run = Run(["-m", "gpt-image-1", "-o", "DIR/", "a kite"]) { _, _ in
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
    func aHostileAnswerIsExit7NamingTheLimitAndNothingIsWritten(_ name: String, _ reason: String) {
        let png = HostilePNG.bytes(name)
        let run = Run(["-m", "gpt-image-1", "-o", "DIR/", "a kite"]) { _, _ in .openAIImages([png]) }
        #expect(run.status == 7)
        #expect(run.stderr == "imagegen: bad response from openai: image 1 is not a valid PNG: \(reason)\n")
        #expect(run.stdout.isEmpty)
        #expect(run.files.isEmpty)
    }

    @Test func batchJSONLinesCarryEachLinesErrorInPlace() throws {
        let run = Run(["--json", "-m", "gpt-image-1", "--batch", "-", "-o", "DIR/"], stdin: "good\nbad\n") {
            request, _ in
            String(decoding: request.body, as: UTF8.self).contains("\"bad\"")
                ? .openAIError(400, message: "Your request was rejected", code: "content_policy_violation")
                : .openAIImages([Self.png])
        }
        #expect(run.status == 4)
        let lines = run.stdout.split(separator: "\n").map { try? JSON.parse(Array($0.utf8)) }
        #expect(lines.count == 2)
        #expect(lines[0]?["index"] == .int(0))
        #expect(lines[0]?["data"]?.arrayValue?.first?["file"] == .string(run.path("good.png")))
        #expect(lines[1]?["index"] == .int(1))
        #expect(lines[1]?["error"]?["type"] == .string("rejected"))
        #expect(lines[1]?["error"]?["status"] == .int(400))
        #expect(
            run.stderr == "imagegen: line 2: openai rejected the request (HTTP 400): Your request was rejected "
                + "(content_policy_violation)\n")
    }

    @Test func dryRunPrintsTheRequestAndSendsNothing() {
        let run = Run(["--dry-run", "-m", "gpt-image-1", "a kite"]) { _, _ in .status(500) }
        #expect(run.status == 0)
        #expect(run.sent.isEmpty)
        #expect(
            run.stdout.hasPrefix(
                "> POST https://api.openai.com/v1/images/generations\n"
                    + "> Authorization: Bearer [REDACTED]\n"))
    }

    @Test func commandWordsSelectCommandsAndDashDashMakesAPrompt() throws {
        let help = Run(["help"]) { _, _ in .status(500) }
        #expect(help.status == 0)
        #expect(help.stdout.hasPrefix("imagegen "))
        #expect(help.sent.isEmpty)

        let prompt = Run(["-m", "gpt-image-1", "-o", "DIR/", "--", "help", "me", "draw"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(prompt.status == 0)
        #expect(try prompt.body(0)["prompt"] == .string("help me draw"))
        #expect(prompt.files == ["help-me-draw.png"])

        let reserved = Run(["edit", "photo.png", "add a hat"]) { _, _ in .status(500) }
        #expect(reserved.status == 2)
        #expect(reserved.sent.isEmpty)
        #expect(reserved.stderr.contains("imagegen -- edit"))
    }
}
