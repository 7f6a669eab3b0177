import Foundation
import TestSupport
import Testing

/// The AWS credential chain end to end: the built binary fetches temporary
/// credentials from moto's STS or from loopback fakes of instance metadata,
/// the container endpoint and the SSO portal (all pointed at with the
/// documented variables), then signs a Bedrock request that the strict fake
/// runtime verifies byte for byte, session token included.
@Suite struct AWSCredentialChainEndToEndTests {
    static let model = "bedrock/stability.sd3-5-large-v1:0"
    static let role = "arn:aws:iam::123456789012:role/painter"
    static let containerToken = "container-authorization-token-0123"
    static let ssoToken = "sso-access-token-0123456789"

    /// Base environment: no keys, the fake runtime, and nothing reaching 169.254.x.
    static func environment(_ t: BedrockE2E) -> [String: String] {
        [
            "AWS_REGION": t.fake.region, "AWS_BEDROCK_RUNTIME_ENDPOINT": t.fake.endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
        ]
    }

    static func startMoto() async throws -> FakeProcess {
        try await FakeProcess(script: "moto_sts.py", within: .seconds(60))
    }

    static func startCredentialEndpoints() async throws -> FakeProcess {
        try await FakeProcess(
            script: "fake_aws_credentials.py",
            arguments: [
                FakeBedrockServer.accessKeyID, FakeBedrockServer.secretAccessKey, FakeBedrockServer.sessionToken,
                "--container-token", containerToken, "--sso-token", ssoToken,
            ])
    }

    func expectSignedWithSessionToken(_ t: BedrockE2E, _ result: RunResult, token: String?) async throws {
        #expect(result.status == 0, "\(result.stderr)")
        let requests = try await t.fake.requests()
        #expect(requests.count == 1)
        #expect(requests.first?.auth == "sigv4")
        #expect(requests.first?.status == 200)
        if let token { #expect(requests.first?.headers["x-amz-security-token"] == token) }
        #expect(requests.first?.headers["x-amz-security-token"]?.isEmpty == false)
    }

    @Test func webIdentityThroughMotoSTS() async throws {
        let moto = try await Self.startMoto()
        defer { moto.stop() }
        let issuer = "http://127.0.0.1:\(moto.port)"
        let t = try await BedrockE2E(issuer: issuer)
        let tokenFile = t.home.appendingPathComponent("web-identity-token")
        try Data("eyJhbGciOiJSUzI1NiJ9.e2e-web-identity".utf8).write(to: tokenFile)
        var env = Self.environment(t)
        env["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile.path
        env["AWS_ROLE_ARN"] = Self.role
        env["AWS_ROLE_SESSION_NAME"] = "e2e"
        env["AWS_ENDPOINT_URL_STS"] = issuer
        let result = try await t.run(["-v", "-m", Self.model, "a heron"], env: env)
        try await expectSignedWithSessionToken(t, result, token: nil)
        #expect(
            result.stderr.contains(
                "imagegen: AWS credentials from AWS_WEB_IDENTITY_TOKEN_FILE: web identity token \(tokenFile.path) "
                    + "→ STS AssumeRoleWithWebIdentity for \(Self.role)\n"))
        #expect(result.stderr.contains("WebIdentityToken=[REDACTED]"))
        #expect(!result.stderr.contains("e2e-web-identity"))
    }

    @Test func assumeRoleProfileChainThroughMotoSTS() async throws {
        let moto = try await Self.startMoto()
        defer { moto.stop() }
        let issuer = "http://127.0.0.1:\(moto.port)"
        let t = try await BedrockE2E(issuer: issuer)
        try t.writeAWSFile(
            "config",
            """
            [profile base]
            aws_access_key_id = AKIDMOTOBASE0001
            aws_secret_access_key = moto-base-secret
            [profile admin]
            role_arn = arn:aws:iam::123456789012:role/admin
            source_profile = base
            [profile painter]
            role_arn = \(Self.role)
            source_profile = admin
            external_id = e2e-external
            duration_seconds = 900
            """)
        var env = Self.environment(t)
        env["AWS_ENDPOINT_URL_STS"] = issuer
        let result = try await t.run(["-v", "--aws-profile", "painter", "-m", Self.model, "a heron"], env: env)
        try await expectSignedWithSessionToken(t, result, token: nil)
        #expect(
            result.stderr.contains("imagegen: AWS credentials from profile 'painter' in \(t.home.path)/.aws/config: "))
        #expect(result.stderr.contains("STS AssumeRole for \(Self.role) with credentials from STS AssumeRole for "))
        #expect(!result.stderr.contains("moto-base-secret"))
    }

