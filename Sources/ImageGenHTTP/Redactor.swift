import ImageGenCore

/// The one place secrets are hidden. Every printer (`-v`, `--dry-run`, error
/// messages, echoed provider errors) passes its text through `redact`.
package struct Redactor: Sendable {
    package static let mask = "[REDACTED]"
    /// Headers whose whole value is a credential.
    static let secretHeaders: Set<String> = [
        "authorization", "api-key", "x-api-key", "x-amz-security-token", "proxy-authorization",
    ]

    private var secrets: [String]

    package init(secrets: [String] = []) {
        // Longest first, so a secret containing another is masked whole. Very
        // short values are skipped: masking every "a" would wreck the text.
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    /// Environment variables that hold credentials, masked from the first
    /// line the tool prints, even before the command line is parsed.
    package static let secretVariables = [
        "OPENAI_API_KEY", "AZURE_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_AD_TOKEN",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
    ]

    package init(environment: Environment) {
        self.init(secrets: Redactor.secretVariables.compactMap { environment[$0] })
    }

    package mutating func add(_ secret: String?) {
        guard let secret, secret.count >= 4, !secrets.contains(secret) else { return }
        secrets.append(secret)
        secrets.sort { $0.count > $1.count }
    }

    package func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Redactor.mask)
        }
        return result
    }

    package func redact(header: HTTPHeader) -> HTTPHeader {
        let lower = header.name.lowercased()
        guard Redactor.secretHeaders.contains(lower) else {
            return HTTPHeader(header.name, redact(header.value))
        }
        // Keep the scheme word so a reader can still tell Bearer from AWS4-HMAC-SHA256.
        if lower == "authorization" || lower == "proxy-authorization",
            let space = header.value.firstIndex(of: " ")
        {
            return HTTPHeader(header.name, String(header.value[..<space]) + " " + Redactor.mask)
        }
        return HTTPHeader(header.name, Redactor.mask)
    }
}
