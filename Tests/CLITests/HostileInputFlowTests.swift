import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP

/// Whole runs against answers a broken or hostile server sends and input a
/// careless script gives: each ends with the right exit code and message,
/// sends nothing it should not, and writes nothing half-done.
@Suite struct HostileInputFlowTests {
    static let png = Fixtures.bytes("rgb.png")
    static let near = Int.max - 10

    @Test func usageNumbersThatWouldOverflowAreNullNotATrap() throws {
        let usage = #"{"prompt_tokens":\#(Self.near),"completion_tokens":1,"total_tokens":\#(Self.near)}"#
        let run = InProcessRun([
            "--json", "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-3", "-n", "2", "-o", "DIR/", "a fox",
        ]) { _, _ in
            .openAIImages([Self.png], usage: usage)
        }
        #expect(run.status == 0)
        #expect(run.files == ["a-fox-1.png", "a-fox-2.png"])
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["usage"]?["provider_usage"]?["prompt_tokens"] == .null)
        #expect(document["usage"]?["provider_usage"]?["completion_tokens"] == .int(2))
        #expect(document["usage"]?["input_tokens"] == .null)
        #expect(document["usage"]?["output_tokens"] == .int(2))
        #expect(document["usage"]?["total_tokens"] == .null)
    }

    @Test func anAbsurdTokenCountLeavesTheCostUnknown() throws {
        let run = InProcessRun(["--json", "-m", "gpt-image-2", "-o", "DIR/", "a fox"]) { _, _ in
            .openAIImages([Self.png], usage: #"{"input_tokens":10,"output_tokens":1e18,"total_tokens":1e18}"#)
        }
        #expect(run.status == 0)
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["cost_usd"] == nil)
        #expect(document["data"]?.arrayValue?.first?["file"] == .string(run.path("a-fox.png")))
    }

    @Test func moreImagesThanAskedForIsABadAnswerAndNothingIsWritten() {
        let run = InProcessRun(["-m", "gpt-image-2", "-n", "2", "-o", "DIR/", "a fox"]) { _, _ in
            .openAIImages(Array(repeating: Self.png, count: 5))
        }
        #expect(run.status == 7)
        #expect(run.files.isEmpty)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "imagegen: bad response from openai: asked for 2 images, got 5; nothing was written\n")
    }

    @Test(
        arguments: [
            (["--api-key", "sk-abcd\r\nX-Injected: 1"], [:], 2, "--api-key"),
            ([], ["OPENAI_API_KEY": "sk-abcd\r\nX-Injected: 1"], 3, "OPENAI_API_KEY"),
            (["--organization", "org\r\nX: 2"], ["OPENAI_API_KEY": "sk-abcd"], 2, "--organization"),
            ([], ["OPENAI_API_KEY": "sk-abcd", "OPENAI_ORGANIZATION": "org\u{1B}[2J"], 3, "OPENAI_ORGANIZATION"),
        ] as [([String], [String: String], Int32, String)])
    func aControlCharacterInAHeaderValueIsRefusedBeforeSending(
        _ flags: [String], _ environment: [String: String], _ status: Int32, _ source: String
    ) {
        let run = InProcessRun(flags + ["-m", "gpt-image-2", "-o", "DIR/", "a fox"], environment: environment) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(run.status == status)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.hasPrefix("imagegen: \(source) contains a control character, which cannot be sent"))
        #expect(!run.stderr.contains("Injected") && !run.stderr.contains("X: 2") && !run.stderr.contains("[2J"))
    }

    @Test func aKeyReadFromAWindowsFileIsExplained() {
        let run = InProcessRun(["-m", "gpt-image-2", "a fox"], environment: ["OPENAI_API_KEY": "sk-abcd\r"]) { _, _ in
            .status(500)
        }
        #expect(run.status == 3)
        #expect(run.stderr.contains("a carriage return: was it read from a file with Windows line ends?"))
    }

    @Test func awsKeyMaterialIsCheckedToo() {
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret\nX: 1", "HOME": "/nonexistent",
        ]
        let run = InProcessRun(
            ["-m", "bedrock/amazon.titan-image-generator-v2:0", "a fox"], environment: environment
        ) { _, _ in .status(500) }
        #expect(run.status == 3)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.hasPrefix("imagegen: AWS_SECRET_ACCESS_KEY contains a control character"))
    }

    @Test func aURLThatWouldForgeAnOutputLineIsABadAnswer() {
        let run = InProcessRun([
            "--no-download", "--api-base", InProcessRun.compatibleServer, "-m", "dall-e-2", "-o", "DIR/", "a kite",
        ]) { _, _ in
            .openAIURLs(["https://cdn.example.com/a.png\\n/etc/passwd"])
        }
        #expect(run.status == 7)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "imagegen: bad response from openai: data[0].url holds a space or a control character\n")
    }

    @Test func aBatchWithWindowsLineEndsAndAByteOrderMarkIsOneLinePerLine() throws {
        let run = InProcessRun(
            ["--json", "-m", "gpt-image-2", "--batch", "-", "-o", "DIR/"],
            stdin: "\u{FEFF}one\r\n{\"prompt\": \"two\"}\r\nthree\rfour\r\n"
        ) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 0)
        try #require(run.sent.count == 4)
        #expect(
            try (0..<4).map { try run.body($0)["prompt"] }.sorted { $0!.text < $1!.text }
                == ["four", "one", "three", "two"].map { JSON.string($0) })
        #expect(run.files == ["four.png", "one.png", "three.png", "two.png"])
    }

    @Test func anExhaustedQuotaIsARejectionAndNotRetried() {
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "a fox"]) { _, _ in
            .openAIError(
                429, message: "You exceeded your current quota, please check your plan and billing details.",
                code: "insufficient_quota")
        }
        #expect(run.status == 4)
        #expect(run.sent.count == 1)
        #expect(
            run.stderr == "imagegen: openai rejected the request (HTTP 429): You exceeded your current quota, "
                + "please check your plan and billing details. (insufficient_quota); the account is out of quota or "
                + "credit: check its plan and billing (not retried: waiting does not help)\n")
    }

    @Test func aFailedJSONRunPrintsOneErrorDocument() throws {
        let run = InProcessRun(["--json", "-m", "gpt-image-2", "-o", "DIR/", "a fox"]) { _, _ in
            .openAIError(400, message: "Your request was rejected", code: "content_policy_violation")
        }
        #expect(run.status == 4)
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(
            document
                == .object([
                    (
                        "error",
                        .object([
                            ("type", .string("rejected")),
                            (
                                "message",
                                .string(
                                    "openai rejected the request (HTTP 400): Your request was rejected "
                                        + "(content_policy_violation)")
                            ),
                            ("status", .int(400)), ("provider", .string("openai")),
                            ("code", .string("content_policy_violation")),
                            ("attempts", .int(1)),
                        ])
                    )
                ]))
        #expect(run.stderr.hasPrefix("imagegen: openai rejected the request (HTTP 400)"))
    }

    @Test func aJSONRunThatFailsBeforeSendingPrintsTheErrorDocumentToo() throws {
        let run = InProcessRun(["--json", "-m", "gpt-image-2", "a fox"], environment: [:]) { _, _ in .status(500) }
        #expect(run.status == 3)
        #expect(run.sent.isEmpty)
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["error"]?["type"] == .string("configuration"))
        #expect(document["error"]?["status"] == .null)
    }

    @Test func batchLinesAndSingleRunsShareTheErrorShape() throws {
        let run = InProcessRun(
            ["--json", "--max-retries", "1", "-m", "gpt-image-2", "--batch", "-", "-o", "DIR/"],
            stdin: "a fox\n"
        ) { _, _ in .openAIError(503, message: "overloaded", code: "server_error") }
        #expect(run.status == 5)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(try JSON.parse(Array(lines[1].utf8))["summary"]?["failed_lines"] == .int(1))
        let line = try JSON.parse(Array(lines[0].utf8))
        #expect(line["index"] == .int(0))
        #expect(line["error"]?["provider"] == .string("openai"))
        #expect(line["error"]?["code"] == .string("server_error"))
        #expect(line["error"]?["attempts"] == .int(2))
    }
}

