import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP

/// Google AI Studio and Vertex AI in whole runs over the scripted transport:
/// the token fetched before the first Vertex request, retries that carry it,
/// a batch sharing one fetch, and the failure of an answer without an image.
@Suite struct GoogleFlowTests {
    static let png = Fixtures.bytes("rgb.png")
    static let key = "AIzaSyFLOW-test-key-0123"

    static var image: ScriptedTransport.Reply {
        .status(
            200,
            json: #"{"candidates":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":""#
                + Data(png).base64EncodedString() + #""}}]},"finishReason":"STOP"}]}"#)
    }

    static let token = ScriptedTransport.Reply.status(
        200, json: #"{"access_token":"ya29.flow-token-1","expires_in":3599,"token_type":"Bearer"}"#)

    static var authorizedUser: String {
        #"{"type":"authorized_user","client_id":"cid","client_secret":"flow-client-secret","#
            + #""refresh_token":"1//flow-refresh-token","quota_project_id":"flow-project"}"#
    }

    @Test func geminiGenerationWritesTheImage() throws {
        let run = InProcessRun(
            ["-m", "gemini/gemini-3.1-flash-image", "-o", "DIR/", "a kite"], environment: ["GEMINI_API_KEY": Self.key]
        ) { _, _ in Self.image }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.files == ["a-kite.png"])
        #expect(run.sent.first?.headers.contains(HTTPHeader("x-goog-api-key", Self.key)) == true)
    }

    @Test func textOnlyAnswerIsExitSevenAndWritesNothing() throws {
        let run = InProcessRun(
            ["-m", "gemini/gemini-3.1-flash-image", "-o", "DIR/", "a kite"], environment: ["GEMINI_API_KEY": Self.key]
        ) { _, _ in
            .status(
                200, json: #"{"candidates":[{"content":{"parts":[{"text":"No kites today."}]},"finishReason":"STOP"}]}"#
            )
        }
        #expect(run.status == 7)
        #expect(run.stderr.contains("No kites today."))
        #expect(run.files.isEmpty)
    }

    @Test func vertexFetchesOnceForABatchAndRetriesWithTheToken() throws {
        let run = InProcessRun(
            [
                "-m", "vertex_ai/gemini-3.1-flash-image", "-o", "DIR/", "--batch", "-", "--vertex-credentials",
                Self.authorizedUser,
            ],
            environment: [:], stdin: "one\ntwo\n"
        ) { request, number in
            if request.url.hasSuffix("/token") { return Self.token }
            // The first generation meets a 503 and is retried.
            return number == 1
                ? .status(503, json: #"{"error":{"code":503,"message":"busy","status":"UNAVAILABLE"}}"#) : Self.image
        }
        #expect(run.status == 0, "\(run.stderr)")
        let sent = run.sent
        #expect(sent.filter { $0.url == "https://oauth2.googleapis.com/token" }.count == 1)
        let generations = sent.filter { $0.url.contains("aiplatform.googleapis.com") }
        #expect(generations.count == 3)
        #expect(
            generations.allSatisfy {
                $0.url.hasPrefix(
                    "https://us-central1-aiplatform.googleapis.com/v1/projects/flow-project/locations/us-central1/")
                    && $0.headers.contains(HTTPHeader("Authorization", "Bearer ya29.flow-token-1"))
            })
        #expect(!run.stderr.contains("ya29.flow-token-1") && !run.stdout.contains("ya29.flow-token-1"))
    }

    @Test func vertexDryRunSendsNothing() throws {
        let run = InProcessRun(
            [
                "--dry-run", "-m", "vertex_ai/imagen-4.0-generate-001", "--vertex-credentials", Self.authorizedUser,
                "--api-base", "https://proxy.example.com/v1", "a kite",
            ],
            environment: [:]
        ) { _, _ in Self.token }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.isEmpty)
        #expect(run.stdout.contains("Authorization: Bearer [REDACTED]"))
        #expect(!run.stdout.contains("flow-client-secret") && !run.stdout.contains("refresh"))
    }
}
