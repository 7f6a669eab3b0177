import Synchronization
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy(maxRetries: 2, baseDelay: 0.5, maxDelay: 30)

    @Test func fullJitterWithinExponentialCeiling() {
        #expect(policy.delay(beforeRetry: 1, response: nil, now: 0, random: 0.999) < 0.5)
        #expect(policy.delay(beforeRetry: 3, response: nil, now: 0, random: 0.5) == 1.0)
        #expect(policy.delay(beforeRetry: 40, response: nil, now: 0, random: 0.5) == 15)
        #expect(policy.delay(beforeRetry: 2, response: nil, now: 0, random: 0) == 0)
    }

    @Test func serverHintsWin() {
        let seconds = HTTPResponse(status: 429, headers: [HTTPHeader("Retry-After", "7")])
        #expect(policy.delay(beforeRetry: 1, response: seconds, now: 0) == 7)
        let ms = HTTPResponse(
            status: 429, headers: [HTTPHeader("retry-after-ms", "250"), HTTPHeader("Retry-After", "7")])
        #expect(policy.delay(beforeRetry: 1, response: ms, now: 0) == 0.25)
        let date = HTTPResponse(status: 503, headers: [HTTPHeader("Retry-After", "Sun, 06 Nov 1994 08:49:37 GMT")])
        #expect(policy.delay(beforeRetry: 1, response: date, now: 784_111_770) == 7)
        let huge = HTTPResponse(status: 503, headers: [HTTPHeader("Retry-After", "86400")])
        #expect(policy.delay(beforeRetry: 1, response: huge, now: 0) == 30)
    }

    @Test func retriableStatuses() {
        for status in [408, 429, 500, 502, 503, 504] { #expect(RetryPolicy.isRetriable(status: status)) }
        for status in [400, 401, 403, 404, 422, 501] { #expect(!RetryPolicy.isRetriable(status: status)) }
    }
}

@Suite struct RedactorTests {
    @Test func masksSecretsEverywhere() {
        let redactor = Redactor(secrets: ["sk-secret-123", "abc"])
        #expect(
            redactor.redact("Incorrect API key provided: sk-secret-123.") == "Incorrect API key provided: [REDACTED].")
        #expect(redactor.redact("abc stays: too short to mask") == "abc stays: too short to mask")
        #expect(
            redactor.redact(header: HTTPHeader("Authorization", "Bearer sk-secret-123"))
                == HTTPHeader("Authorization", "Bearer [REDACTED]"))
        #expect(redactor.redact(header: HTTPHeader("api-key", "whatever")) == HTTPHeader("api-key", "[REDACTED]"))
        #expect(
            redactor.redact(header: HTTPHeader("OpenAI-Organization", "org-1"))
                == HTTPHeader("OpenAI-Organization", "org-1"))
    }

    @Test func dryRunRenderingHidesTheKey() {
        let request = HTTPRequest(
            method: "POST", url: "http://127.0.0.1/v1/images/generations",
            headers: [HTTPHeader("Authorization", "Bearer sk-secret-123")],
            body: Array(#"{"model":"m","prompt":"sk-secret-123"}"#.utf8))
        let text = RequestPrinter.render(request, redactor: Redactor(secrets: ["sk-secret-123"]))
        #expect(!text.contains("sk-secret-123"))
        #expect(
            text == "> POST http://127.0.0.1/v1/images/generations\n> Authorization: Bearer [REDACTED]\n>\n"
                + #"{"model":"m","prompt":"[REDACTED]"}"# + "\n")
    }
}

/// How `--dry-run` and `-v` show a multipart form: each text part, and each
/// file by name, file name, type, size and digest, never its bytes.
@Suite struct MultipartSummaryTests {
    static let image: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x01]

    @Test func filePartsAreSummarisedAndTextPartsRedacted() {
        let request = HTTPRequest(
            method: "POST", url: "http://127.0.0.1/v1/images/edits",
            headers: [HTTPHeader("Authorization", "Bearer sk-secret-123")],
            content: .multipart([
                MultipartPart(
                    name: "image[]", filename: "a.png", contentType: "image/png", bytes: Self.image,
                    sha256: "ab12"),
                MultipartPart(name: "prompt", text: "a hat"),
                MultipartPart(name: "user", text: "sk-secret-123"),
            ]))
        let text = RequestPrinter.render(request, redactor: Redactor(secrets: ["sk-secret-123"]), bodyLimit: 5)
        #expect(
            text == "> POST http://127.0.0.1/v1/images/edits\n> Authorization: Bearer [REDACTED]\n>\n"
                + "[part] image[]; filename=a.png; type=image/png; 10 bytes; sha256=ab12\n"
                + "[part] prompt=a hat\n"
                + "[part] user=[REDACTED]\n")
        #expect(!text.contains("PNG"))
    }

    @Test func aFormHasNoPlainBody() {
        var request = HTTPRequest(
            method: "POST", url: "http://127.0.0.1/", content: .multipart([MultipartPart(name: "a", text: "b")]))
        #expect(request.body.isEmpty)
        #expect(request.parts?.count == 1)
        request.body = [1]
        #expect(request.parts == nil)
        #expect(request.content == .bytes([1]))
    }
}

