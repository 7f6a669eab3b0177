import CryptoShim
import ImageGenCore
import ImageGenHTTP

/// Where Google Application Default Credentials get an access token
/// (https://cloud.google.com/docs/authentication/application-default-credentials,
/// checked 2026-11-29): a service-account key file, the `authorized_user`
/// file `gcloud auth application-default login` leaves, or the metadata
/// server of the machine the run is on.
package enum GoogleCredentialSource: Hashable, Sendable {
    /// An RS256 JWT signed with the key, exchanged at `tokenURI`
    /// (https://developers.google.com/identity/protocols/oauth2/service-account, checked 2026-11-29).
    case serviceAccount(email: String, privateKey: String, keyID: String?, tokenURI: String, file: String)
    /// The OAuth refresh-token grant with the gcloud client's id and secret.
    case authorizedUser(clientID: String, clientSecret: String, refreshToken: String, tokenURI: String, file: String)
    /// `GET http://{host}/computeMetadata/v1/instance/service-accounts/default/token`
    /// with `Metadata-Flavor: Google` (https://cloud.google.com/compute/docs/access/authenticate-workloads, checked 2026-11-29).
    case metadata(host: String)

    /// Google's token endpoint when a file names none.
    package static let defaultTokenURI = "https://oauth2.googleapis.com/token"
    package static let scope = "https://www.googleapis.com/auth/cloud-platform"
    /// A service-account assertion lives one hour, the most Google accepts.
    package static let assertionLifetime = 3600

    /// What `-v` and `--dry-run` say supplied the token (never a secret).
    package var summary: String {
        switch self {
        case .serviceAccount(let email, _, _, let uri, let file):
            return "service account \(email) from \(file), exchanged at \(uri)"
        case .authorizedUser(_, _, _, let uri, let file):
            return "user credentials from \(file), refreshed at \(uri)"
        case .metadata(let host):
            return "the metadata server at \(host)"
        }
    }

    /// Secrets the source holds, for the redactor.
    package var secrets: [String] {
        switch self {
        case .serviceAccount(_, let key, _, _, _): return [key]
        case .authorizedUser(_, let secret, let refresh, _, _): return [secret, refresh]
        case .metadata: return []
        }
    }

    /// The token request. `learn` is told the signed assertion, which is
    /// as good as a token for an hour.
    func request(now: Double, learn: (String) -> Void) throws(ImageGenError) -> HTTPRequest {
        let form = [HTTPHeader("Content-Type", "application/x-www-form-urlencoded")]
        switch self {
        case .serviceAccount(let email, let key, let keyID, let uri, let file):
            let assertion = try GoogleJWT.assertion(
                email: email, privateKey: key, keyID: keyID, audience: uri, issuedAt: Int(now), file: file)
            learn(assertion)
            let body = GoogleCredentialSource.form([
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("assertion", assertion),
            ])
            return HTTPRequest(method: "POST", url: uri, headers: form, body: Array(body.utf8))
        case .authorizedUser(let id, let secret, let refresh, let uri, _):
            let body = GoogleCredentialSource.form([
                ("grant_type", "refresh_token"), ("client_id", id), ("client_secret", secret),
                ("refresh_token", refresh),
            ])
            return HTTPRequest(method: "POST", url: uri, headers: form, body: Array(body.utf8))
        case .metadata(let host):
            // Three seconds an attempt, as Google's Python client gives the
            // metadata server: off Google Cloud nothing answers, and the
            // run's --timeout must not be spent waiting for it.
            return HTTPRequest(
                method: "GET", url: "http://\(host)/computeMetadata/v1/instance/service-accounts/default/token",
                headers: [HTTPHeader("Metadata-Flavor", "Google")], timeout: 3, maxRetries: 2)
        }
    }

    static func form(_ fields: [(String, String)]) -> String {
        fields.map { "\(HTTPURL.percentEncode($0.0))=\(HTTPURL.percentEncode($0.1))" }.joined(separator: "&")
    }

    /// The access token in a final answer (Unix expiry time from `expires_in`).
    func token(from outcome: TransferOutcome, now: Double) -> Result<GoogleAccessToken, ImageGenError> {
        let step = "the Google token request to " + summary
        let response: HTTPResponse
        switch outcome {
        case .failure(let error):
            switch error {
            case .network(let text), .timeout(let text), .tls(let text):
                return .failure(.network("cannot get a Google access token from \(summary): \(text)"))
            default:
                return .failure(error)
            }
        case .success(let answer):
            response = answer
        }
        let json = try? JSON.parse(response.body)
        guard (200..<300).contains(response.status) else {
            // OAuth errors: {"error": "invalid_grant", "error_description": "…"}.
            let code = (json?["error"]?.stringValue).map(GoogleAnswer.clean)
            let description = (json?["error_description"]?.stringValue ?? json?["error"]?["message"]?.stringValue)
                .map(GoogleAnswer.clean)
            let said = [code, description].compactMap { $0 }.joined(separator: ": ")
            let text =
                "\(step) was refused (HTTP \(response.status))"
                + (said.isEmpty ? ": " + ProviderErrorText.excerpt(response.body) : ": " + said)
                + "; check the credentials (gcloud auth application-default login, or a new service-account key)"
            return .failure(
                ImageGenError.failedAnswer(
                    provider: .vertexAI, status: response.status, message: text, code: code, attempts: 1,
                    quotaExhausted: false))
        }
        guard let token = json?["access_token"]?.stringValue, !token.isEmpty,
            !token.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value > 0x7E })
        else {
            return .failure(
                .badResponse(provider: .vertexAI, message: "\(step) answered without a usable access_token"))
        }
        if let type = json?["token_type"]?.stringValue, type.lowercased() != "bearer" {
            return .failure(
                .badResponse(
                    provider: .vertexAI, message: "\(step) answered with token_type '\(GoogleAnswer.clean(type))'"))
        }
        // A missing or absurd lifetime is taken as Google's usual hour.
        var lifetime = json?["expires_in"]?.intValue ?? 3600
        if lifetime <= 0 || lifetime > 86_400 { lifetime = 3600 }
        return .success(GoogleAccessToken(token: token, expiration: now + Double(lifetime)))
    }
}

