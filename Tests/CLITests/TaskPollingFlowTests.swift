import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP

/// Black Forest Labs' submit-then-poll generations, in-process on the
/// scripted transport's virtual clock: half-second polls and a ten-minute
/// `--timeout` cost no real time.
@Suite struct TaskPollingFlowTests {
    static let png = Fixtures.bytes("rgb.png")
    static let key = "bfl-flow-key-123"
    static let environment = ["BFL_API_KEY": key]
    static let pollURL = "https://api.eu1.bfl.ai/v1/get_result?id=task-1"
    static let sample = "https://delivery-eu1.bfl.ai/results/r.png?se=2026&sig=abc"

    static func submitted(pollURL: String = pollURL, cost: String = "4") -> ScriptedTransport.Reply {
        .status(200, json: #"{"id":"task-1","polling_url":"\#(pollURL)","cost":\#(cost)}"#)
    }

    static func status(_ status: String, extra: String = "") -> ScriptedTransport.Reply {
        .status(200, json: #"{"id":"task-1","status":"\#(status)","result":null\#(extra)}"#)
    }

    static let ready = ScriptedTransport.Reply.status(
        200, json: #"{"id":"task-1","status":"Ready","result":{"sample":"\#(sample)","seed":3}}"#)

    /// Submit, `pending` polls answering Pending, then `final`, then the download.
    static func script(pending: Int, final: ScriptedTransport.Reply = ready) -> ScriptedTransport.Script {
        { request, number in
            if number == 0 { return submitted() }
            if request.url == sample { return .image(png) }
            return number <= pending ? status("Pending") : final
        }
    }

    @Test func pendingThenReadyIsDownloadedAndCostsWhatBFLSaid() throws {
        let run = InProcessRun(
            ["--json", "-m", "black_forest_labs/flux-pro-1.1", "-o", "DIR/", "a fox"],
            environment: Self.environment, script: Self.script(pending: 3))
        #expect(run.status == 0, "\(run.stderr)")
        let sent = run.transport.sent
        #expect(sent.map(\.request.method) == ["POST", "GET", "GET", "GET", "GET", "GET"])
        #expect(sent[0].request.url == "https://api.bfl.ai/v1/flux-pro-1.1")
        #expect(sent[1...4].allSatisfy { $0.request.url == Self.pollURL })
        #expect(sent[1...4].allSatisfy { $0.request.header("x-key") == Self.key }, "a BFL API host gets the key")
        #expect(sent[5].request.url == Self.sample)
        #expect(sent[5].request.header("x-key") == nil, "the delivery URL never gets the key")
        // Polls are paced half a second apart, as BFL's example does.
        for index in 2...4 {
            #expect(sent[index].startedAt - sent[index - 1].startedAt >= 0.5)
        }
        #expect(run.files == ["a-fox.png"])
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["provider"] == .string("black_forest_labs"))
        #expect(document["cost_usd"] == .number("0.04"), "4 credits of $0.01, reported at submission")
    }

    @Test func aFailedTaskIsExitFourWithItsReason() {
        let run = InProcessRun(
            ["-m", "black_forest_labs/flux-pro-1.1", "-o", "DIR/", "a fox"], environment: Self.environment,
            script: Self.script(
                pending: 1,
                final: Self.status(
                    "Content Moderated", extra: #","details":{"Moderation Reasons":["Derivative Works Filter"]}"#)))
        #expect(run.status == 4)
        #expect(run.stderr.contains("Content Moderated"))
        #expect(run.stderr.contains("Derivative Works Filter"))
        #expect(run.files.isEmpty)
    }

    @Test func aTaskThatOutlastsTheTimeoutIsExitSix() {
        let run = InProcessRun(
            ["--timeout", "5", "-m", "black_forest_labs/flux-pro-1.1", "-o", "DIR/", "a fox"],
            environment: Self.environment, script: Self.script(pending: .max))
        #expect(run.status == 6)
        #expect(run.stderr.contains("still Pending after 5 s"), "\(run.stderr)")
        #expect(run.stderr.contains("--timeout"))
        // About ten polls in five virtual seconds, then it gives up.
        #expect((9...12).contains(run.sent.count - 1), "\(run.sent.count)")
        #expect(run.transport.virtualSeconds < 6)
        #expect(run.files.isEmpty)
    }

    @Test func aPollThatFailsTransientlyIsRetriedWithinTheSameGeneration() {
        let run = InProcessRun(
            ["-m", "black_forest_labs/flux-pro-1.1", "-o", "DIR/", "a fox"], environment: Self.environment
        ) { request, number in
            if number == 0 { return Self.submitted() }
            if request.url == Self.sample { return .image(Self.png) }
            if number == 1 { return .status(503, json: #"{"detail":"busy"}"#) }
            return Self.ready
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.filter { $0.method == "POST" }.count == 1, "the task is not submitted twice")
        #expect(run.files == ["a-fox.png"])
    }

    @Test func aForeignPollingURLIsPolledWithoutTheKey() {
        let foreign = "https://collector.example/v1/get_result?id=task-1"
        let run = InProcessRun(
            ["-m", "black_forest_labs/flux-dev", "-o", "DIR/", "a fox"], environment: Self.environment
        ) { request, number in
            if number == 0 { return Self.submitted(pollURL: foreign) }
            if request.url == Self.sample { return .image(Self.png) }
            return Self.ready
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent[1].url == foreign)
        #expect(run.sent[1].header("x-key") == nil)
        #expect(!run.sent.dropFirst().contains { $0.headers.contains { $0.value.contains(Self.key) } })
    }

    @Test func twoImagesAreTwoTasksPolledSideBySide() throws {
        let run = InProcessRun(
            ["--json", "-n", "2", "-m", "black_forest_labs/flux-pro-1.1", "-o", "DIR/fox.png", "a fox"],
            environment: Self.environment
        ) { request, _ in
            if request.method == "POST" { return Self.submitted(cost: "4.5") }
            if request.url == Self.sample { return .image(Self.png) }
            return Self.ready
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.filter { $0.method == "POST" }.count == 2)
        #expect(run.files == ["fox-1.png", "fox-2.png"])
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["cost_usd"] == .number("0.09"))
    }

    @Test func dryRunShowsTheSubmissionWithTheKeyRedacted() {
        let run = InProcessRun(
            ["--dry-run", "-m", "black_forest_labs/flux-pro-1.1", "--size", "1024x768", "a fox"],
            environment: Self.environment
        ) { _, _ in .status(500) }
        #expect(run.status == 0)
        #expect(run.sent.isEmpty)
        #expect(run.stdout.contains("> POST https://api.bfl.ai/v1/flux-pro-1.1"))
        #expect(run.stdout.contains("> x-key: [REDACTED]"))
        #expect(!run.stdout.contains(Self.key))
        #expect(run.stderr.contains("polled every 0.5 s until Ready, for at most 600 s (--timeout)"), "\(run.stderr)")
    }

    @Test func openRouterChargesWhatItsUsageSays() throws {
        let answer =
            #"{"choices":[{"message":{"images":[{"type":"image_url","image_url":{"url":"data:image/png;base64,\#(Base64.encode(Self.png))"}}]}}],"usage":{"cost":0.0387}}"#
        let run = InProcessRun(
            ["--json", "-m", "openrouter/google/gemini-2.5-flash-image", "-o", "DIR/", "a fox"],
            environment: ["OPENROUTER_API_KEY": "or-key-1234"]
        ) { _, _ in .status(200, json: answer) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.files == ["a-fox.png"])
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["cost_usd"] == .number("0.0387"))
    }
}
