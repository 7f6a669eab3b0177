/// Every failure the tool can report. Each case carries the text the user sees;
/// `exitCode` maps it onto SPEC §2's table. Errors are turned into text and an
/// exit status in exactly one place: `Reporter`.
package enum ImageGenError: Error, Equatable, Sendable {
    /// Exit 2: unknown option, bad value, missing prompt, model limits.
    case usage(String)
    /// Exit 3: missing credentials, api base, region or version.
    case configuration(String)
    /// Exit 4: the provider refused the request (4xx other than 408/429).
    /// `code` is the provider's own error code, when it sent one.
    case rejected(provider: ProviderKind, status: Int, message: String, code: String? = nil)
    /// Exit 5: the provider stayed unavailable (408, 429, 5xx).
    case unavailable(provider: ProviderKind, status: Int, message: String, code: String? = nil)
    /// Exit 6: the request never got an HTTP answer.
    case network(String)
    /// Exit 6: the answer did not arrive within `--timeout`. Not retried.
    case timeout(String)
    /// Exit 6: the server's certificate is not trusted. Not retried: it will not change.
    case tls(String)
    /// Exit 7: the answer was not usable (not JSON, bad base64, not an image).
    case badResponse(provider: ProviderKind, message: String)
    /// Exit 7: an answer imagegen will not take, whoever sent it: larger
    /// than `--max-filesize`, or a redirect from https to plain http.
    case refusedAnswer(String)
    /// Exit 7: a streamed answer (server-sent events) that stopped before
    /// its final image: retried like a broken connection, since the next
    /// attempt may well complete.
    case brokenStream(String)
    /// Exit 7: an image could not be written.
    case write(String)
    /// Exit 7: a file given to `--inspect` cannot be read or is not an image.
    case badImageFile(String)
    /// Exit 1: a bug or an impossible state.
    case `internal`(String)

    package var exitCode: Int32 {
        switch self {
        case .usage: return 2
        case .configuration: return 3
        case .rejected: return 4
        case .unavailable: return 5
        case .network, .timeout, .tls: return 6
        case .badResponse, .refusedAnswer, .brokenStream, .write, .badImageFile: return 7
        case .internal: return 1
        }
    }

    /// The line printed after `imagegen: `.
    package var message: String {
        switch self {
        case .usage(let text), .configuration(let text), .network(let text), .timeout(let text),
            .tls(let text), .refusedAnswer(let text), .brokenStream(let text),
            .write(let text), .badImageFile(let text), .internal(let text):
            return text
        case .rejected(let provider, let status, let text, _):
            return "\(provider.rawValue) rejected the request (HTTP \(status)): \(text)"
        case .unavailable(let provider, let status, let text, _):
            return "\(provider.rawValue) is unavailable (HTTP \(status)): \(text)"
        case .badResponse(let provider, let text):
            return "bad response from \(provider.rawValue): \(text)"
        }
    }

    /// The `type` field of a failed item in `--json` output.
    package var kind: String {
        switch self {
        case .usage: return "usage"
        case .configuration: return "configuration"
        case .rejected: return "rejected"
        case .unavailable: return "unavailable"
        case .network: return "network"
        case .timeout: return "timeout"
        case .tls: return "tls"
        case .badResponse, .refusedAnswer, .brokenStream: return "bad_response"
        case .write: return "write"
        case .badImageFile: return "bad_image"
        case .internal: return "internal"
        }
    }

    package var httpStatus: Int? {
        switch self {
        case .rejected(_, let status, _, _), .unavailable(_, let status, _, _): return status
        default: return nil
        }
    }

    /// The provider that answered with this error, when one did.
    package var provider: ProviderKind? {
        switch self {
        case .rejected(let provider, _, _, _), .unavailable(let provider, _, _, _), .badResponse(let provider, _):
            return provider
        default:
            return nil
        }
    }

    /// The provider's own error code (`content_policy_violation`,
    /// `ValidationException`), when it sent one.
    package var providerCode: String? {
        switch self {
        case .rejected(_, _, _, let code), .unavailable(_, _, _, let code): return code
        default: return nil
        }
    }
}
