import ImageGenCore
import ImageGenHTTP

/// A link of the AWS SDKs' default credential chain that supplies temporary
/// credentials over the network: resolved by the run, through its transport,
/// before the first Bedrock request (never by `--dry-run`).
package indirect enum AWSCredentialSource: Hashable, Sendable {
    /// STS `AssumeRoleWithWebIdentity` with the token in `tokenFile` (unsigned).
    case webIdentity(roleARN: String, sessionName: String, tokenFile: String)
    /// STS `AssumeRole`, signed with what `from` supplies.
    case assumeRole(
        roleARN: String, sessionName: String, externalID: String?, durationSeconds: Int?,
        from: AWSCredentialSource)
    /// Keys known without the network: the start of an `AssumeRole` chain.
    case fixed(AWSCredentials)
    /// The ECS/EKS container endpoint, with its authorization token if any.
    case container(url: String, token: String?, tokenFile: String?)
    /// EC2's instance metadata service (IMDSv2).
    case instanceMetadata(endpoint: String)
    /// A profile's `credential_process`, run with `/bin/sh -c`.
    case process(command: String, profile: String)
    /// IAM Identity Center: the token `aws sso login` cached, exchanged at the portal.
    case sso(cacheKey: String, portalRegion: String, accountID: String, roleName: String, profile: String)
}

/// Where the STS calls go and which region they are signed for.
package struct AWSCredentialContext: Hashable, Sendable {
    package var region: String
    package var stsEndpoint: String
    /// Directory of `aws sso login`'s token cache.
    package var ssoCacheDirectory: String?
    /// Overrides the SSO portal (tests); nil: `https://portal.sso.{region}.amazonaws.com`.
    package var ssoEndpoint: String?
}

/// Credentials that may expire (Unix seconds), as STS, the container
/// endpoint, IMDS and the SSO portal hand them out.
package struct TemporaryCredentials: Equatable, Sendable {
    package var credentials: AWSCredentials
    package var expiration: Double?
}

package typealias AWSCredentialSend = CredentialSend
package typealias AWSCredentialDone = @Sendable (Result<TemporaryCredentials, ImageGenError>) -> Void

extension AWSCredentialSource {
    /// What `-v` and `--dry-run` say supplied the credentials.
    package var summary: String {
        switch self {
        case .webIdentity(let role, _, let file):
            return "web identity token \(file) → STS AssumeRoleWithWebIdentity for \(role)"
        case .assumeRole(let role, _, _, _, let from):
            return "STS AssumeRole for \(role) with credentials from \(from.summary)"
        case .fixed:
            return "static keys"
        case .container(let url, _, _):
            return "container credentials endpoint \(url)"
        case .instanceMetadata(let endpoint):
            return "EC2 instance metadata (IMDSv2) at \(endpoint)"
        case .process(let command, _):
            return "credential_process '\(command)'"
        case .sso(_, _, let account, let role, let profile):
            return "IAM Identity Center (SSO) role \(role) in account \(account) for profile '\(profile)'"
        }
    }

