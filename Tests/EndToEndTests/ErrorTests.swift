import Foundation
import TestSupport
import Testing

/// Exit codes and messages (SPEC §2) for refused, failed and unusable requests.
@Suite struct ErrorTests {
    @Test func contentPolicyRefusalShowsTheProviderMessage() async throws {
        let t = try await E2E()
        let result = try await t.run(["a fox [[policy]]"])
        #expect(result.status == 4)
        #expect(result.stderr.hasPrefix("imagegen: "))
        #expect(result.stderr.contains("Your request was rejected as a result of our safety system."))
        #expect(result.stdout.isEmpty)
        #expect(t.files().isEmpty)
    }

    @Test func unknownParameterIsRefusedByTheProvider() async throws {
        let t = try await E2E()
        let result = try await t.run(["--param", "negative_prompt=blurry", "a fox"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("Unknown parameter: 'negative_prompt'."))
        expectBody(
            try await t.fake.generationRequests().first,
            equals: ["model": "dall-e-2", "prompt": "a fox", "negative_prompt": "blurry"])
    }

    @Test func wrongKeyIsRefusedAndNeverPrinted() async throws {
        let t = try await E2E()
        // Imagegen.run fails the test if the key shows up on stdout or stderr.
        let result = try await t.run(
            ["--api-key", "sk-wrong-secret-4711", "a fox"],
            env: ["OPENAI_API_BASE": t.fake.baseURL])
        #expect(result.status == 4)
        #expect(result.stderr.contains("Incorrect API key provided"))
        #expect(try await t.fake.generationRequests().first?.status == 401)
    }

    @Test func serverErrorIsUnavailable() async throws {
        let t = try await E2E()
        let result = try await t.run(["--max-retries", "0", "a fox [[500]]"])
        #expect(result.status == 5)
        #expect(result.stderr.contains("The server had an error while processing your request"))
        #expect(try await t.fake.generationRequests().count == 1)
        #expect(t.files().isEmpty)
    }

    /// SPEC §3: 429 and 5xx are retried up to --max-retries times (the fake asks for 10 ms waits).
    @Test(arguments: ["a fox [[500]]", "a fox [[429]]"])
    func unavailableProviderIsRetriedThenGivenUpOn(prompt: String) async throws {
        let t = try await E2E()
        let result = try await t.run(["--max-retries", "2", prompt])
        #expect(result.status == 5, "\(result.stderr)")
        #expect(try await t.fake.generationRequests().count == 3)
    }

    @Test func aRetryThatSucceedsProducesTheImage() async throws {
        let t = try await E2E()
        let result = try await t.run(["a fox [[flaky]]"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.generationRequests().map(\.status) == [503, 200])
        #expect(result.lines.count == 1)
        #expect(PNGFile(contentsOf: t.resolve(result.lines.first ?? "")) != nil)
    }

    /// SPEC §2: with -n fan-out the images that succeeded are kept; the exit code is the failure's.
    @Test func fanOutKeepsTheImagesThatSucceeded() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "dall-e-3", "-n", "3", "--max-retries", "0",
            "--response-format", "b64_json", "-o", "fox.png", "a fox [[flaky]]",
        ])
        #expect(result.status == 5)
        #expect(
            try await t.fake.generationRequests().map(\.status).sorted { ($0 ?? 0) < ($1 ?? 0) }
                == [200, 200, 503])
        #expect(result.lines.count == 2)
        #expect(t.files().count == 2, "\(t.files())")
        #expect(result.lines.allSatisfy { PNGFile(contentsOf: t.resolve($0)) != nil })
    }

    @Test func refusalsAreNotRetried() async throws {
        let t = try await E2E()
        let result = try await t.run(["--max-retries", "2", "a fox [[policy]]"])
        #expect(result.status == 4)
        #expect(try await t.fake.generationRequests().count == 1)
    }

    /// Broken model limits are caught before anything is sent; the message names the allowed values.
    @Test(arguments: [
        (["--model", "dall-e-3", "--size", "512x512"], "1792x1024"),
        (["--model", "dall-e-2", "-n", "11"], "10"),
        (["--model", "gpt-image-1", "--response-format", "url"], "response"),
        (["--model", "dall-e-3", "--quality", "ultra"], "hd"),
        (["--model", "dall-e-3", "--style", "painterly"], "natural"),
        (["--model", "dall-e-2", "--size", "1792x1024"], "256x256"),
    ])
    func modelLimitsAreCheckedLocally(arguments: [String], mentions: String) async throws {
        let t = try await E2E()
        let result = try await t.run(arguments + ["a fox"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("imagegen: "))
        #expect(result.stderr.contains(mentions), "\(result.stderr)")
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test(arguments: [
        (["--frobnicate", "a fox"], "--frobnicate"),
        (["-n", "zero", "a fox"], "-n"),
        (["--model"], "--model"),
    ])
    func usageErrorsNameTheOption(arguments: [String], mentions: String) async throws {
        let t = try await E2E()
        let result = try await t.run(arguments)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("imagegen: "))
        #expect(result.stderr.contains(mentions), "\(result.stderr)")
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func emptyPromptFromStandardInputIsAUsageError() async throws {
        let t = try await E2E()
        let result = try await t.run([], stdin: "\n")
        #expect(result.status == 2)
        #expect(try await t.fake.requests().isEmpty)
    }

    /// Unusable answers: exit 7, the provider named, and no file or temporary file left behind.
    @Test(arguments: [
        ["a fox [[notjson]]"],
        ["--response-format", "b64_json", "a fox [[badb64]]"],
        ["--response-format", "b64_json", "a fox [[notimage]]"],
        ["a fox [[notimage]]"],
        ["--response-format", "b64_json", "a fox [[truncated]]"],
        ["a fox [[truncated]]"],
    ])
    func badResponseDataIsRejectedWithoutLeavingFiles(arguments: [String]) async throws {
        let t = try await E2E()
        let result = try await t.run(arguments)
        #expect(result.status == 7)
        #expect(result.stderr.hasPrefix("imagegen: "))
        #expect(result.stderr.lowercased().contains("openai"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(t.files().isEmpty, "no file and no .imagegen-* temporary file")
    }
}
