import ImageGenCore
import ImageGenHTTP

/// What a shared-config profile says about its credentials, read as the AWS
/// SDKs read it: `role_arn` (with `web_identity_token_file`, `source_profile`
/// or `credential_source`) first, then `sso_session` / `sso_start_url`, then
/// static keys and `credential_process`. Also the container and instance metadata links, which
/// `credential_source` can name too.
enum AWSProfileCredentials {
    /// The SDKs make one up from the time; a fixed name lets a batch's lines share one fetch.
    static let defaultSessionName = "imagegen"

    /// The profile's credentials and the text naming where they came from.
    static func resolve(
        _ shared: AWSSharedConfig, profile name: String, named: String, environment: Environment
    ) throws(ImageGenError) -> (AWSCredentialSource, String) {
        guard shared.profile(name) != nil else {
            throw .configuration("AWS profile '\(name)' (from \(named)) is not in \(shared.describedPaths)")
        }
        let found = try source(shared, profile: name, environment: environment, visited: [])
        return (found, describe(shared, profile: name))
    }

    static func describe(_ shared: AWSSharedConfig, profile name: String) -> String {
        let inCredentialsFile =
            shared.credentialsText.flatMap {
                AWSSharedConfig.section(in: $0, isConfigFile: false, profile: name)
            } != nil
        let file = (inCredentialsFile ? shared.credentialsFile : shared.configFile) ?? "the shared files"
        return "profile '\(name)' in \(file)"
    }

    static func source(
        _ shared: AWSSharedConfig, profile name: String, environment: Environment, visited: [String]
    ) throws(ImageGenError) -> AWSCredentialSource {
        guard let keys = shared.profile(name) else {
            throw .configuration(
                "AWS profile '\(name)' (the source_profile of '\(visited.last ?? name)') is not in "
                    + shared.describedPaths)
        }
        guard !visited.contains(name) else {
            throw .configuration(
                "AWS profiles \((visited + [name]).map { "'\($0)'" }.joined(separator: " → ")) name each other "
                    + "as source_profile in a loop; end the chain with a profile that has keys")
        }
        func value(_ key: String) -> String? {
            guard let found = keys[key], !found.isEmpty else { return nil }
            return found
        }
        let staticKeys: AWSCredentials? = value("aws_access_key_id").flatMap { id in
            value("aws_secret_access_key").map {
                AWSCredentials(
                    accessKeyID: id, secretAccessKey: $0,
                    sessionToken: value("aws_session_token") ?? value("aws_security_token"))
            }
        }
        if let role = value("role_arn") {
            let session = value("role_session_name") ?? defaultSessionName
            if let tokenFile = value("web_identity_token_file") {
                return .webIdentity(
                    roleARN: role, sessionName: session,
                    tokenFile: AWSSharedConfig.expandTilde(tokenFile, home: environment["HOME"]))
            }
            if value("mfa_serial") != nil {
                throw .configuration(
                    "AWS profile '\(name)' assumes \(role) with an MFA code (mfa_serial), which imagegen cannot "
                        + "ask for; run eval \"$(aws configure export-credentials --profile \(name) --format env)\" "
                        + "and try again")
            }
            var duration: Int?
            if let text = value("duration_seconds") {
                guard let seconds = Int(text), (900...43200).contains(seconds) else {
                    throw .configuration(
                        "duration_seconds of AWS profile '\(name)' is '\(text)'; give seconds from 900 to 43200")
                }
                duration = seconds
            }
            let from: AWSCredentialSource
            if let sourceProfile = value("source_profile") {
                if sourceProfile == name {
                    guard let staticKeys else {
                        throw .configuration(
                            "AWS profile '\(name)' is its own source_profile but has no aws_access_key_id and "
                                + "aws_secret_access_key")
                    }
                    from = .fixed(staticKeys)
                } else {
                    from = try source(
                        shared, profile: sourceProfile, environment: environment, visited: visited + [name])
                }
            } else if let credentialSource = value("credential_source") {
                from = try namedSource(credentialSource, profile: name, environment: environment)
            } else {
                throw .configuration(
                    "AWS profile '\(name)' has role_arn but neither source_profile nor credential_source; "
                        + "add one of them to say which credentials assume the role")
            }
            return .assumeRole(
                roleARN: role, sessionName: session, externalID: value("external_id"), durationSeconds: duration,
                from: from)
        }
        if value("sso_session") != nil || value("sso_start_url") != nil {
            return try sso(shared, profile: name, keys: keys)
        }
        // The SDKs: keys in the credentials file, then credential_process, then keys in the config file.
        let keysInCredentialsFile =
            shared.credentialsText.flatMap {
                AWSSharedConfig.section(in: $0, isConfigFile: false, profile: name)?["aws_access_key_id"]
            } != nil
        if let staticKeys, keysInCredentialsFile { return .fixed(staticKeys) }
        if let command = value("credential_process") { return .process(command: command, profile: name) }
        if let staticKeys { return .fixed(staticKeys) }
        if value("web_identity_token_file") != nil {
            throw .configuration("AWS profile '\(name)' has web_identity_token_file but no role_arn; add the role")
        }
        throw .configuration(
            "AWS profile '\(name)' in \(shared.describedPaths) has no aws_access_key_id and "
                + "aws_secret_access_key; add both, or pass --aws-access-key-id and --aws-secret-access-key")
    }

