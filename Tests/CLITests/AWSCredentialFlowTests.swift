import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP

/// Temporary AWS credentials in whole runs: fetched through the run's
/// transport before the first Bedrock request, named by `-v`, masked
/// everywhere, refreshed during a long batch, and never fetched by `--dry-run`.
@Suite struct AWSCredentialFlowTests {
    static let png = Fixtures.bytes("rgb.png")
    static let model = "bedrock/stability.sd3-5-large-v1:0"
    static let role = "arn:aws:iam::123456789012:role/painter"
    static let webToken = "eyJhbGciOiJSUzI1NiJ9.web-identity-token"

    static func stsAnswer(id: String, expiresIn seconds: Double) -> ScriptedTransport.Reply {
        let expiry = UTCTime(Int(Clock.now() + seconds)).iso8601
        let body = """
            <AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>
            <AccessKeyId>\(id)</AccessKeyId><SecretAccessKey>secret-of-\(id)</SecretAccessKey>
            <SessionToken>session-token-of-\(id)</SessionToken><Expiration>\(expiry)</Expiration>
            </Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>
            """
        return .response(
            HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "text/xml")], body: Array(body.utf8)))
    }

    static let image = ScriptedTransport.Reply.status(
        200, json: #"{"seeds":[1],"finish_reasons":[null],"images":["\#(Data(png).base64EncodedString())"]}"#)

    static func isSTS(_ request: HTTPRequest) -> Bool { request.url.hasPrefix("https://sts.") }

    func environment(_ scratch: ScratchDirectory) -> [String: String] {
        scratch.write("token", Array(Self.webToken.utf8))
        return [
            "HOME": "/nonexistent", "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-west-2",
            "AWS_WEB_IDENTITY_TOKEN_FILE": scratch.sub("token"), "AWS_ROLE_ARN": Self.role,
        ]
    }

    @Test func webIdentityCredentialsSignTheBedrockRequest() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let run = InProcessRun(["-v", "-m", Self.model, "-o", "DIR/", "a heron"], environment: environment(scratch)) {
            request, _ in
            Self.isSTS(request) ? Self.stsAnswer(id: "ASIAWEB1", expiresIn: 3600) : Self.image
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.map(Self.isSTS) == [true, false])
        let sts = run.sent[0]
        #expect(sts.url == "https://sts.us-west-2.amazonaws.com")
        #expect(String(decoding: sts.body, as: UTF8.self).contains("WebIdentityToken=" + Self.webToken))
        let bedrock = run.sent[1]
        #expect(bedrock.header("X-Amz-Security-Token") == "session-token-of-ASIAWEB1")
        #expect(bedrock.header("Authorization")?.contains("Credential=ASIAWEB1/") == true)
        #expect(
            run.stderr.contains(
                "imagegen: AWS credentials from AWS_WEB_IDENTITY_TOKEN_FILE: web identity token \(scratch.sub("token")) "
                    + "→ STS AssumeRoleWithWebIdentity for \(Self.role)\n"))
        for secret in ["ASIAWEB1", "secret-of-ASIAWEB1", "session-token-of-ASIAWEB1", Self.webToken] {
            #expect(!run.stderr.contains(secret) && !run.stdout.contains(secret), "\(secret) was printed")
        }
    }

    @Test func verboseNamesTheLinkForKeysKnownWithoutTheNetworkToo() {
        let environment = [
            "HOME": "/nonexistent", "AWS_ACCESS_KEY_ID": "AKIDVERBOSE01", "AWS_SECRET_ACCESS_KEY": "verbose-secret",
            "AWS_REGION": "us-west-2",
        ]
        let run = InProcessRun(["-v", "-m", Self.model, "-o", "DIR/", "a heron"], environment: environment) { _, _ in
            Self.image
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("imagegen: AWS credentials from AWS_ACCESS_KEY_ID\n"))
        #expect(!run.stderr.contains("fetching"))
    }

    @Test func aDryRunFetchesNothingAndSaysWhereTheCredentialsWouldComeFrom() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let run = InProcessRun(["--dry-run", "-m", Self.model, "a heron"], environment: environment(scratch)) { _, _ in
            .status(500)
        }
        #expect(run.status == 0)
        #expect(run.sent.isEmpty)
        #expect(run.stdout.contains("X-Amz-Security-Token: [REDACTED]"))
        #expect(run.stdout.contains("Authorization: AWS4-HMAC-SHA256 [REDACTED]"))
        #expect(
            run.stderr.contains(
                "AWS credentials would come from AWS_WEB_IDENTITY_TOKEN_FILE: web identity token "))
    }

    @Test func credentialsAreRefreshedBeforeTheyExpireDuringABatch() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let run = InProcessRun(
            ["--concurrency", "1", "-m", Self.model, "-o", "DIR/", "--batch", "-"], environment: environment(scratch),
            stdin: "one\ntwo\nthree\n"
        ) { request, number in
            guard Self.isSTS(request) else { return Self.image }
            // The first set is already inside the refresh window.
            return number == 0
                ? Self.stsAnswer(id: "ASIAOLD", expiresIn: 300) : Self.stsAnswer(id: "ASIANEW", expiresIn: 3600)
        }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.map(Self.isSTS) == [true, false, true, false, false])
        let keys = run.sent.filter { !Self.isSTS($0) }.map { $0.header("X-Amz-Security-Token") }
        #expect(keys == ["session-token-of-ASIAOLD", "session-token-of-ASIANEW", "session-token-of-ASIANEW"])
    }

    @Test func anSTSRefusalStopsTheRunBeforeBedrock() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let run = InProcessRun(["-m", Self.model, "-o", "DIR/", "a heron"], environment: environment(scratch)) { _, _ in
            .response(
                HTTPResponse(
                    status: 403,
                    body: Array(
                        "<ErrorResponse><Error><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>"
                            .utf8)))
        }
        #expect(run.status == 4)
        #expect(run.sent.count == 1)
        #expect(
            run.stderr.contains(
                "STS AssumeRoleWithWebIdentity for \(Self.role) was refused: Not authorized to perform "
                    + "sts:AssumeRoleWithWebIdentity (AccessDenied)"))
    }

    @Test func withNothingConfiguredAnAbsentInstanceMetadataServiceIsAConfigurationError() {
        let run = InProcessRun(
            ["-m", Self.model, "-o", "DIR/", "a heron"],
            environment: ["HOME": "/nonexistent", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:9"]
        ) { _, _ in .failure(.network("connection refused")) }
        #expect(run.status == 3)
        #expect(run.sent.map(\.url) == ["http://127.0.0.1:9/latest/api/token"])
        #expect(run.stderr.contains("imagegen: no AWS credentials for Bedrock; looked at"))
    }
}