/// What a provider says reaches the terminal only as text.
@Suite struct UntrustedTextFlowTests {
    static let escapes = "\u{1B}]0;PWNED\u{07}\u{1B}[2J"

    @Test func aProviderMessageCannotDriveTheTerminal() throws {
        let json = #"{"error":{"message":"bad \u001b]0;PWNED\u0007\u001b[2Jthing","code":"invalid_request_error"}}"#
        let run = InProcessRun(["-m", "gpt-image-2", "-o", "DIR/", "a fox"]) { _, _ in .status(400, json: json) }
        #expect(run.status == 4)
        #expect(!run.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
        #expect(run.stderr == "imagegen: openai rejected the request (HTTP 400): bad thing (invalid_request_error)\n")
    }

    @Test func rawEscapesInAnHTMLErrorPageAreStripped() {
        let page = HTTPResponse(
            status: 502, headers: [HTTPHeader("Content-Type", "text/html")],
            body: Array("<html>\u{1B}[31mBad Gateway\u{1B}[0m\u{9B}2J</html>".utf8))
        let run = InProcessRun(["--max-retries", "0", "-m", "gpt-image-2", "-o", "DIR/", "a fox"]) { _, _ in
            .response(page)
        }
        #expect(run.status == 5)
        #expect(run.stderr == "imagegen: openai is unavailable (HTTP 502): <html>Bad Gateway</html> (1 attempt)\n")
    }

    @Test func jsonKeepsTheExactTextEscaped() throws {
        let json = #"{"error":{"message":"bad \u001b[2Jthing","code":"x"}}"#
        let run = InProcessRun(["--json", "-m", "gpt-image-2", "-o", "DIR/", "a fox"]) { _, _ in
            .status(400, json: json)
        }
        #expect(run.stdout.contains(#"bad \u001b[2Jthing"#))
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["error"]?["message"]?.stringValue?.contains("\u{1B}[2J") == true)
    }
}
