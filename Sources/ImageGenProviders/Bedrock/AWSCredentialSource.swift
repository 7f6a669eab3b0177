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

/// Sends one request through the run's scheduler; the answer comes back later.
package typealias AWSCredentialSend =
    @Sendable (HTTPRequest, @escaping @Sendable (TransferOutcome) -> Void) -> Void
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

    /// Runs `credential_process` and reads its answer.
    static func runProcess(_ command: String, profile: String) -> Result<TemporaryCredentials, ImageGenError> {
        let step = "credential_process of AWS profile '\(profile)'"
        switch ShellCommand.run(command) {
        case .failure(let failure):
            return .failure(.configuration("cannot run the \(step) (\(command)): \(failure.message)"))
        case .success(let outcome):
            guard outcome.status == 0 else {
                return .failure(
                    .configuration(
                        "the \(step) (\(command)) exited with status \(outcome.status); run it yourself to see why"))
            }
            guard !outcome.truncated else {
                return .failure(.configuration("the \(step) printed more than 1 MiB; it should print one JSON object"))
            }
            return processCredentials(outcome.output, step: step)
        }
    }

    /// The JSON a credential process prints (`Version` 1).
    static func processCredentials(_ output: [UInt8], step: String) -> Result<TemporaryCredentials, ImageGenError> {
        guard let json = try? JSON.parse(output) else {
            return .failure(.configuration("the \(step) did not print a JSON object"))
        }
        guard json["Version"]?.intValue == 1 else {
            return .failure(
                .configuration(
                    "the \(step) printed Version \(json["Version"]?.intValue.map(String.init) ?? json["Version"]?.stringValue ?? "(none)"); only 1 is known"
                ))
        }
        guard let id = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue,
            !id.isEmpty, !secret.isEmpty
        else {
            return .failure(.configuration("the \(step) printed no AccessKeyId and SecretAccessKey"))
        }
        var expiration: Double?
        if let text = json["Expiration"]?.stringValue {
            guard let seconds = ISO8601.unixSeconds(text) else {
                return .failure(.configuration("the \(step) printed an Expiration that is not ISO 8601: '\(text)'"))
            }
            expiration = seconds
        }
        return .success(
            TemporaryCredentials(
                credentials: AWSCredentials(
                    accessKeyID: id, secretAccessKey: secret, sessionToken: json["SessionToken"]?.stringValue),
                expiration: expiration))
    }

    /// Whether a value would break the header it goes into (a CR or LF would add lines).
    static func unsafe(_ value: String) -> Bool {
        (try? HeaderValue.check(value, source: "")) == nil
    }

    /// `application/x-www-form-urlencoded`, as the SDKs write the STS query protocol.
    static func form(_ fields: [(String, String)]) -> String {
        fields.map { "\(HTTPURL.percentEncode($0.0))=\(HTTPURL.percentEncode($0.1))" }.joined(separator: "&")
    }

    static func failure(_ outcome: TransferOutcome, step: String, fix: String) -> ImageGenError? {
        switch outcome {
        case .failure(let error):
            switch error {
            case .network(let text), .timeout(let text), .tls(let text):
                return .network("cannot get AWS credentials from \(step): \(text); \(fix)")
            default:
                return error
            }
        case .success(let response) where response.status != 200:
            return .rejected(
                provider: .bedrock, status: response.status,
                message: "\(step) answered HTTP \(response.status): "
                    + ProviderErrorText.excerpt(response.body) + "; \(fix)")
        case .success:
            return nil
        }
    }

    static func text(_ outcome: TransferOutcome, step: String, fix: String) -> Result<String, ImageGenError> {
        if let error = failure(outcome, step: step, fix: fix) { return .failure(error) }
        guard case .success(let response) = outcome else { return .failure(.internal("no answer")) }
        return .success(String(decoding: response.body, as: UTF8.self).trimmingASCIIWhitespace())
    }

    /// The JSON the container endpoint and IMDS answer with.
    static func jsonCredentials(
        _ outcome: TransferOutcome, step: String, fix: String
    ) -> Result<TemporaryCredentials, ImageGenError> {
        if let error = failure(outcome, step: step, fix: fix) { return .failure(error) }
        guard case .success(let response) = outcome, let json = try? JSON.parse(response.body),
            let id = json["AccessKeyId"]?.stringValue, let secret = json["SecretAccessKey"]?.stringValue
        else {
            return .failure(.badResponse(provider: .bedrock, message: "\(step) answered without AccessKeyId"))
        }
        return .success(
            TemporaryCredentials(
                credentials: AWSCredentials(
                    accessKeyID: id, secretAccessKey: secret, sessionToken: json["Token"]?.stringValue),
                expiration: json["Expiration"]?.stringValue.flatMap(ISO8601.unixSeconds)))
    }
}

/// STS's query-protocol answers: XML with the keys, or an `<Error>`.
enum STSAnswer {
    static func credentials(
        _ outcome: TransferOutcome, action: String, role: String
    ) -> Result<TemporaryCredentials, ImageGenError> {
        let step = "STS \(action) for \(role)"
        switch outcome {
        case .failure(let error):
            return .failure(
                AWSCredentialSource.failure(
                    .failure(error), step: step, fix: "check the network and AWS_ENDPOINT_URL_STS")
                    ?? error)
        case .success(let response) where response.status != 200:
            let text = String(decoding: response.body, as: UTF8.self)
            let code = element("Code", in: text)
            let message = element("Message", in: text) ?? ProviderErrorText.excerpt(response.body)
            var fix = "check that the role's trust policy allows these credentials to assume it"
            if code == "ExpiredTokenException" { fix = "the source credentials have expired; renew them" }
            return .failure(
                .rejected(
                    provider: .bedrock, status: response.status,
                    message: "\(step) was refused: \(message)\(code.map { " (\($0))" } ?? ""); \(fix)", code: code))
        case .success(let response):
            let text = String(decoding: response.body, as: UTF8.self)
            guard let id = element("AccessKeyId", in: text), let secret = element("SecretAccessKey", in: text)
            else {
                return .failure(.badResponse(provider: .bedrock, message: "\(step) answered without AccessKeyId"))
            }
            return .success(
                TemporaryCredentials(
                    credentials: AWSCredentials(
                        accessKeyID: id, secretAccessKey: secret, sessionToken: element("SessionToken", in: text)),
                    expiration: element("Expiration", in: text).flatMap(ISO8601.unixSeconds)))
        }
    }

    /// The text of the first `<name>…</name>`, entities decoded; enough for
    /// STS's flat answers.
    static func element(_ name: String, in text: String) -> String? {
        guard let open = text.firstRange(of: "<\(name)>"),
            let close = text[open.upperBound...].firstRange(of: "</\(name)>")
        else { return nil }
        return String(text[open.upperBound..<close.lowerBound])
            .replacing("&lt;", with: "<").replacing("&gt;", with: ">").replacing("&quot;", with: "\"")
            .replacing("&apos;", with: "'").replacing("&amp;", with: "&").trimmingASCIIWhitespace()
    }
}

/// `2026-11-29T21:32:55Z` (fraction and `+00:00` allowed) → Unix seconds.
package enum ISO8601 {
    package static func unixSeconds(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for byte in bytes[from..<(from + count)] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month)
        else { return nil }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146097 + dayOfEra - 719468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second)
    }
}
