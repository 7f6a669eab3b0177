import ImageGenCore
import ImageGenHTTP

/// Where and how to reach an Azure OpenAI resource, resolved from flags, then
/// the environment, then defaults (SPEC §2 connection table).
package struct AzureConfiguration: Equatable, Sendable {
    /// The newest dated `api-version` that serves both dall-e-3 and
    /// gpt-image-1 deployments. The newest GA version (2024-10-21) serves
    /// dall-e-3 only; gpt-image-1 arrived with 2025-04-01-preview, the version
    /// Microsoft's image-generation guide uses for both models.
    package static let defaultAPIVersion = "2025-04-01-preview"
    /// `api-version` values that select Azure's version-less v1 API
    /// (`/openai/v1/images/generations`, deployment in the body's `model`).
    static let v1Versions: Set<String> = ["preview", "latest", "v1"]

    package enum Credential: Equatable, Sendable {
        /// Sent as `api-key: KEY`.
        case apiKey(String)
        /// A Microsoft Entra ID token, sent as `Authorization: Bearer TOKEN`.
        case adToken(String)

        var secret: String {
            switch self {
            case .apiKey(let value), .adToken(let value): return value
            }
        }
    }

    package var credential: Credential
    /// Where the credential came from (`--api-key`, `AZURE_API_KEY`, …), for messages.
    package var credentialSource: String
    package var apiBase: String
    package var apiVersion: String

    package init(
        credential: Credential, credentialSource: String = "--api-key", apiBase: String,
        apiVersion: String = AzureConfiguration.defaultAPIVersion
    ) {
        self.credential = credential
        self.credentialSource = credentialSource
        self.apiBase = apiBase
        self.apiVersion = apiVersion
    }

    var usesV1API: Bool { AzureConfiguration.v1Versions.contains(apiVersion) }

    /// Every missing setting is named in one message, so one run tells the
    /// user all there is to fix.
    package static func resolve(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> AzureConfiguration {
        let base = environment.resolve(
            flag: options.apiBase, flagName: "--api-base",
            variables: ["AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"])
        var credential: (Credential, String)?
        if let key = try APIKeySources.fromFlags(options) {
            credential = (.apiKey(key.value), key.source)
        } else if let key = try APIKeySources.fromVariables(
            ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY"], environment: environment)
        {
            credential = (.apiKey(key.value), key.source)
        } else if let token = try APIKeySources.fromVariables(["AZURE_AD_TOKEN"], environment: environment) {
            credential = (.adToken(token.value), token.source)
        } else if let key = try APIKeySources.fromConfiguration(.azure, environment: environment) {
            credential = (.apiKey(key.value), key.source)
        }

        var missing: [String] = []
        if base == nil {
            missing.append(
                "no Azure API base: pass --api-base https://RESOURCE.openai.azure.com "
                    + "or export AZURE_API_BASE (or AZURE_OPENAI_ENDPOINT)")
        }
        if credential == nil {
            missing.append(
                "no Azure credentials: pass --api-key KEY or export AZURE_API_KEY "
                    + "(or AZURE_OPENAI_API_KEY), or export AZURE_AD_TOKEN for a Microsoft Entra ID token, "
                    + "or store a key with imagegen keys set azure")
        }
        guard let base, let credential else {
            throw .configuration(missing.joined(separator: "; "))
        }
        try HeaderValue.check(credential.0.secret, source: credential.1)

        guard HTTPURL.isHTTP(base.value) else {
            throw base.invalid("\(base.source) must be an http:// or https:// URL, got '\(base.value)'")
        }
        // A pasted "Target URI" carries its own api-version; two sources of one
        // setting would silently disagree.
        guard !base.value.contains("?") else {
            throw base.invalid(
                "\(base.source) must not contain a query ('?…'); give the resource endpoint "
                    + "(https://RESOURCE.openai.azure.com) and the version with --api-version")
        }
        if options.apiVersion?.isEmpty == true {
            throw .usage("--api-version needs a version, e.g. \(defaultAPIVersion)")
        }
        let version = environment.resolve(
            flag: options.apiVersion, flagName: "--api-version",
            variables: ["AZURE_API_VERSION"], default: defaultAPIVersion)!
        return AzureConfiguration(
            credential: credential.0, credentialSource: credential.1,
            apiBase: base.value, apiVersion: version.value)
    }

    /// The generations endpoint for `deployment`. A base that already names a
    /// deployment (`…/openai/deployments/NAME`) is used as is, as LiteLLM does.
    package func generationsURL(deployment: String) -> String {
        imagesURL(deployment: deployment, operation: "generations")
    }

    /// The edits endpoint, beside the generations one: a base that ends in
    /// `/images/generations` names the deployment, and edits live next to it.
    package func editsURL(deployment: String) -> String {
        imagesURL(deployment: deployment, operation: "edits")
    }

    private func imagesURL(deployment: String, operation: String) -> String {
        var base = Substring(apiBase)
        while base.hasSuffix("/") { base = base.dropLast() }
        if usesV1API {
            // The v1 API lives under the resource, whatever path the base carries.
            let resource = AzureConfiguration.pathStart(of: base, marker: "/openai").map { base[..<$0] } ?? base
            let query = apiVersion == "v1" ? "" : "?api-version=" + HTTPURL.percentEncode(apiVersion)
            return resource + "/openai/v1/images/" + operation + query
        }
        let query = "?api-version=" + HTTPURL.percentEncode(apiVersion)
        if base.hasSuffix("/images/generations") {
            return base.dropLast("generations".count) + operation + query
        }
        if base.contains("/openai/deployments/") { return base + "/images/" + operation + query }
        return base + "/openai/deployments/" + HTTPURL.percentEncode(deployment) + "/images/" + operation + query
    }

    /// Where `marker` starts in the path of `url` (never inside the host).
    static func pathStart(of url: Substring, marker: String) -> String.Index? {
        let afterScheme = url.firstRange(of: "://")?.upperBound ?? url.startIndex
        guard let pathStart = url[afterScheme...].firstIndex(of: "/") else { return nil }
        return url[pathStart...].firstRange(of: marker)?.lowerBound
    }
}
