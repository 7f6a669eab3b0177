import Foundation
import TestSupport
import Testing

/// Servers that misbehave on purpose, through real libcurl: answers without end, answers
/// that declare more than --max-filesize, https downloads that redirect to plain http, header
/// values carrying terminal escapes, and passwords in the api base.
@Suite struct HostileServerTests {
    struct Oversized: Sendable, CustomTestStringConvertible {
        let hook: String
        /// nil: the default limit.
        let limit: String?
        var testDescription: String { "\(hook) \(limit ?? "default")" }
    }

    /// Each refused in well under the test's deadline, though imagegen's own --timeout is
    /// far off: without the limit the run would grow until --timeout (or memory) ends it.
    @Test(arguments: [
        Oversized(hook: "[[endless]]", limit: "1M"),  // a chunked image download without end
        Oversized(hook: "[[endless-answer]]", limit: "64K"),  // the API answer itself
        Oversized(hook: "[[huge-length]]", limit: nil),  // Content-Length: 1 TiB, refused before the body
    ])
    func anAnswerLargerThanMaxFilesizeIsRefusedAtOnce(_ oversized: Oversized) async throws {
        let t = try await E2E()
        let limit = oversized.limit.map { ["--max-filesize", $0] } ?? []
        let started = ContinuousClock.now
        let result = try await t.run(
            limit + ["--timeout", "120", "a fox \(oversized.hook)"], timeout: .seconds(20))
        let elapsed = ContinuousClock.now - started
        #expect(result.status == 7, "\(result.stderr)")
        #expect(
            result.stderr
                == "imagegen: the answer from \(t.fake.origin) was larger than --max-filesize "
                + "\(oversized.limit ?? "512M"); raise --max-filesize if the image is really that large\n")
        #expect(elapsed < .seconds(10), "took \(elapsed)")
        #expect(result.stdout.isEmpty)
        #expect(t.files().isEmpty)
        // Refused, not retried: the same answer would come again.
        #expect(try await t.fake.requests().count == 2 - (oversized.hook == "[[endless-answer]]" ? 1 : 0))
    }

    @Test func anHTTPSDownloadRedirectedToPlainHTTPIsRefused() async throws {
        let t = try await E2E()
        let fake = try await TLSFakeServer(in: t.root)
        let result = try await t.run(
            ["--cacert", fake.certificate.path, "a fox [[redirect-http]]"],
            env: ["OPENAI_API_KEY": "sk-test-key", "OPENAI_API_BASE": fake.baseURL])
        #expect(result.status == 7, "\(result.stderr)")
        #expect(
            result.stderr
                == "imagegen: \(fake.origin) redirected the download to http://127.0.0.1:\(fake.controlPort), "
                + "which is not https; imagegen does not follow https to plain http "
                + "(--no-download prints the URL instead)\n")
        #expect(t.files().isEmpty)
        // The redirect was read, its target never fetched, and nothing retried.
        let lines = try await fake.requestLines()
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.last?.hasSuffix(".png?redirect-http 302") == true, "\(lines)")
    }

    @Test func httpsToHTTPSAndHTTPToHTTPRedirectsAreFollowed() async throws {
        let t = try await E2E()
        let fake = try await TLSFakeServer(in: t.root)
        let secure = try await t.run(
            ["--cacert", fake.certificate.path, "a fox [[redirect-same]]"],
            env: ["OPENAI_API_KEY": "sk-test-key", "OPENAI_API_BASE": fake.baseURL])
        #expect(secure.status == 0, "\(secure.stderr)")
        #expect(PNGFile(contentsOf: t.resolve(try #require(secure.lines.first))) != nil)
        let lines = try await fake.requestLines()
        #expect(lines.dropFirst().map { $0.hasSuffix(" 302") } == [true, false], "\(lines)")

        let plain = try await t.run(["a hen [[redirect-http]]"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(PNGFile(contentsOf: t.resolve(try #require(plain.lines.first))) != nil)
        #expect(try await t.fake.requests().map(\.query).last == "sig=fake-signature-7f3a")
    }

    @Test func verboseStripsTerminalEscapesFromHeaderValues() async throws {
        let t = try await E2E()
        let result = try await t.run(["-v", "a fox [[escape-header]]"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("< HTTP 200 ("), "\(result.stderr)")
        #expect(result.stderr.contains(" bytes, application/json; x=red, "), "\(result.stderr.debugDescription)")
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{07}"))
    }

    @Test func aPasswordInTheAPIBaseStaysHiddenInConnectionErrors() async throws {
        let t = try await E2E()
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let result = try await t.run([
            "-v", "--max-retries", "1", "--api-base", "http://user:PASSWORD-9d2e@127.0.0.1:1/v1", "a fox",
        ])
        #expect(result.status == 6, "\(result.stderr)")
        #expect(result.stderr.contains("> POST http://user:[REDACTED]@127.0.0.1:1/v1/images/generations\n"))
        #expect(result.stderr.contains("imagegen: retry 1 of 1 for http://127.0.0.1:1 in "), "\(result.stderr)")
        #expect(result.stderr.contains("imagegen: cannot connect to http://127.0.0.1:1 ("), "\(result.stderr)")
        #expect(!result.stderr.contains("PASSWORD"), "\(result.stderr)")
    }
}
