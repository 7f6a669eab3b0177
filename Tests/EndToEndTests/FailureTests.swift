import Foundation
import TestSupport
import Testing

/// One provider fault: how imagegen must end when it meets it.
struct Fault: Sendable, CustomTestStringConvertible {
    var name: String
    var arguments: [String]
    var key: String = "sk-test-key"
    var exitCode: Int32
    /// Fragments the one error line on stderr must contain.
    var messages: [String]
    /// `POST …/images/generations` requests the fake must have seen.
    var attempts: Int
    /// Image downloads (`GET /files/…`) the fake must have seen.
    var downloads: Int = 0

    var testDescription: String { name }
}

/// Each fault ends with the right exit code, a message saying what failed, the
/// expected number of attempts, and an output directory exactly as it was (no image, no
/// `.imagegen-*.tmp`). The fake answers 429/5xx with `retry-after-ms: 10`, so retries are quick.
@Suite struct FailureTests {
    static let faults: [Fault] = [
        Fault(
            name: "503 always, default --max-retries 2", arguments: ["a fox [[503-always]]"], exitCode: 5,
            messages: ["openai is unavailable (HTTP 503): The engine is currently overloaded", "(3 attempts)"],
            attempts: 3),
        Fault(
            name: "503 always, --max-retries 4", arguments: ["--max-retries", "4", "a fox [[503-always]]"],
            exitCode: 5, messages: ["openai is unavailable (HTTP 503)", "(5 attempts)"], attempts: 5),
        Fault(
            name: "500, --max-retries 0", arguments: ["--max-retries", "0", "a fox [[500]]"], exitCode: 5,
            messages: ["openai is unavailable (HTTP 500): The server had an error", "(1 attempt)"],
            attempts: 1),
        Fault(
            name: "429 always", arguments: ["a fox [[429]]"], exitCode: 5,
            messages: ["openai is unavailable (HTTP 429): Rate limit reached", "(3 attempts)"], attempts: 3),
        Fault(
            name: "content policy 400", arguments: ["--max-retries", "4", "a fox [[policy]]"], exitCode: 4,
            messages: [
                "openai rejected the request (HTTP 400): "
                    + "Your request was rejected as a result of our safety system."
            ],
            attempts: 1),
        Fault(
            name: "401 wrong key", arguments: ["a fox"], key: "sk-wrong-secret-0815", exitCode: 4,
            messages: [
                "openai rejected the request (HTTP 401): Incorrect API key provided",
                "check OPENAI_API_KEY or --api-key",
            ],
            attempts: 1),
        Fault(
            name: "200 with text/html", arguments: ["a fox [[notjson]]"], exitCode: 7,
            messages: ["bad response from openai: expected a JSON answer, got Content-Type text/html"],
            attempts: 1),
        Fault(
            name: "invalid base64", arguments: ["--response-format", "b64_json", "a fox [[badb64]]"],
            exitCode: 7, messages: ["bad response from openai: image 1: b64_json is not valid base64"],
            attempts: 1),
        Fault(
            name: "base64 of non-image bytes", arguments: ["--response-format", "b64_json", "a fox [[notimage]]"],
            exitCode: 7, messages: ["bad response from openai: image 1 is not an image"], attempts: 1),
        Fault(
            name: "downloaded non-image bytes", arguments: ["a fox [[notimage]]"], exitCode: 7,
            messages: ["bad response from openai: image 1 is not an image"], attempts: 1, downloads: 1),
        Fault(
            name: "truncated PNG in base64", arguments: ["--response-format", "b64_json", "a fox [[truncated]]"],
            exitCode: 7, messages: ["bad response from openai: image 1 is not a valid PNG"], attempts: 1),
        Fault(
            name: "truncated PNG downloaded", arguments: ["a fox [[truncated]]"], exitCode: 7,
            messages: ["bad response from openai: image 1 is not a valid PNG"], attempts: 1, downloads: 1),
        Fault(
            name: "body shorter than Content-Length", arguments: ["a fox [[short-body]]"], exitCode: 6,
            messages: ["broke before the whole answer arrived"], attempts: 3),
        Fault(
            name: "body shorter than Content-Length, --max-retries 0",
            arguments: ["--max-retries", "0", "a fox [[short-body]]"], exitCode: 6,
            messages: ["broke before the whole answer arrived"], attempts: 1),
    ]

