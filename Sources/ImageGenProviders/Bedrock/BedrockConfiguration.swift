import ImageGenCore
import ImageGenHTTP

/// How a Bedrock call authenticates: SigV4 with AWS credentials, or a Bedrock
/// API key sent as a bearer token.
package enum BedrockAuth: Equatable, Sendable {
    case sigV4(AWSCredentials)
    case bearer(String)
    /// Temporary credentials the run fetches (STS, SSO, container, IMDS).
    case temporary(AWSCredentialProvider)
}

/// Credentials, region and endpoint for Bedrock, resolved as the AWS CLI does
/// (SPEC §2): flags, then the environment, then the shared files.
package struct BedrockConfiguration: Equatable, Sendable {
    package static let defaultRegion = "us-east-1"

    package var auth: BedrockAuth
    /// Where the credentials came from (`--aws-access-key-id`, `AWS_ACCESS_KEY_ID`,
    /// `profile 'dev' in /home/u/.aws/credentials`), for hints in error messages.
    package var authSource: String
    package var region: String
    package var regionSource: String
    package var endpoint: String

    package init(auth: BedrockAuth, authSource: String, region: String, regionSource: String, endpoint: String) {
        self.auth = auth
        self.authSource = authSource
        self.region = region
        self.regionSource = regionSource
        self.endpoint = endpoint
    }

    /// `model` matters only when it is an ARN, whose region is where it can be called.
    package static func resolve(
        _ options: ConnectionOptions, model: String,
        environment: Environment
    ) throws(ImageGenError) -> BedrockConfiguration {
        try resolve(options, model: model, environment: environment, readFile: AWSSharedConfig.readTextFile)
    }

    static func resolve(
        _ options: ConnectionOptions, model: String, environment: Environment,
        readFile: (String) -> String?
    ) throws(ImageGenError) -> BedrockConfiguration {
        let shared = AWSSharedConfig.load(environment: environment, readFile: readFile)
        let profile = environment.resolve(
            flag: options.awsProfile, flagName: "--aws-profile",
            variables: ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"], default: "default")!
        let (region, regionSource) = try resolveRegion(
            options, model: model, environment: environment,
            shared: shared, profile: profile)
        let home = environment["HOME"]
        let context = AWSCredentialContext(
            region: region,
            stsEndpoint: environment["AWS_ENDPOINT_URL_STS"] ?? "https://sts.\(region).amazonaws.com",
            ssoCacheDirectory: home.map { HTTPURL.join($0, ".aws/sso/cache") },
            ssoEndpoint: environment["AWS_ENDPOINT_URL_SSO"])
        let (auth, authSource) = try resolveAuth(
            options, environment: environment, shared: shared, profile: profile, context: context)
        try checkHeaderValues(auth, source: authSource)
        let endpointDefault = "https://bedrock-runtime.\(region).amazonaws.com"
        let endpoint = environment.resolve(
            flag: options.apiBase, flagName: "--api-base",
            variables: ["AWS_BEDROCK_RUNTIME_ENDPOINT", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME"],
            default: endpointDefault)!
        guard HTTPURL.isHTTP(endpoint.value) else {
            throw endpoint.invalid("\(endpoint.source) must be an http:// or https:// URL, got '\(endpoint.value)'")
        }
        return BedrockConfiguration(
            auth: auth, authSource: authSource, region: region,
            regionSource: regionSource, endpoint: endpoint.value)
    }

    /// Flags; then an explicitly named profile (as `aws --profile`, which
    /// ignores credentials in the environment); then the SDKs' default chain:
    /// the environment's keys, web identity, the shared files for
    /// `AWS_PROFILE` or `default`, the container endpoint, instance metadata.
    static func resolveAuth(
        _ options: ConnectionOptions, environment: Environment, shared: AWSSharedConfig,
        profile: Sourced<String>, context: AWSCredentialContext
    ) throws(ImageGenError) -> (BedrockAuth, String) {
        func temporary(_ source: AWSCredentialSource, link: String) -> (BedrockAuth, String) {
            let provider = AWSCredentialProvider(source: source, context: context, link: link)
            return (.temporary(provider), provider.description)
        }
        func fromProfile() throws(ImageGenError) -> (BedrockAuth, String) {
            let (found, source) = try AWSProfileCredentials.resolve(
                shared, profile: profile.value, named: profile.source, environment: environment)
            switch found {
            case .fixed(let keys): return (.sigV4(keys), source)
            case let fetched: return temporary(fetched, link: source)
            }
        }
        switch (options.awsAccessKeyID, options.awsSecretAccessKey) {
        case (let id?, let secret?):
            return (
                .sigV4(
                    AWSCredentials(
                        accessKeyID: id, secretAccessKey: secret,
                        sessionToken: options.awsSessionToken)), "--aws-access-key-id"
            )
        case (_?, nil):
            throw .usage("--aws-access-key-id needs --aws-secret-access-key as well")
        case (nil, _?):
            throw .usage("--aws-secret-access-key needs --aws-access-key-id as well")
        case (nil, nil):
            if options.awsSessionToken != nil {
                throw .usage("--aws-session-token needs --aws-access-key-id and --aws-secret-access-key")
            }
        }
        if let key = try APIKeySources.fromFlags(options) { return (.bearer(key.value), key.source) }
        if profile.fromFlag { return try fromProfile() }
        if let token = try APIKeySources.fromVariables(["AWS_BEARER_TOKEN_BEDROCK"], environment: environment) {
            return (.bearer(token.value), token.source)
        }
        switch (environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"]) {
        case (let id?, let secret?):
            let token = environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"]
            return (
                .sigV4(AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)),
                "AWS_ACCESS_KEY_ID"
            )
        case (_?, nil):
            throw .configuration(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; export both, "
                    + "or unset AWS_ACCESS_KEY_ID to use the shared credentials file")
        case (nil, _?):
            throw .configuration(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; export both, "
                    + "or unset AWS_SECRET_ACCESS_KEY to use the shared credentials file")
        case (nil, nil):
            break
        }
        if let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"] {
            guard let role = environment["AWS_ROLE_ARN"] else {
                throw .configuration(
                    "AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not; export the role to assume, "
                        + "or unset AWS_WEB_IDENTITY_TOKEN_FILE")
            }
            let session = environment["AWS_ROLE_SESSION_NAME"] ?? AWSProfileCredentials.defaultSessionName
            return temporary(
                .webIdentity(roleARN: role, sessionName: session, tokenFile: tokenFile),
                link: "AWS_WEB_IDENTITY_TOKEN_FILE")
        }
        // AWS_PROFILE (the environment) beats imagegen's configuration, whose
        // own Bedrock key beats an `aws-profile` setting and the shared files' default.
        if profile.source == "AWS_PROFILE" || profile.source == "AWS_DEFAULT_PROFILE" { return try fromProfile() }
        if let key = try APIKeySources.fromConfiguration(.bedrock, environment: environment) {
            return (.bearer(key.value), key.source)
        }
        if profile.source != "default" || shared.profile(profile.value) != nil {
            return try fromProfile()
        }
        if let container = try AWSProfileCredentials.container(environment) {
            let variable =
                environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] != nil
                ? "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI" : "AWS_CONTAINER_CREDENTIALS_FULL_URI"
            return temporary(container, link: variable)
        }
        let unconfigured =
            "no AWS credentials for Bedrock; looked at --aws-access-key-id, "
            + "AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID, AWS_WEB_IDENTITY_TOKEN_FILE, profile 'default' in "
            + "\(shared.describedPaths), the container variables and instance metadata; "
            + "export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --aws-profile, run 'aws configure', "
            + "or store a Bedrock API key with imagegen keys set bedrock"
        guard let imds = AWSProfileCredentials.instanceMetadata(environment) else {
            throw .configuration(unconfigured)
        }
        let provider = AWSCredentialProvider(
            source: imds, context: context, link: "instance metadata", unconfiguredHint: unconfigured)
        return (.temporary(provider), provider.description)
    }

    /// Key material goes into headers (the key id, the token) or signs them;
    /// each part is named as the user would look for it.
    static func checkHeaderValues(_ auth: BedrockAuth, source: String) throws(ImageGenError) {
        switch auth {
        case .bearer(let token):
            try HeaderValue.check(token, source: source)
        case .temporary:
            return
        case .sigV4(let keys):
            let names: [String]
            switch source {
            case "--aws-access-key-id":
                names = ["--aws-access-key-id", "--aws-secret-access-key", "--aws-session-token"]
            case "AWS_ACCESS_KEY_ID":
                names = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]
            default:
                names = ["aws_access_key_id", "aws_secret_access_key", "aws_session_token"].map { "\($0) of \(source)" }
            }
            try HeaderValue.check(keys.accessKeyID, source: names[0])
            try HeaderValue.check(keys.secretAccessKey, source: names[1])
            if let token = keys.sessionToken { try HeaderValue.check(token, source: names[2]) }
        }
    }

    /// `--aws-region`, an ARN model's own region, the environment, the
    /// profile's `region`, then us-east-1 (SPEC §2; LiteLLM defaults to us-west-2).
    static func resolveRegion(
        _ options: ConnectionOptions, model: String, environment: Environment,
        shared: AWSSharedConfig, profile: Sourced<String>
    )
        throws(ImageGenError) -> (String, String)
    {
        var region: Sourced<String>
        if let flag = options.awsRegion {
            region = Sourced(value: flag, source: "--aws-region")
        } else if let fromARN = regionInARN(model) {
            region = Sourced(value: fromARN, source: "the model ARN")
        } else if let fromEnvironment = environment.first(["AWS_REGION_NAME", "AWS_REGION", "AWS_DEFAULT_REGION"]) {
            region = Sourced(value: fromEnvironment.value, source: fromEnvironment.name)
        } else if let fromSettings = environment.setting("aws-region") {
            region = fromSettings
        } else if let fromProfile = shared.profile(profile.value)?["region"], !fromProfile.isEmpty {
            region = Sourced(value: fromProfile, source: "profile '\(profile.value)'")
        } else {
            region = Sourced(value: defaultRegion, source: "default")
        }
        let allowed = region.value.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
        }
        guard allowed, !region.value.isEmpty else {
            throw region.invalid(
                "\(region.source) gives '\(region.value)', which is not an AWS region name (like us-east-1)")
        }
        return (region.value, region.source)
    }

    /// `arn:aws:bedrock:REGION:ACCOUNT:…` → REGION.
    static func regionInARN(_ model: String) -> String? {
        let parts = model.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[2] == "bedrock", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    /// What the redactor must hide.
    package var secrets: [String] {
        switch auth {
        case .bearer(let token):
            return [token]
        case .sigV4(let credentials):
            return [credentials.secretAccessKey, credentials.accessKeyID] + [credentials.sessionToken].compactMap { $0 }
        case .temporary:
            // Known once fetched; the run adds them to its redactor then.
            return []
        }
    }
}