    /// Fetches credentials; `done` runs once, on the scheduler's loop or at once.
    package func fetch(
        context: AWSCredentialContext, now: @escaping @Sendable () -> Double,
        send: @escaping AWSCredentialSend, done: @escaping AWSCredentialDone
    ) {
        switch self {
        case .fixed(let keys):
            done(.success(TemporaryCredentials(credentials: keys, expiration: nil)))
        case .webIdentity(let role, let session, let file):
            let token: String
            switch FileSystem.readFile(file) {
            case .success(let bytes):
                token = String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
            case .failure(let failure):
                return done(
                    .failure(
                        .configuration(
                            "cannot read the web identity token file \(file): \(failure.message); "
                                + "check AWS_WEB_IDENTITY_TOKEN_FILE or the profile's web_identity_token_file")))
            }
            let body = AWSCredentialSource.form([
                ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", role),
                ("RoleSessionName", session), ("WebIdentityToken", token),
            ])
            let request = HTTPRequest(
                method: "POST", url: context.stsEndpoint,
                headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                body: Array(body.utf8))
            send(request) { outcome in
                done(STSAnswer.credentials(outcome, action: "AssumeRoleWithWebIdentity", role: role))
            }
        case .assumeRole(let role, let session, let externalID, let duration, let from):
            from.fetch(context: context, now: now, send: send) { sourced in
                switch sourced {
                case .failure(let error):
                    done(.failure(error))
                case .success(let source):
                    var fields = [
                        ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", role),
                        ("RoleSessionName", session),
                    ]
                    if let externalID { fields.append(("ExternalId", externalID)) }
                    if let duration { fields.append(("DurationSeconds", String(duration))) }
                    let unsigned = HTTPRequest(
                        method: "POST", url: context.stsEndpoint,
                        headers: [HTTPHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                        body: Array(AWSCredentialSource.form(fields).utf8))
                    let signer = SigV4Signer(credentials: source.credentials, region: context.region, service: "sts")
                    send(signer.sign(unsigned, time: Int(now()))) { outcome in
                        done(STSAnswer.credentials(outcome, action: "AssumeRole", role: role))
                    }
                }
            }
        case .container(let url, let token, let tokenFile):
            var headers: [HTTPHeader] = [HTTPHeader("Accept", "application/json")]
            if let tokenFile {
                switch FileSystem.readFile(tokenFile) {
                case .success(let bytes):
                    headers.append(
                        HTTPHeader("Authorization", String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()))
                case .failure(let failure):
                    return done(
                        .failure(
                            .configuration(
                                "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(tokenFile): \(failure.message)")))
                }
            } else if let token {
                headers.append(HTTPHeader("Authorization", token))
            }
            if let authorization = headers.last?.value, AWSCredentialSource.unsafe(authorization) {
                let variable =
                    tokenFile == nil ? "AWS_CONTAINER_AUTHORIZATION_TOKEN" : "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
                return done(
                    .failure(
                        .configuration("the token from \(variable) contains a control character; it cannot be sent")))
            }
            send(HTTPRequest(method: "GET", url: url, headers: headers, timeout: 2, maxRetries: 1)) { outcome in
                done(
                    AWSCredentialSource.jsonCredentials(
                        outcome, step: "the container credentials endpoint \(url)",
                        fix: "check AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI"))
            }
        case .instanceMetadata(let endpoint):
            fetchFromInstanceMetadata(endpoint: endpoint, send: send, done: done)
        case .process(let command, let profile):
            done(AWSCredentialSource.runProcess(command, profile: profile))
        case .sso(let key, let portalRegion, let account, let role, let profile):
            fetchFromSSO(
                cacheKey: key, portalRegion: portalRegion, account: account, role: role, profile: profile,
                context: context, now: now, send: send, done: done)
        }
    }

    private func fetchFromInstanceMetadata(
        endpoint: String, send: @escaping AWSCredentialSend, done: @escaping AWSCredentialDone
    ) {
        let fix = "set AWS_EC2_METADATA_DISABLED=true off EC2, or configure credentials another way"
        // One attempt of one second each, as botocore: off EC2 nothing answers.
        let tokenRequest = HTTPRequest(
            method: "PUT", url: HTTPURL.join(endpoint, "latest/api/token"),
            headers: [HTTPHeader("X-aws-ec2-metadata-token-ttl-seconds", "21600")], timeout: 1, maxRetries: 0)
        send(tokenRequest) { outcome in
            let token: String
            switch AWSCredentialSource.text(outcome, step: "the instance metadata token (IMDSv2)", fix: fix) {
            case .failure(let error): return done(.failure(error))
            case .success(let text): token = text
            }
            guard !AWSCredentialSource.unsafe(token) else {
                return done(
                    .failure(
                        .badResponse(
                            provider: .bedrock, message: "the instance metadata token holds a control character")))
            }
            let header = HTTPHeader("X-aws-ec2-metadata-token", token)
            let rolesURL = HTTPURL.join(endpoint, "latest/meta-data/iam/security-credentials/")
            send(HTTPRequest(method: "GET", url: rolesURL, headers: [header], timeout: 1, maxRetries: 0)) { outcome in
                let role: String
                switch AWSCredentialSource.text(outcome, step: "the instance's IAM role", fix: fix) {
                case .failure(let error): return done(.failure(error))
                case .success(let text):
                    guard let first = text.split(separator: "\n").first.map(String.init), !first.isEmpty else {
                        return done(
                            .failure(
                                .configuration(
                                    "the instance metadata service lists no IAM role; attach an instance profile")))
                    }
                    role = first.trimmingASCIIWhitespace()
                }
                let url = rolesURL + HTTPURL.percentEncode(role)
                send(HTTPRequest(method: "GET", url: url, headers: [header], timeout: 1, maxRetries: 0)) { outcome in
                    done(
                        AWSCredentialSource.jsonCredentials(
                            outcome, step: "the instance metadata credentials of role \(role)", fix: fix))
                }
            }
        }
    }

    // swift-format-ignore: FunctionParameterCount
    private func fetchFromSSO(
        cacheKey: String, portalRegion: String, account: String, role: String, profile: String,
        context: AWSCredentialContext, now: @escaping @Sendable () -> Double,
        send: @escaping AWSCredentialSend, done: @escaping AWSCredentialDone
    ) {
        let login = "run 'aws sso login --profile \(profile)' and try again"
        guard let directory = context.ssoCacheDirectory else {
            return done(.failure(.configuration("no SSO token cache (HOME is not set); \(login)")))
        }
        let file = HTTPURL.join(directory, Crypto.sha1Hex(Array(cacheKey.utf8)) + ".json")
        guard case .success(let bytes) = FileSystem.readFile(file), let json = try? JSON.parse(bytes),
            let token = json["accessToken"]?.stringValue
        else {
            return done(.failure(.configuration("no cached SSO token for profile '\(profile)' (\(file)); \(login)")))
        }
        guard !AWSCredentialSource.unsafe(token) else {
            return done(
                .failure(.configuration("the cached SSO token in \(file) contains a control character; \(login)")))
        }
        if let expiry = json["expiresAt"]?.stringValue.flatMap(ISO8601.unixSeconds), expiry <= now() {
            return done(.failure(.configuration("the SSO token for profile '\(profile)' has expired; \(login)")))
        }
        let base = context.ssoEndpoint ?? "https://portal.sso.\(portalRegion).amazonaws.com"
        let url =
            HTTPURL.join(base, "federation/credentials") + "?role_name=" + HTTPURL.percentEncode(role)
            + "&account_id=" + HTTPURL.percentEncode(account)
        let request = HTTPRequest(
            method: "GET", url: url, headers: [HTTPHeader("x-amz-sso_bearer_token", token)])
        send(request) { outcome in
            if case .success(let response) = outcome, response.status == 401 || response.status == 403 {
                return done(
                    .failure(
                        .rejected(
                            provider: .bedrock, status: response.status,
                            message: "the SSO portal refused the cached token for profile '\(profile)'; \(login)")))
            }
            guard case .success(let response) = outcome, response.status == 200,
                let json = try? JSON.parse(response.body), let keys = json["roleCredentials"]
            else {
                return done(
                    AWSCredentialSource.jsonCredentials(
                        outcome, step: "the SSO portal \(HTTPURL.origin(of: url))", fix: login))
            }
            guard let id = keys["accessKeyId"]?.stringValue, let secret = keys["secretAccessKey"]?.stringValue
            else {
                return done(.failure(.badResponse(provider: .bedrock, message: "the SSO portal's answer has no keys")))
            }
            let expiration = keys["expiration"]?.intValue.map { Double($0) / 1000 }
            done(
                .success(
                    TemporaryCredentials(
                        credentials: AWSCredentials(
                            accessKeyID: id, secretAccessKey: secret, sessionToken: keys["sessionToken"]?.stringValue),
                        expiration: expiration)))
        }
    }
}
