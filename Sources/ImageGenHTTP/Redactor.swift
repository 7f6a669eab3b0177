import ImageGenCore
import Synchronization

/// The one place secrets are hidden. Every printer (`-v`, `--dry-run`, error
/// messages, echoed provider errors) passes its text through `redact`: the
/// known secrets, and the password of any `scheme://user:password@host` URL
/// (`--api-base` may carry one), are masked.
package struct Redactor: Sendable {
    package static let mask = "[REDACTED]"
    /// Headers whose whole value is a credential.
    static let secretHeaders: Set<String> = [
        "authorization", "api-key", "x-api-key", "x-amz-security-token", "proxy-authorization",
        "x-amz-sso_bearer_token", "x-aws-ec2-metadata-token",
        // Black Forest Labs' key header.
        "x-key",
    ]

    /// A credential header libcurl would still send after a redirect to
    /// another host (it drops only Authorization and Cookie).
    static func isCredentialKeptOnRedirect(_ name: String) -> Bool {
        let lower = name.lowercased()
        return secretHeaders.contains(lower) && lower != "authorization" && lower != "proxy-authorization"
    }

    private var secrets: [String]
    /// Secrets learnt while requests are under way (temporary AWS
    /// credentials, fetched and refreshed by the run): shared by every copy
    /// of this redactor, so printers made earlier mask them too.
    private let learnt = LearntSecrets()

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
        "BFL_API_KEY", "BLACK_FOREST_LABS_API_KEY", "RECRAFT_API_KEY", "OPENROUTER_API_KEY", "XINFERENCE_API_KEY",
        "NSCALE_API_KEY",
    ]

    package init(environment: Environment) {
        self.init(secrets: Redactor.secretVariables.compactMap { environment[$0] })
    }

    package mutating func add(_ secret: String?) {
        guard let secret, secret.count >= 4, !secrets.contains(secret) else { return }
        secrets.append(secret)
        secrets.sort { $0.count > $1.count }
    }

    /// Adds a secret for this redactor and every copy of it.
    package func learn(_ secret: String?) {
        guard let secret, secret.count >= 4 else { return }
        learnt.secrets.withLock {
            if !$0.contains(secret) {
                $0.append(secret)
                $0.sort { $0.count > $1.count }
            }
        }
    }

    package func redact(_ text: String) -> String {
        var result = Redactor.maskingURLPasswords(in: text)
        let all = secrets + learnt.secrets.withLock { $0 }
        for secret in all.sorted(by: { $0.count > $1.count }) where result.contains(secret) {
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

    /// Query parameters of signed URLs (S3 and other SigV4 presigning, Azure
    /// SAS, CDN tokens) whose values grant access to the object.
    static let signatureParameters: Set<String> = [
        "sig", "signature", "x-amz-signature", "x-amz-security-token", "x-amz-credential", "token",
    ]
    /// Azure SAS fields that, next to its `sig`, describe what the grant allows.
    static let sasParameters: Set<String> = ["se", "sp", "sv"]

    /// A URL as `-v` shows it: `redact`ed, and the values of signature-like
    /// query parameters masked too, names kept. Not for `--no-download`'s
    /// output, which must stay usable.
    package func redact(signedURL url: String) -> String {
        let url = redact(url)
        guard let question = url.firstIndex(of: "?") else { return url }
        let queryStart = url.index(after: question)
        let queryEnd = url[queryStart...].firstIndex(of: "#") ?? url.endIndex
        let pairs = url[queryStart..<queryEnd].split(separator: "&", omittingEmptySubsequences: false).map {
            pair -> (name: Substring, value: Substring?) in
            guard let equals = pair.firstIndex(of: "=") else { return (pair, nil) }
            return (pair[..<equals], pair[pair.index(after: equals)...])
        }
        let isSAS = pairs.contains { $0.name.lowercased() == "sig" }
        let shown = pairs.map { pair -> String in
            guard let value = pair.value else { return String(pair.name) }
            let name = pair.name.lowercased()
            let hidden =
                Redactor.signatureParameters.contains(name) || (isSAS && Redactor.sasParameters.contains(name))
            return "\(pair.name)=\(hidden && !value.isEmpty ? Redactor.mask : String(value))"
        }
        return String(url[..<queryStart]) + shown.joined(separator: "&") + url[queryEnd...]
    }

    /// `text` with the password of every `scheme://user:password@host` masked.
    /// The authority ends at `/`, `?`, `#`, or where a URL in prose or JSON
    /// would end; a password may hold a raw `@`, so the last one counts.
    static func maskingURLPasswords(in text: String) -> String {
        guard text.contains("://") && text.contains("@") else { return text }
        var result = ""
        var rest = Substring(text)
        while let separator = rest.firstRange(of: "://") {
            result += rest[..<separator.upperBound]
            rest = rest[separator.upperBound...]
            let end = rest.firstIndex(where: { "/?#\"'<>`".contains($0) || $0.isWhitespace }) ?? rest.endIndex
            let authority = rest[..<end]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                result += authority[...colon] + Redactor.mask
                rest = rest[at...]
            }
        }
        return result + rest
    }
}

private final class LearntSecrets: Sendable {
    let secrets = Mutex<[String]>([])
}