/// Passwords in URLs (`--api-base http://user:PASSWORD@host/v1`) are hidden
/// wherever text is printed; origins, used in messages, drop the userinfo.
@Suite struct URLPasswordTests {
    @Test func passwordsInURLsAreMaskedInAnyText() {
        let redactor = Redactor()
        let cases: [(String, String)] = [
            (
                "> POST http://user:PASSWORD@127.0.0.1:8080/v1/images",
                "> POST http://user:[REDACTED]@127.0.0.1:8080/v1/images"
            ),
            ("https://me:p%40ss@h.example?x=1", "https://me:[REDACTED]@h.example?x=1"),
            // A raw `@` in the password: the last `@` ends the userinfo.
            ("http://me:p@ss@host/", "http://me:[REDACTED]@host/"),
            (
                "cannot reach http://u:pw@a, nor https://v:pw2@b.",
                "cannot reach http://u:[REDACTED]@a, nor https://v:[REDACTED]@b."
            ),
            (#"{"url":"http://u:secret@h/x"}"#, #"{"url":"http://u:[REDACTED]@h/x"}"#),
            ("http://u:[REDACTED]@h", "http://u:[REDACTED]@h"),
            // No password, no userinfo, an `@` outside the authority: unchanged.
            ("http://user@host/v1", "http://user@host/v1"),
            ("http://host:8080/v1/a@b", "http://host:8080/v1/a@b"),
            ("http://host/v1?email=a:b@c", "http://host/v1?email=a:b@c"),
            ("write to me:x@y.example", "write to me:x@y.example"),
        ]
        for (text, expected) in cases {
            #expect(redactor.redact(text) == expected, "\(text)")
        }
    }

    @Test func theDryRunPrintoutHidesTheAPIBasePassword() {
        let request = HTTPRequest(method: "POST", url: "http://user:PASSWORD@127.0.0.1:8080/v1/images/generations")
        let text = RequestPrinter.render(request, redactor: Redactor())
        #expect(text == "> POST http://user:[REDACTED]@127.0.0.1:8080/v1/images/generations\n>\n")
    }

    @Test func originsDropTheUserinfo() {
        #expect(HTTPURL.origin(of: "http://user:PASSWORD@127.0.0.1:8080/v1") == "http://127.0.0.1:8080")
        #expect(HTTPURL.origin(of: "https://me:p@ss@host?sig=1") == "https://host")
        #expect(HTTPURL.origin(of: "https://user@host#f") == "https://host")
        #expect(HTTPURL.origin(of: "https://host.example/a?sig=secret") == "https://host.example")
        #expect(HTTPURL.target(of: "http://u:p@h:1/v1/x?y=1") == "/v1/x?y=1")
        #expect(HTTPURL.target(of: "http://h") == "")
    }
}

/// `-v` shows download URLs without what makes a signed URL work.
@Suite struct SignedURLTests {
    @Test func signatureValuesAreMaskedAndNamesKept() {
        let redactor = Redactor()
        let cases: [(String, String)] = [
            (
                "https://b.blob.core.windows.net/c/i.png?se=2026-01-01T00%3A00Z&sp=r&sv=2024-11-04&sr=b&sig=abc%2Bdef%3D",
                "https://b.blob.core.windows.net/c/i.png?se=[REDACTED]&sp=[REDACTED]&sv=[REDACTED]&sr=b&sig=[REDACTED]"
            ),
            (
                "https://s3.example/i.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F2026&"
                    + "X-Amz-Date=20261129T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=FwoG&"
                    + "X-Amz-SignedHeaders=host&X-Amz-Signature=deadbeef#top",
                "https://s3.example/i.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[REDACTED]&"
                    + "X-Amz-Date=20261129T000000Z&X-Amz-Expires=3600&X-Amz-Security-Token=[REDACTED]&"
                    + "X-Amz-SignedHeaders=host&X-Amz-Signature=[REDACTED]#top"
            ),
            ("https://cdn.example/i.png?token=t0k3n&w=512", "https://cdn.example/i.png?token=[REDACTED]&w=512"),
            (
                "https://cdn.example/i.png?Signature=s1g&Expires=1",
                "https://cdn.example/i.png?Signature=[REDACTED]&Expires=1"
            ),
            // Without a sig, se/sp/sv are just parameters.
            ("https://x.example/i.png?sv=1&se=2&sp=3", "https://x.example/i.png?sv=1&se=2&sp=3"),
            ("https://x.example/i.png?sig=&flag", "https://x.example/i.png?sig=&flag"),
            ("https://x.example/i.png", "https://x.example/i.png"),
        ]
        for (url, expected) in cases {
            #expect(redactor.redact(signedURL: url) == expected, "\(url)")
        }
        // The plain redaction (errors, --dry-run) leaves query strings alone.
        #expect(redactor.redact("https://cdn.example/i.png?token=t0k3n") == "https://cdn.example/i.png?token=t0k3n")
    }
}

/// What `-v` prints: signed URLs masked, server text stripped of terminal controls.
@Suite struct TransferLogTests {
    final class Lines: Sendable {
        private let text = Mutex("")
        func append(_ line: String) { text.withLock { $0 += line } }
        var all: String { text.withLock { $0 } }
    }