    @Test func instanceMetadataSignsTheRequest() async throws {
        let endpoints = try await Self.startCredentialEndpoints()
        defer { endpoints.stop() }
        let t = try await BedrockE2E(token: FakeBedrockServer.sessionToken)
        var env = Self.environment(t)
        env["AWS_EC2_METADATA_DISABLED"] = "false"
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:\(endpoints.port)"
        let result = try await t.run(["-v", "-m", Self.model, "a heron"], env: env)
        try await expectSignedWithSessionToken(t, result, token: FakeBedrockServer.sessionToken)
        #expect(
            result.stderr.contains(
                "imagegen: AWS credentials from instance metadata: EC2 instance metadata (IMDSv2) at "
                    + "http://127.0.0.1:\(endpoints.port)\n"))
        let log = try await endpoints.log()
        #expect(log.map { $0["method"] as? String } == ["PUT", "GET", "GET"])
    }

    @Test func containerEndpointWithATokenFile() async throws {
        let endpoints = try await Self.startCredentialEndpoints()
        defer { endpoints.stop() }
        let t = try await BedrockE2E(token: FakeBedrockServer.sessionToken)
        let tokenFile = t.home.appendingPathComponent("container-token")
        try Data((Self.containerToken + "\n").utf8).write(to: tokenFile)
        var env = Self.environment(t)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:\(endpoints.port)/container/credentials"
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile.path
        let result = try await t.run(["-v", "-m", Self.model, "a heron"], env: env)
        try await expectSignedWithSessionToken(t, result, token: FakeBedrockServer.sessionToken)
        #expect(result.stderr.contains("imagegen: AWS credentials from AWS_CONTAINER_CREDENTIALS_FULL_URI: "))
        #expect(!result.stderr.contains(Self.containerToken))
    }

    @Test func credentialProcessRunByTheShell() async throws {
        let t = try await BedrockE2E(token: FakeBedrockServer.sessionToken)
        let answer = t.home.appendingPathComponent("process-answer.json")
        let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        try Data(
            #"""
            {"Version": 1, "AccessKeyId": "\#(FakeBedrockServer.accessKeyID)",
             "SecretAccessKey": "\#(FakeBedrockServer.secretAccessKey)",
             "SessionToken": "\#(FakeBedrockServer.sessionToken)", "Expiration": "\#(expires)"}
            """#.utf8
        ).write(to: answer)
        // A shell line, as the AWS CLI runs it: the redirection needs /bin/sh.
        try t.writeAWSFile(
            "config",
            """
            [profile vault]
            credential_process = cat < '\(answer.path)' && echo 'from the helper' >&2
            [profile broken]
            credential_process = exit 7
            """)
        var env = Self.environment(t)
        env["AWS_PROFILE"] = "vault"
        let result = try await t.run(["-v", "-m", Self.model, "a heron"], env: env)
        try await expectSignedWithSessionToken(t, result, token: FakeBedrockServer.sessionToken)
        #expect(result.stderr.contains("from the helper\n"))
        #expect(
            result.stderr.contains(
                "imagegen: AWS credentials from profile 'vault' in \(t.home.path)/.aws/config: "
                    + "credential_process 'cat < '\(answer.path)' && echo 'from the helper' >&2'\n"))
        env["AWS_PROFILE"] = "broken"
        let broken = try await t.run(["-m", Self.model, "a heron"], env: env)
        #expect(broken.status == 3)
        #expect(broken.stderr.contains("credential_process of AWS profile 'broken' (exit 7) exited with status 7"))
    }

    @Test func ssoSessionWithTheCachedToken() async throws {
        let endpoints = try await Self.startCredentialEndpoints()
        defer { endpoints.stop() }
        let t = try await BedrockE2E(token: FakeBedrockServer.sessionToken)
        try t.writeAWSFile(
            "config",
            """
            [profile studio]
            sso_session = corp
            sso_account_id = 111122223333
            sso_role_name = Painter
            [sso-session corp]
            sso_start_url = https://corp.awsapps.com/start
            sso_region = eu-central-1
            """)
        let cache = t.home.appendingPathComponent(".aws/sso/cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        // `aws sso login` names the file after the SHA-1 of the session name.
        let file = cache.appendingPathComponent("ee0bfd2552fbd840c02cc48b6e823320543c450f.json")
        let expires = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        try Data(#"{"accessToken":"\#(Self.ssoToken)","expiresAt":"\#(expires)"}"#.utf8).write(to: file)
        var env = Self.environment(t)
        env["AWS_PROFILE"] = "studio"
        env["AWS_ENDPOINT_URL_SSO"] = "http://127.0.0.1:\(endpoints.port)"
        let result = try await t.run(["-v", "-m", Self.model, "a heron"], env: env)
        try await expectSignedWithSessionToken(t, result, token: FakeBedrockServer.sessionToken)
        #expect(
            result.stderr.contains(
                "imagegen: AWS credentials from profile 'studio' in \(t.home.path)/.aws/config: IAM Identity Center "
                    + "(SSO) role Painter in account 111122223333 for profile 'studio'\n"))
        #expect(!result.stderr.contains(Self.ssoToken))

        let stale = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
        try Data(#"{"accessToken":"\#(Self.ssoToken)","expiresAt":"\#(stale)"}"#.utf8).write(to: file)
        let expired = try await t.run(["-m", Self.model, "a heron"], env: env)
        #expect(expired.status == 3)
        #expect(expired.stderr.contains("run 'aws sso login --profile studio'"))
    }
}
