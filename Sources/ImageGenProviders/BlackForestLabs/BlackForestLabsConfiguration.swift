import ImageGenCore
import ImageGenHTTP

/// Where and how to reach Black Forest Labs' API. LiteLLM reads only the
/// key; imagegen honours `--api-base` / `BFL_API_BASE` too (a regional
/// endpoint, a proxy, a test server).
package struct BlackForestLabsConfiguration: Equatable, Sendable {
    /// https://docs.bfl.ai/api_integration/integration_guidelines, checked 2026-11-29:
    /// the global endpoint; api.eu.bfl.ai and api.us.bfl.ai are the regional ones.
    package static let defaultBase = "https://api.bfl.ai"
    /// BFL's own polling example waits half a second between polls (same page).
    package static let pollInterval = 0.5

    package var endpoint: HostedEndpoint
    /// Seconds a task may take from its first pending answer (`--timeout`).
    package var taskLimit: Double

    package init(endpoint: HostedEndpoint, taskLimit: Double = 600) {
        self.endpoint = endpoint
        self.taskLimit = taskLimit
    }

    package static func resolve(
        _ options: ConnectionOptions, environment: Environment
    ) throws(ImageGenError) -> BlackForestLabsConfiguration {
        let endpoint = try HostedEndpoint.resolve(
            options, environment: environment, provider: .blackForestLabs, name: "Black Forest Labs",
            keyVariables: ["BFL_API_KEY", "BLACK_FOREST_LABS_API_KEY"], baseVariables: ["BFL_API_BASE"],
            defaultBase: defaultBase)
        return BlackForestLabsConfiguration(endpoint: endpoint, taskLimit: options.timeout ?? 600)
    }

    /// `POST {base}/v1/{model}`; a base that already ends in `/v1` is not doubled.
    package func submitURL(model: String) -> String {
        var base = Substring(endpoint.apiBase)
        while base.hasSuffix("/") { base = base.dropLast() }
        let root = base.hasSuffix("/v1") ? String(base) : base + "/v1"
        return root + "/" + HTTPURL.percentEncode(model, keeping: ".")
    }

    /// Whether a polling URL may carry the key: one on the submit host
    /// itself (same scheme, host and port: the user chose it), or an https
    /// URL on BFL's API domains (api.bfl.ai and its regional `api.*.bfl.ai`
    /// hosts, which answer polls for the global endpoint). Anything else, a
    /// hostile or broken answer's URL included, is polled without it.
    package func sendsKey(to url: String) -> Bool {
        if HTTPURL.origin(of: url).lowercased() == HTTPURL.origin(of: endpoint.apiBase).lowercased() { return true }
        guard url.lowercased().hasPrefix("https://") else { return false }
        return Self.isBFLAPIHost(HTTPURL.host(of: url))
    }

    /// `api.bfl.ai`, or `api.LABEL.bfl.ai` with one label (eu, us, eu1, us1…).
    /// https://docs.bfl.ai/api_integration/integration_guidelines, checked 2026-11-29.
    static func isBFLAPIHost(_ host: String) -> Bool {
        if host == "api.bfl.ai" { return true }
        guard host.hasPrefix("api."), host.hasSuffix(".bfl.ai") else { return false }
        let label = host.dropFirst("api.".count).dropLast(".bfl.ai".count)
        return !label.isEmpty
            && label.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
    }
}