    /// `credential_source`'s three values, as the SDKs spell them.
    static func namedSource(
        _ name: String, profile: String, environment: Environment
    ) throws(ImageGenError) -> AWSCredentialSource {
        switch name {
        case "Environment":
            guard let id = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] else {
                throw .configuration(
                    "AWS profile '\(profile)' takes its source credentials from the environment "
                        + "(credential_source = Environment), but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                        + "are not both set")
            }
            return .fixed(
                AWSCredentials(
                    accessKeyID: id, secretAccessKey: secret,
                    sessionToken: environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]))
        case "Ec2InstanceMetadata":
            guard let imds = instanceMetadata(environment) else {
                throw .configuration(
                    "AWS profile '\(profile)' has credential_source = Ec2InstanceMetadata but "
                        + "AWS_EC2_METADATA_DISABLED is true")
            }
            return imds
        case "EcsContainer":
            guard let container = try container(environment) else {
                throw .configuration(
                    "AWS profile '\(profile)' has credential_source = EcsContainer but neither "
                        + "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set")
            }
            return container
        default:
            throw .configuration(
                "credential_source of AWS profile '\(profile)' is '\(name)'; use Environment, "
                    + "Ec2InstanceMetadata or EcsContainer")
        }
    }

    /// `sso_session` (its `[sso-session NAME]` section gives the start URL and
    /// region) or the legacy `sso_start_url` and `sso_region` in the profile.
    static func sso(
        _ shared: AWSSharedConfig, profile name: String, keys: [String: String]
    ) throws(ImageGenError) -> AWSCredentialSource {
        guard let account = keys["sso_account_id"], let role = keys["sso_role_name"] else {
            throw .configuration(
                "AWS profile '\(name)' uses IAM Identity Center but lacks sso_account_id or sso_role_name; "
                    + "run 'aws configure sso --profile \(name)'")
        }
        if let session = keys["sso_session"] {
            guard let section = shared.ssoSession(session), let region = section["sso_region"] else {
                throw .configuration(
                    "AWS profile '\(name)' names sso_session '\(session)', but \(shared.configFile ?? "the config file") "
                        + "has no [sso-session \(session)] section with sso_region; run 'aws configure sso'")
            }
            return .sso(cacheKey: session, portalRegion: region, accountID: account, roleName: role, profile: name)
        }
        guard let startURL = keys["sso_start_url"], let region = keys["sso_region"] else {
            throw .configuration(
                "AWS profile '\(name)' has sso_start_url but no sso_region; run 'aws configure sso --profile \(name)'")
        }
        return .sso(cacheKey: startURL, portalRegion: region, accountID: account, roleName: role, profile: name)
    }

    /// The container link: ECS's relative URI on 169.254.170.2, or a full URI,
    /// which over plain http must stay on the host or the container agent's
    /// addresses (as the SDKs insist), since it carries a token.
    static func container(_ environment: Environment) throws(ImageGenError) -> AWSCredentialSource? {
        let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]
        let tokenFile = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"]
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            return .container(url: "http://169.254.170.2" + relative, token: token, tokenFile: tokenFile)
        }
        guard let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] else { return nil }
        guard HTTPURL.isHTTP(full) else {
            throw .configuration("AWS_CONTAINER_CREDENTIALS_FULL_URI must be an http:// or https:// URL, got '\(full)'")
        }
        let host = HTTPURL.host(of: full)
        let allowed = ["127.0.0.1", "localhost", "169.254.170.2", "169.254.170.23", "[::1]", "[fd00:ec2::23]", "::1"]
        if full.lowercased().hasPrefix("http://"), !allowed.contains(host), !host.hasPrefix("127.") {
            throw .configuration(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI names \(host) over plain http; only the loopback address "
                    + "and the container agent's (169.254.170.2, 169.254.170.23) may be, so use https")
        }
        return .container(url: full, token: token, tokenFile: tokenFile)
    }

    /// IMDS unless `AWS_EC2_METADATA_DISABLED=true`; `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it.
    static func instanceMetadata(_ environment: Environment) -> AWSCredentialSource? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        return .instanceMetadata(endpoint: environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? "http://169.254.169.254")
    }
}

extension AWSSharedConfig {
    /// The keys of `[sso-session NAME]` in the config file.
    func ssoSession(_ name: String) -> [String: String]? {
        guard let configText else { return nil }
        return AWSSharedConfig.section(in: INIDocument(configText)) {
            let words = $0.split(separator: " ", maxSplits: 1)
            return words.count == 2 && words[0] == "sso-session" && words[1].trimmingASCIIWhitespace() == name
        }
    }
}