/// A bearer token and when it stops working (Unix seconds).
package struct GoogleAccessToken: Equatable, Sendable {
    package var token: String
    package var expiration: Double
}

/// The service-account assertion: a JWT whose header names RS256 and the
/// key id, whose claims are `iss` (the account), `scope`, `aud` (the token
/// URI), `iat` and `exp` one hour later, signed with the account's key.
enum GoogleJWT {
    static func assertion(
        email: String, privateKey: String, keyID: String?, audience: String, issuedAt: Int, file: String
    ) throws(ImageGenError) -> String {
        var header: [(String, JSON)] = [("alg", .string("RS256")), ("typ", .string("JWT"))]
        if let keyID { header.append(("kid", .string(keyID))) }
        let claims: JSON = .object([
            ("iss", .string(email)), ("scope", .string(GoogleCredentialSource.scope)), ("aud", .string(audience)),
            ("iat", .int(issuedAt)), ("exp", .int(issuedAt + GoogleCredentialSource.assertionLifetime)),
        ])
        let signingInput = base64URL(Array(JSON.object(header).text.utf8)) + "." + base64URL(Array(claims.text.utf8))
        let signature: [UInt8]
        switch Crypto.rsaSHA256(privateKeyPEM: Array(privateKey.utf8), data: Array(signingInput.utf8)) {
        case .success(let bytes): signature = bytes
        case .failure(let problem):
            throw .configuration(
                "the private_key of \(file) \(problem.text); download a new JSON key for the service account")
        }
        return signingInput + "." + base64URL(signature)
    }

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Base64.encodedBytes(bytes)
        while text.last == UInt8(ascii: "=") { text.removeLast() }
        for index in text.indices {
            if text[index] == UInt8(ascii: "+") { text[index] = UInt8(ascii: "-") }
            if text[index] == UInt8(ascii: "/") { text[index] = UInt8(ascii: "_") }
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Crypto {
    /// Why a key could not sign, as the end of a sentence about it.
    enum SigningProblem: Error {
        case unreadable, notRSA, failed

        var text: String {
            switch self {
            case .unreadable: return "is not a PEM private key (or is encrypted)"
            case .notRSA: return "is not an RSA key"
            case .failed: return "could not sign"
            }
        }
    }

    /// The RSASSA-PKCS1-v1_5 SHA-256 signature of `data` (JWT's RS256).
    static func rsaSHA256(privateKeyPEM pem: [UInt8], data: [UInt8]) -> Result<[UInt8], SigningProblem> {
        var signature = [UInt8](repeating: 0, count: Int(IG_RSA_MAX_SIGNATURE))
        var written = 0
        let status = pem.withUnsafeBufferPointer { key in
            data.withUnsafeBufferPointer { input in
                signature.withUnsafeMutableBufferPointer { output in
                    ig_rsa_sha256_sign(
                        key.baseAddress, key.count, input.baseAddress, input.count, output.baseAddress, output.count,
                        &written)
                }
            }
        }
        switch status {
        case 0: return .success(Array(signature.prefix(written)))
        case -1: return .failure(.unreadable)
        case -2: return .failure(.notRSA)
        default: return .failure(.failed)
        }
    }
}
