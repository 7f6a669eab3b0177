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