    func run(_ request: HTTPRequest, answer: ScriptedTransport.Reply) -> String {
        let lines = Lines()
        let scheduler = TransferScheduler(
            transport: ScriptedTransport { _, _ in answer }, concurrency: 1,
            retryPolicy: RetryPolicy(maxRetries: 1, baseDelay: 0),
            log: TransferLog(redactor: Redactor(), write: { lines.append($0) }))
        scheduler.submit(request) { _, _ in }
        scheduler.run()
        return lines.all
    }

    @Test func aSignedDownloadURLIsShownWithoutItsSignature() {
        let url = "https://b.blob.core.windows.net/c/i.png?sv=2024-11-04&se=2026&sp=r&sig=c2lnbmF0dXJl"
        let text = run(HTTPRequest(method: "GET", url: url), answer: .image([1, 2, 3]))
        #expect(
            text.hasPrefix(
                "> GET https://b.blob.core.windows.net/c/i.png?sv=[REDACTED]&se=[REDACTED]&sp=[REDACTED]&sig=[REDACTED]\n"
            ), "\(text)")
        #expect(!text.contains("c2lnbmF0dXJl"))
    }

    @Test func serverTextIsStrippedOfTerminalControls() {
        let hostile = "image/png\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\r"
        let text = run(
            HTTPRequest(method: "GET", url: "https://cdn.example/i.png"),
            answer: .response(HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", hostile)], body: [1])))
        #expect(text.contains("< HTTP 200 (1 bytes, image/png, "), "\(text.debugDescription)")
        let retried = run(
            HTTPRequest(method: "GET", url: "https://cdn.example/i.png"),
            answer: .failure(.network("connection reset by \u{1B}[31mpeer\u{1B}[0m")))
        #expect(retried.contains("after connection reset by peer\n"), "\(retried.debugDescription)")
        for output in [text, retried] {
            #expect(
                !output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) })
        }
    }
}

@Suite struct MaxFileSizeTextTests {
    @Test func limitsAreShownAsTheyAreTyped() {
        #expect(TransferSettings.sizeText(TransferSettings.defaultMaxFileSize) == "512M")
        #expect(TransferSettings.sizeText(1 << 30) == "1G")
        #expect(TransferSettings.sizeText(3 << 30 + 1 << 20) == "3073M")
        #expect(TransferSettings.sizeText(64 << 10) == "64K")
        #expect(TransferSettings.sizeText(1500) == "1500")
        #expect(TransferSettings.sizeText(1) == "1")
        #expect(TransferSettings() == TransferSettings(timeout: 600, maxFileSize: 536_870_912))
    }
}