    @Test(arguments: faults)
    func faultEndsWithItsExitCodeAndLeavesNoFile(fault: Fault) async throws {
        let t = try await E2E()
        let result = try await t.run(
            fault.arguments,
            env: ["OPENAI_API_KEY": fault.key, "OPENAI_API_BASE": t.fake.baseURL, "IMAGEGEN_MODEL": "dall-e-2"])
        #expect(result.status == fault.exitCode, "\(result.stderr)")
        let errorLines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("imagegen: ") }
        #expect(errorLines.count == 1, "\(result.stderr)")
        for message in fault.messages {
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        #expect(result.stdout.isEmpty)
        let requests = try await t.fake.requests()
        #expect(requests.filter(\.isGeneration).count == fault.attempts)
        #expect(requests.filter { $0.method == "GET" }.count == fault.downloads)
        #expect(t.files().isEmpty, "no image and no .imagegen-*.tmp: \(t.files())")
    }

    @Test func retryAfterSecondsIsHonouredThenTheImageArrives() async throws {
        let t = try await E2E()
        let started = ContinuousClock.now
        let result = try await t.run(["-v", "a fox [[retry-after-1]]"])
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 0, "\(result.stderr)")
        #expect(elapsed >= .seconds(1), "Retry-After: 1 was not waited for (\(elapsed))")
        #expect(
            result.stderr.contains("retry 1 of 2 for \(t.fake.origin) in 1.00 s after HTTP 429"),
            "\(result.stderr)")
        try await expectOneImage(result, in: t, statuses: [429, 200])
    }

    @Test func serverErrorOnceThenTheImageArrives() async throws {
        let t = try await E2E()
        let result = try await t.run(["-v", "--response-format", "b64_json", "a fox [[500-once]]"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("retry 1 of 2"), "\(result.stderr)")
        #expect(result.stderr.contains("after HTTP 500"), "\(result.stderr)")
        try await expectOneImage(result, in: t, statuses: [500, 200])
    }

    /// A stalled server ends within about --timeout: the timeout is not retried.
    @Test func stalledServerTimesOutOnce() async throws {
        let t = try await E2E()
        // Measured by the thread that reaps the process, not by the busy test scheduler.
        let result = try await t.run(["--timeout", "1", "a fox [[slow]]"])
        let elapsed = result.elapsed
        #expect(result.status == 6, "\(result.stderr)")
        #expect(
            result.stderr.contains("request to \(t.fake.origin) timed out after 1 s; raise --timeout"),
            "\(result.stderr)")
        #expect(elapsed >= .seconds(1) && elapsed < .seconds(10), "took \(elapsed)")
        #expect(try await t.fake.generationRequests().count == 1)
        #expect(t.files().isEmpty)
    }

    /// As root, permission bits stop nothing: a file in the way and sysfs make directories unwritable.
    @Test func fileInTheWayOfTheOutputDirectoryIsRefusedBeforeSending() async throws {
        let t = try await E2E()
        try Data("not a directory".utf8).write(to: t.cwd.appendingPathComponent("blocker"))
        let result = try await t.run(["-o", "blocker/fox.png", "a fox"])
        #expect(result.status == 7)
        #expect(
            result.stderr.contains("cannot use blocker as the output directory: it is not a directory"),
            "\(result.stderr)")
        #expect(try await t.fake.requests().isEmpty)
        #expect(t.files() == ["blocker"])
    }

    @Test func directoryThatCannotBeCreatedIsAWriteError() async throws {
        let t = try await E2E()
        let directory = "/sys/imagegen-test-\(UUID().uuidString)/"
        let result = try await t.run(["-o", directory, "a fox"])
        #expect(result.status == 7)
        #expect(result.stderr.contains("cannot create directory \(directory)"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory))
        #expect(t.files().isEmpty)
    }

    /// The image that came back, written once, valid, carrying the serial of the answer that succeeded.
    private func expectOneImage(
        _ result: RunResult, in t: E2E, statuses: [Int?],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let generations = try await t.fake.generationRequests()
        #expect(generations.map(\.status) == statuses, sourceLocation: sourceLocation)
        #expect(result.lines.count == 1, sourceLocation: sourceLocation)
        let path = try #require(result.lines.first, sourceLocation: sourceLocation)
        #expect(t.files() == [t.resolve(path).lastPathComponent], sourceLocation: sourceLocation)
        #expect(
            PNGFile(contentsOf: t.resolve(path))?.serial == generations.last?.serials.first,
            sourceLocation: sourceLocation)
    }
}
