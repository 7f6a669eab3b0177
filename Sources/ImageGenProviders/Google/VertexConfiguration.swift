import ImageGenCore
import ImageGenHTTP

/// Project, location, endpoint and credentials for Vertex AI, resolved as
/// LiteLLM names them (`vertex_project`, `vertex_location`,
/// `vertex_credentials`) with Google's Application Default Credentials
/// behind them: a flag, then the environment, then the gcloud file, then
/// the metadata server.
package struct VertexConfiguration: Equatable, Sendable {
    /// LiteLLM's default location.
    package static let defaultLocation = "us-central1"

    package var project: String
    package var location: String
    /// `https://{location}-aiplatform.googleapis.com/v1` unless `--api-base`.
    package var apiBase: String
    package var tokens: GoogleTokenProvider

    package init(project: String, location: String, apiBase: String, tokens: GoogleTokenProvider) {
        self.project = project
        self.location = location
        self.apiBase = apiBase
        self.tokens = tokens
    }

    /// `global` has no regional host
    /// (https://cloud.google.com/vertex-ai/generative-ai/docs/learn/locations, checked 2026-11-29).
    package static func defaultBase(location: String) -> String {
        location == "global"
            ? "https://aiplatform.googleapis.com/v1" : "https://\(location)-aiplatform.googleapis.com/v1"
    }

    package var secrets: [String] { tokens.source.secrets }

    package static func resolve(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> VertexConfiguration {
        if options.apiKey != nil || options.apiKeyFile != nil {
            throw .usage(
                "Vertex AI authenticates with Google credentials, not --api-key; pass --vertex-credentials FILE, "
                    + "or use the key with Google AI Studio: -m gemini/MODEL")
        }
        let (tokens, fileProject) = try credentials(options, environment: environment)
        guard
            let project = environment.resolve(
                flag: options.vertexProject, flagName: "--vertex-project",
                variables: ["VERTEXAI_PROJECT", "GOOGLE_CLOUD_PROJECT"])
                ?? fileProject.map({ Sourced(value: $0, source: tokens.link) })
        else {
            throw .configuration(
                "no Google Cloud project for Vertex AI; pass --vertex-project PROJECT or export VERTEXAI_PROJECT")
        }
        let location = environment.resolve(
            flag: options.vertexLocation, flagName: "--vertex-location", variables: ["VERTEXAI_LOCATION"],
            default: defaultLocation)!
        try checkName(project, what: "a Google Cloud project id (like my-project-123)", dots: true)
        try checkName(location, what: "a Vertex AI location (like us-central1 or global)", dots: false)
        let base = Sourced(
            value: options.apiBase ?? defaultBase(location: location.value),
            source: options.apiBase == nil ? "default" : "--api-base")
        guard HTTPURL.isHTTP(base.value) else {
            throw base.invalid("\(base.source) must be an http:// or https:// URL, got '\(base.value)'")
        }
        return VertexConfiguration(
            project: project.value, location: location.value, apiBase: base.value, tokens: tokens)
    }

    /// Ids go into the URL path: lowercase letters, digits, dashes (and the
    /// `domain:` and `.` of old domain-scoped projects).
    static func checkName(_ value: Sourced<String>, what: String, dots: Bool) throws(ImageGenError) {
        let allowed = value.value.utf8.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
                || (dots && ($0 == 0x2E || $0 == 0x3A))
        }
        guard allowed, !value.value.isEmpty, value.value.count <= 100 else {
            throw value.invalid("\(value.source) gives '\(value.value)', which is not \(what)")
        }
    }

    /// The token source and the project its file names, if any.
    static func credentials(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> (GoogleTokenProvider, String?) {
        if let given = environment.resolve(
            flag: options.vertexCredentials, flagName: "--vertex-credentials",
            variables: ["VERTEXAI_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS"])
        {
            // LiteLLM takes the JSON itself as well as a path to it.
            let isJSON = given.value.first == "{"
            let text = isJSON ? given.value : try read(given.value, source: given.source)
            let label = isJSON ? "the JSON in \(given.source)" : given.value
            let (source, project) = try GoogleCredentialFile.parse(text, file: label, invalid: given.invalid)
            return (GoogleTokenProvider(source: source, link: given.source), project)
        }
        if let file = GoogleCredentialFile.wellKnownPath(environment), FileSystem.exists(file) {
            let (source, project) = try GoogleCredentialFile.parse(
                try read(file, source: file), file: file, invalid: ImageGenError.configuration)
            return (GoogleTokenProvider(source: source, link: "the gcloud credentials file"), project)
        }
        let host = environment["GCE_METADATA_HOST"] ?? "metadata.google.internal"
        try checkName(Sourced(value: host.lowercased(), source: "GCE_METADATA_HOST"), what: "a host name", dots: true)
        let hint =
            "no Google credentials for Vertex AI; looked at --vertex-credentials, VERTEXAI_CREDENTIALS, "
            + "GOOGLE_APPLICATION_CREDENTIALS, the gcloud credentials file and the metadata server; pass "
            + "--vertex-credentials FILE (a service-account key) or run 'gcloud auth application-default login'"
        return (
            GoogleTokenProvider(source: .metadata(host: host), link: "metadata server", unconfiguredHint: hint), nil
        )
    }

    static func read(_ path: String, source: String) throws(ImageGenError) -> String {
        switch FileSystem.readFile(path) {
        case .success(let bytes):
            guard bytes.count <= 1 << 20 else {
                throw .configuration("\(path) (from \(source)) is over 1 MiB; it is not a Google credentials file")
            }
            return String(decoding: bytes, as: UTF8.self)
        case .failure(let failure):
            throw .configuration("cannot read the Google credentials file \(path) (from \(source)): \(failure.message)")
        }
    }
}

/// The JSON files Application Default Credentials read.
enum GoogleCredentialFile {
    /// Where `gcloud auth application-default login` writes.
    static func wellKnownPath(_ environment: Environment) -> String? {
        if let config = environment["CLOUDSDK_CONFIG"] {
            return HTTPURL.join(config, "application_default_credentials.json")
        }
        return environment["HOME"].map { HTTPURL.join($0, ".config/gcloud/application_default_credentials.json") }
    }

    static func parse(
        _ text: String, file: String, invalid: (String) -> ImageGenError
    ) throws(ImageGenError) -> (GoogleCredentialSource, String?) {
        guard let json = try? JSON.parse(Array(text.utf8)), case .object = json else {
            throw invalid("\(file) is not a JSON object; it should be a Google credentials file")
        }
        func field(_ name: String) throws(ImageGenError) -> String {
            guard let value = json[name]?.stringValue, !value.isEmpty else {
                throw invalid("\(file) has no \"\(name)\"")
            }
            return value
        }
        let tokenURI = json["token_uri"]?.stringValue ?? GoogleCredentialSource.defaultTokenURI
        guard HTTPURL.isHTTP(tokenURI), !tokenURI.unicodeScalars.contains(where: HTTPURL.isUnsafe) else {
            throw invalid("the token_uri of \(file) is not an http(s) URL")
        }
        switch json["type"]?.stringValue {
        case "service_account":
            let email = try field("client_email")
            try HeaderValue.check(email, source: "client_email of \(file)")
            return (
                .serviceAccount(
                    email: email, privateKey: try field("private_key"), keyID: json["private_key_id"]?.stringValue,
                    tokenURI: tokenURI, file: file), json["project_id"]?.stringValue
            )
        case "authorized_user":
            return (
                .authorizedUser(
                    clientID: try field("client_id"), clientSecret: try field("client_secret"),
                    refreshToken: try field("refresh_token"), tokenURI: tokenURI, file: file),
                json["quota_project_id"]?.stringValue
            )
        case let other:
            throw invalid(
                "\(file) is of type '\(GoogleAnswer.clean(other ?? "none"))'; imagegen reads service_account and "
                    + "authorized_user files (a service-account key, or gcloud auth application-default login)")
        }
    }
}
