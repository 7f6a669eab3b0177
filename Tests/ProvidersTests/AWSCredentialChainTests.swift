import Foundation
import Synchronization
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// The AWS SDKs' default credential chain: which link wins, and what each
/// link sends and reads, with the network replaced by a script.
@Suite struct AWSCredentialChainTests {
    static let config = """
        [default]
        region = eu-west-1
        [profile base]
        aws_access_key_id = AKIDBASE
        aws_secret_access_key = base-secret
        [profile admin]
        role_arn = arn:aws:iam::123456789012:role/admin
        source_profile = base
        external_id = ext-1
        role_session_name = me
        duration_seconds = 1800
        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/deeper
        source_profile = admin
        [profile fromenv]
        role_arn = arn:aws:iam::123456789012:role/env
        credential_source = Environment
        [profile fromimds]
        role_arn = arn:aws:iam::123456789012:role/imds
        credential_source = Ec2InstanceMetadata
        [profile fromecs]
        role_arn = arn:aws:iam::123456789012:role/ecs
        credential_source = EcsContainer
        [profile mfa]
        role_arn = arn:aws:iam::123456789012:role/mfa
        source_profile = base
        mfa_serial = arn:aws:iam::123456789012:mfa/me
        [profile loop1]
        role_arn = arn:aws:iam::123456789012:role/a
        source_profile = loop2
        [profile loop2]
        role_arn = arn:aws:iam::123456789012:role/b
        source_profile = loop1
        [profile webid]
        role_arn = arn:aws:iam::123456789012:role/web
        web_identity_token_file = ~/token
        [profile sso]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = Painter
        [profile legacy]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-2
        sso_account_id = 111122223333
        sso_role_name = Painter
        [profile process]
        credential_process = /bin/echo
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-central-1
        """

    func resolve(
        _ variables: [String: String] = [:], config: String? = config, options: ConnectionOptions = ConnectionOptions()
    ) throws(ImageGenError) -> BedrockConfiguration {
        var environment = ["HOME": "/home/u"]
        environment.merge(variables) { _, new in new }
        let files = ["/home/u/.aws/config": config].compactMapValues { $0 }
        return try BedrockConfiguration.resolve(
            options, model: "amazon.nova-canvas-v1:0", environment: Environment(environment),
            readFile: { files[$0] })
    }

    func source(_ configuration: BedrockConfiguration) -> AWSCredentialSource? {
        switch configuration.auth {
        case .temporary(let provider): return provider.source
        case .sigV4(let keys): return .fixed(keys)
        case .bearer: return nil
        }
    }

    static let webIdentity = [
        "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/w",
        "AWS_ROLE_SESSION_NAME": "pod",
    ]
    static let container = ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"]

    @Test func linksInTheSDKsOrder() throws {
        let keys = ["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "env-secret"]
        let all = keys.merging(Self.webIdentity) { a, _ in a }.merging(Self.container) { a, _ in a }
        #expect(
            source(try resolve(all)) == .fixed(AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "env-secret")))

        let noKeys = Self.webIdentity.merging(Self.container) { a, _ in a }
        let web = try resolve(noKeys.merging(["AWS_PROFILE": "base"]) { a, _ in a })
        #expect(
            source(web)
                == .webIdentity(roleARN: "arn:aws:iam::1:role/w", sessionName: "pod", tokenFile: "/var/run/token"))
        #expect(web.authSource.hasPrefix("AWS_WEB_IDENTITY_TOKEN_FILE: "))

        let profile = try resolve(Self.container.merging(["AWS_PROFILE": "base"]) { a, _ in a })
        #expect(source(profile) == .fixed(AWSCredentials(accessKeyID: "AKIDBASE", secretAccessKey: "base-secret")))

        let container = try resolve(Self.container, config: nil)
        #expect(
            source(container) == .container(url: "http://169.254.170.2/v2/credentials/abc", token: nil, tokenFile: nil))
        #expect(container.authSource.hasPrefix("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: "))

        let imds = try resolve([:], config: nil)
        #expect(source(imds) == .instanceMetadata(endpoint: "http://169.254.169.254"))
        #expect(imds.authSource.hasPrefix("instance metadata: "))
        let moved = try resolve(["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:1"], config: nil)
        #expect(source(moved) == .instanceMetadata(endpoint: "http://127.0.0.1:1"))
        #expect { try resolve(["AWS_EC2_METADATA_DISABLED": "TRUE"], config: nil) } throws: {
            ($0 as! ImageGenError).exitCode == 3 && ($0 as! ImageGenError).message.contains("instance metadata")
        }
    }

    @Test func containerEndpoints() throws {
        let full = try resolve(
            [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8080/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "tok",
            ], config: nil)
        #expect(source(full) == .container(url: "http://127.0.0.1:8080/creds", token: "tok", tokenFile: nil))
        #expect {
            try resolve(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://evil.example/creds"], config: nil)
        } throws: { ($0 as! ImageGenError).message.contains("use https") }
    }

    @Test func profilesThatAssumeRoles() throws {
        let base = AWSCredentialSource.fixed(AWSCredentials(accessKeyID: "AKIDBASE", secretAccessKey: "base-secret"))
        let admin = AWSCredentialSource.assumeRole(
            roleARN: "arn:aws:iam::123456789012:role/admin", sessionName: "me", externalID: "ext-1",
            durationSeconds: 1800, from: base)
        #expect(source(try resolve(["AWS_PROFILE": "admin"])) == admin)
        #expect(
            source(try resolve(["AWS_PROFILE": "chained"]))
                == .assumeRole(
                    roleARN: "arn:aws:iam::123456789012:role/deeper", sessionName: "imagegen", externalID: nil,
                    durationSeconds: nil, from: admin))
        let env = try resolve(["AWS_PROFILE": "fromenv", "AWS_ACCESS_KEY_ID": "A1", "AWS_SECRET_ACCESS_KEY": "S1"])
        // The environment's keys are the first link, so a named profile is needed for the role.
        #expect(source(env) == .fixed(AWSCredentials(accessKeyID: "A1", secretAccessKey: "S1")))
        var options = ConnectionOptions()
        options.awsProfile = "fromenv"
        guard
            case .assumeRole(_, _, _, _, let from)? = source(
                try resolve(["AWS_ACCESS_KEY_ID": "A1", "AWS_SECRET_ACCESS_KEY": "S1"], options: options))
        else {
            Issue.record("no AssumeRole")
            return
        }
        #expect(from == .fixed(AWSCredentials(accessKeyID: "A1", secretAccessKey: "S1")))
        guard case .assumeRole(_, _, _, _, let imds)? = source(try resolve(["AWS_PROFILE": "fromimds"])) else {
            Issue.record("no AssumeRole")
            return
        }
        #expect(imds == .instanceMetadata(endpoint: "http://169.254.169.254"))
        guard case .assumeRole(_, _, _, _, let ecs)? = source(try resolve(["AWS_PROFILE": "fromecs"] + Self.container))
        else {
            Issue.record("no AssumeRole")
            return
        }
        #expect(ecs == .container(url: "http://169.254.170.2/v2/credentials/abc", token: nil, tokenFile: nil))
        #expect(
            source(try resolve(["AWS_PROFILE": "webid"]))
                == .webIdentity(
                    roleARN: "arn:aws:iam::123456789012:role/web", sessionName: "imagegen", tokenFile: "/home/u/token"))
    }

    @Test func profilesRefusedWithTheFix() {
        #expect { try resolve(["AWS_PROFILE": "mfa"]) } throws: {
            let error = $0 as! ImageGenError
            return error.exitCode == 3 && error.message.contains("mfa_serial")
                && error.message.contains("aws configure export-credentials --profile mfa")
        }
        #expect { try resolve(["AWS_PROFILE": "loop1"]) } throws: {
            ($0 as! ImageGenError).message.contains("'loop1' → 'loop2' → 'loop1'")
        }
        #expect { try resolve(["AWS_PROFILE": "fromecs"]) } throws: {
            ($0 as! ImageGenError).message.contains("EcsContainer")
        }
        #expect { try resolve(["AWS_WEB_IDENTITY_TOKEN_FILE": "/t"]) } throws: {
            ($0 as! ImageGenError).message.contains("AWS_ROLE_ARN")
        }
    }

    @Test func credentialProcessProfiles() throws {
        #expect(source(try resolve(["AWS_PROFILE": "process"])) == .process(command: "/bin/echo", profile: "process"))
        let step = "credential_process of AWS profile 'p'"
        let good = AWSCredentialSource.processCredentials(
            Array(
                #"{"Version":1,"AccessKeyId":"ASIAPROC","SecretAccessKey":"proc-secret","SessionToken":"proc-token","Expiration":"2027-01-15T09:00:00Z"}"#
                    .utf8), step: step)
        #expect(
            try good.get()
                == TemporaryCredentials(
                    credentials: AWSCredentials(
                        accessKeyID: "ASIAPROC", secretAccessKey: "proc-secret", sessionToken: "proc-token"),
                    expiration: 1_800_003_600))
        let longTerm = AWSCredentialSource.processCredentials(
            Array(#"{"Version":1,"AccessKeyId":"AKIDPROC","SecretAccessKey":"s"}"#.utf8), step: step)
        #expect(try longTerm.get().expiration == nil)
        for bad in [#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"s"}"#, #"{"Version":1}"#, "not json"] {
            guard case .failure(let error) = AWSCredentialSource.processCredentials(Array(bad.utf8), step: step) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(error.exitCode == 3 && error.message.contains(step))
        }
    }

    @Test func ssoProfiles() throws {
        #expect(
            source(try resolve(["AWS_PROFILE": "sso"]))
                == .sso(
                    cacheKey: "corp", portalRegion: "eu-central-1", accountID: "111122223333", roleName: "Painter",
                    profile: "sso"))
        #expect(
            source(try resolve(["AWS_PROFILE": "legacy"]))
                == .sso(
                    cacheKey: "https://corp.awsapps.com/start", portalRegion: "us-east-2", accountID: "111122223333",
                    roleName: "Painter", profile: "legacy"))
    }

    // MARK: - Fetching

    /// Answers every request from `script` at once and records it.
    final class FakeNetwork: Sendable {
        let sent = Mutex<[HTTPRequest]>([])
        let script: @Sendable (HTTPRequest) -> TransferOutcome
        init(_ script: @escaping @Sendable (HTTPRequest) -> TransferOutcome) { self.script = script }
        var send: AWSCredentialSend {
            { request, done in
                self.sent.withLock { $0.append(request) }
                done(self.script(request))
            }
        }
        var requests: [HTTPRequest] { sent.withLock { $0 } }
    }

    static let context = AWSCredentialContext(
        region: "eu-west-1", stsEndpoint: "http://127.0.0.1:1/sts", ssoCacheDirectory: nil, ssoEndpoint: nil)
    static let now = 1_800_000_000.0

    static func ok(_ body: String) -> TransferOutcome { .success(HTTPResponse(status: 200, body: Array(body.utf8))) }

    static func stsAnswer(
        _ action: String, id: String = "ASIASTS", expiration: String = "2027-01-15T08:00:00Z"
    )
        -> TransferOutcome
    {
        ok(
            """
            <\(action)Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><\(action)Result>
            <Credentials><AccessKeyId>\(id)</AccessKeyId><SecretAccessKey>sts-secret</SecretAccessKey>
            <SessionToken>sts-token&amp;more</SessionToken><Expiration>\(expiration)</Expiration></Credentials>
            </\(action)Result></\(action)Response>
            """)
    }

    func fetch(
        _ source: AWSCredentialSource, context: AWSCredentialContext = context, network: FakeNetwork
    ) -> Result<TemporaryCredentials, ImageGenError> {
        let result = Mutex<Result<TemporaryCredentials, ImageGenError>?>(nil)
        source.fetch(
            context: context, now: { Self.now }, send: network.send,
            done: { outcome in result.withLock { $0 = outcome } })
        return result.withLock { $0 }!
    }

    @Test func webIdentityPostsTheTokenUnsigned() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("token", Array("eyJ.token+/=\n".utf8))
        let network = FakeNetwork { _ in Self.stsAnswer("AssumeRoleWithWebIdentity") }
        let got = try fetch(
            .webIdentity(roleARN: "arn:aws:iam::1:role/w", sessionName: "pod", tokenFile: scratch.sub("token")),
            network: network
        ).get()
        #expect(
            got.credentials
                == AWSCredentials(accessKeyID: "ASIASTS", secretAccessKey: "sts-secret", sessionToken: "sts-token&more")
        )
        #expect(got.expiration == ISO8601.unixSeconds("2027-01-15T08:00:00Z"))
        let request = try #require(network.requests.first)
        #expect(request.method == "POST" && request.url == "http://127.0.0.1:1/sts")
        #expect(request.header("Authorization") == nil)
        #expect(
            String(decoding: request.body, as: UTF8.self)
                == "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fw"
                + "&RoleSessionName=pod&WebIdentityToken=eyJ.token%2B%2F%3D")
        let log = try #require(TransferLog.maskingFormTokens(request))
        #expect(String(decoding: log, as: UTF8.self).hasSuffix("&WebIdentityToken=[REDACTED]"))

        let missing = fetch(.webIdentity(roleARN: "r", sessionName: "s", tokenFile: "/nonexistent/t"), network: network)
        #expect(throws: ImageGenError.self) { try missing.get() }
        if case .failure(let error) = missing {
            #expect(error.exitCode == 3 && error.message.contains("/nonexistent/t"))
        }
    }

    @Test func assumeRoleIsSignedWithTheSourceCredentials() throws {
        let network = FakeNetwork { request in
            String(decoding: request.body, as: UTF8.self).contains("role%2Fadmin")
                ? Self.stsAnswer("AssumeRole", id: "ASIAADMIN") : Self.stsAnswer("AssumeRole", id: "ASIADEEPER")
        }
        let admin = AWSCredentialSource.assumeRole(
            roleARN: "arn:aws:iam::1:role/admin", sessionName: "me", externalID: "ext-1", durationSeconds: 1800,
            from: .fixed(AWSCredentials(accessKeyID: "AKIDBASE", secretAccessKey: "base-secret")))
        let chained = AWSCredentialSource.assumeRole(
            roleARN: "arn:aws:iam::1:role/deeper", sessionName: "imagegen", externalID: nil, durationSeconds: nil,
            from: admin)
        let got = try fetch(chained, network: network).get()
        #expect(got.credentials.accessKeyID == "ASIADEEPER")
        let requests = network.requests
        #expect(requests.count == 2)
        #expect(
            String(decoding: requests[0].body, as: UTF8.self)
                == "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fadmin"
                + "&RoleSessionName=me&ExternalId=ext-1&DurationSeconds=1800")
        let first = try #require(requests[0].header("Authorization"))
        #expect(first.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDBASE/20270115/eu-west-1/sts/aws4_request"))
        let second = try #require(requests[1].header("Authorization"))
        #expect(second.contains("Credential=ASIAADMIN/"))
        #expect(requests[1].header("X-Amz-Security-Token") == "sts-token&more")

        let refused = FakeNetwork { _ in
            .success(
                HTTPResponse(
                    status: 403,
                    body: Array(
                        "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>"
                            .utf8)))
        }
        guard case .failure(let error) = fetch(admin, network: refused) else {
            Issue.record("a refusal succeeded")
            return
        }
        #expect(error.exitCode == 4)
        #expect(
            error.message.contains(
                "STS AssumeRole for arn:aws:iam::1:role/admin was refused: not allowed (AccessDenied)"))
        let down = FakeNetwork { _ in .failure(.network("connection refused")) }
        guard case .failure(let network) = fetch(admin, network: down) else {
            Issue.record("no failure")
            return
        }
        #expect(network.exitCode == 6 && network.message.contains("STS AssumeRole"))
    }

    static let endpointJSON = """
        {"AccessKeyId":"ASIACONT","SecretAccessKey":"cont-secret","Token":"cont-token","Expiration":"2027-01-15T08:00:00Z"}
        """

    @Test func containerEndpointWithToken() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("auth", Array("file-token\n".utf8))
        let network = FakeNetwork { _ in Self.ok(Self.endpointJSON) }
        let got = try fetch(
            .container(url: "http://127.0.0.1:9/c", token: "env-token", tokenFile: nil), network: network
        ).get()
        #expect(
            got.credentials
                == AWSCredentials(accessKeyID: "ASIACONT", secretAccessKey: "cont-secret", sessionToken: "cont-token"))
        _ = try fetch(
            .container(url: "http://127.0.0.1:9/c", token: "env-token", tokenFile: scratch.sub("auth")),
            network: network
        ).get()
        #expect(network.requests.map { $0.header("Authorization") } == ["env-token", "file-token"])
        #expect(network.requests.allSatisfy { $0.timeout != nil && $0.url == "http://127.0.0.1:9/c" })
    }

    @Test func instanceMetadataUsesIMDSv2() throws {
        let network = FakeNetwork { request in
            switch (request.method, request.url) {
            case ("PUT", "http://127.0.0.1:9/latest/api/token"):
                return request.header("X-aws-ec2-metadata-token-ttl-seconds") == "21600"
                    ? Self.ok("imds-token") : Self.ok("")
            case ("GET", "http://127.0.0.1:9/latest/meta-data/iam/security-credentials/"):
                return Self.ok("painter-role\n")
            case ("GET", "http://127.0.0.1:9/latest/meta-data/iam/security-credentials/painter-role"):
                return Self.ok(#"{"Code":"Success","# + Self.endpointJSON.dropFirst())
            default:
                return .success(HTTPResponse(status: 404))
            }
        }
        let got = try fetch(.instanceMetadata(endpoint: "http://127.0.0.1:9"), network: network).get()
        #expect(got.credentials.accessKeyID == "ASIACONT")
        #expect(network.requests.count == 3)
        #expect(network.requests.dropFirst().allSatisfy { $0.header("X-aws-ec2-metadata-token") == "imds-token" })
        #expect(network.requests.allSatisfy { $0.timeout == 1 && $0.maxRetries == 0 })
    }

    @Test func ssoReadsTheCachedTokenAndAsksThePortal() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        // The AWS CLI names the cache file after the SHA-1 of the session name.
        #expect(Crypto.sha1Hex(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        let name = Crypto.sha1Hex(Array("corp".utf8))
        scratch.write(name + ".json", Array(#"{"accessToken":"sso-access","expiresAt":"2027-06-01T00:00:00Z"}"#.utf8))
        var context = Self.context
        context.ssoCacheDirectory = scratch.path
        context.ssoEndpoint = "http://127.0.0.1:9"
        let network = FakeNetwork { _ in
            Self.ok(
                #"{"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":"sso-secret","sessionToken":"sso-token","expiration":1800003600000}}"#
            )
        }
        let source = AWSCredentialSource.sso(
            cacheKey: "corp", portalRegion: "eu-central-1", accountID: "111122223333", roleName: "Painter",
            profile: "sso")
        let got = try fetch(source, context: context, network: network).get()
        #expect(
            got.credentials
                == AWSCredentials(accessKeyID: "ASIASSO", secretAccessKey: "sso-secret", sessionToken: "sso-token"))
        #expect(got.expiration == 1_800_003_600)
        let request = try #require(network.requests.first)
        #expect(request.url == "http://127.0.0.1:9/federation/credentials?role_name=Painter&account_id=111122223333")
        #expect(request.header("x-amz-sso_bearer_token") == "sso-access")

        scratch.write(name + ".json", Array(#"{"accessToken":"sso-access","expiresAt":"2020-01-01T00:00:00Z"}"#.utf8))
        guard case .failure(let expired) = fetch(source, context: context, network: network) else {
            Issue.record("an expired token was used")
            return
        }
        #expect(expired.exitCode == 3 && expired.message.contains("aws sso login --profile sso"))
        context.ssoCacheDirectory = scratch.sub("none")
        guard case .failure(let missing) = fetch(source, context: context, network: network) else {
            Issue.record("no token, yet credentials")
            return
        }
        #expect(missing.message.contains("aws sso login --profile sso"))
    }

    @Test func refreshesBeforeExpiryInTheBackground() throws {
        let clock = Mutex(Self.now)
        let calls = Mutex(0)
        let network = FakeNetwork { _ in
            let call = calls.withLock {
                $0 += 1
                return $0
            }
            let expiry = UTCTime(Int(clock.withLock { $0 }) + 3600).iso8601
            return Self.stsAnswer("AssumeRoleWithWebIdentity", id: "ASIA\(call)", expiration: expiry)
        }
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("token", Array("t".utf8))
        let provider = AWSCredentialProvider(
            source: .webIdentity(roleARN: "r", sessionName: "s", tokenFile: scratch.sub("token")),
            context: Self.context, link: "test", now: { clock.withLock { $0 } })
        let refreshed = Mutex<[String]>([])
        let first = try provider.fetch(
            send: network.send, run: {}, onRefresh: { keys in refreshed.withLock { $0.append(keys.accessKeyID) } })
        #expect(first.accessKeyID == "ASIA1")
        clock.withLock { $0 += 3600 - AWSCredentialProvider.refreshWindow - 1 }
        #expect(provider.credentials()?.accessKeyID == "ASIA1")
        #expect(calls.withLock { $0 } == 1)
        clock.withLock { $0 += 2 }
        // Inside the window: this request still gets the valid old set, the next the new one.
        #expect(provider.credentials()?.accessKeyID == "ASIA1")
        #expect(provider.credentials()?.accessKeyID == "ASIA2")
        #expect(refreshed.withLock { $0 } == ["ASIA2"])
    }

    @Test func aFailedRefreshKeepsTheOldSetAndWaitsBeforeTryingAgain() throws {
        let clock = Mutex(Self.now)
        let calls = Mutex(0)
        let network = FakeNetwork { _ in
            let call = calls.withLock {
                $0 += 1
                return $0
            }
            guard call == 1 else { return .failure(.network("connection refused")) }
            return Self.ok(
                #"{"AccessKeyId":"ASIAONE","SecretAccessKey":"s1","Token":"t1","Expiration":"2027-01-15T08:05:00Z"}"#)
        }
        let provider = AWSCredentialProvider(
            source: .container(url: "http://127.0.0.1:9/c", token: nil, tokenFile: nil), context: Self.context,
            link: "test", now: { clock.withLock { $0 } })
        _ = try provider.fetch(send: network.send, run: {})
        #expect(provider.credentials()?.accessKeyID == "ASIAONE")
        #expect(provider.credentials()?.accessKeyID == "ASIAONE")
        #expect(calls.withLock { $0 } == 2)
        clock.withLock { $0 += AWSCredentialProvider.retryDelay }
        #expect(provider.credentials()?.accessKeyID == "ASIAONE")
        #expect(calls.withLock { $0 } == 3)
    }

    @Test func controlCharactersNeverReachAHeader() throws {
        let network = FakeNetwork { _ in
            Self.ok(#"{"AccessKeyId":"ASIABAD","SecretAccessKey":"s","Token":"t\r\nX-Injected: 1"}"#)
        }
        let source = AWSCredentialSource.container(url: "http://127.0.0.1:9/c", token: nil, tokenFile: nil)
        let provider = AWSCredentialProvider(source: source, context: Self.context, link: "test")
        #expect { try provider.fetch(send: network.send, run: {}) } throws: {
            let error = $0 as! ImageGenError
            return error.exitCode == 7 && error.message.contains("control character")
        }
        let badToken = AWSCredentialSource.container(url: "http://127.0.0.1:9/c", token: "a\nb", tokenFile: nil)
        guard case .failure(let error) = fetch(badToken, network: network) else {
            Issue.record("a token with a line feed was sent")
            return
        }
        #expect(error.exitCode == 3 && error.message.contains("AWS_CONTAINER_AUTHORIZATION_TOKEN"))
        #expect(network.requests.count == 1)
    }

    @Test func iso8601() {
        #expect(ISO8601.unixSeconds("1970-01-01T00:00:00Z") == 0)
        #expect(ISO8601.unixSeconds("2026-11-29T20:32:55Z") == 1_795_984_375)
        #expect(ISO8601.unixSeconds("2024-02-29T12:00:00.123+00:00") == 1_709_208_000)
        #expect(ISO8601.unixSeconds("soon") == nil)
    }
}

extension Dictionary where Key == String, Value == String {
    static func + (lhs: Self, rhs: Self) -> Self { lhs.merging(rhs) { _, new in new } }
}
