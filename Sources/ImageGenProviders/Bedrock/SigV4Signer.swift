import ImageGenCore
import ImageGenHTTP

/// A key pair, with the session token that temporary credentials carry.
package struct AWSCredentials: Hashable, Sendable {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4 for header-signed requests to non-S3 services, as
/// botocore's `SigV4Auth` computes it (the committed vectors prove it byte for
/// byte). Pure: the time is an argument, so a request can be re-signed on retry.
package struct SigV4Signer: Sendable {
    package var credentials: AWSCredentials
    package var region: String
    package var service: String

    /// Headers proxies and HTTP stacks may rewrite or drop; botocore never signs them.
    static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "x-amzn-trace-id",
    ]
    /// Headers the signer owns: earlier values are replaced, so re-signing is idempotent.
    static let ownedHeaders: Set<String> = ["authorization", "host", "x-amz-date", "x-amz-security-token"]

    package init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The intermediate texts, kept so tests can compare each against botocore's.
    package struct Signature: Equatable, Sendable {
        package var canonicalRequest: String
        package var stringToSign: String
        package var signature: String
        package var authorization: String
    }

    /// `request` with `Host`, `X-Amz-Date`, `X-Amz-Security-Token` (temporary
    /// credentials only) and `Authorization` set for Unix time `time`.
    /// The payload hash goes into the signature only: like botocore for every
    /// service but S3, no `x-amz-content-sha256` header is sent.
    package func sign(_ request: HTTPRequest, time: Int) -> HTTPRequest {
        var signed = request
        signed.headers.removeAll { SigV4Signer.ownedHeaders.contains($0.name.lowercased()) }
        signed.headers.append(HTTPHeader("Host", SigV4Signer.host(of: request.url)))
        signed.headers.append(HTTPHeader("X-Amz-Date", SigV4Signer.timestamp(time)))
        if let token = credentials.sessionToken {
            signed.headers.append(HTTPHeader("X-Amz-Security-Token", token))
        }
        signed.headers.append(HTTPHeader("Authorization", signature(of: signed).authorization))
        return signed
    }

    /// The signature of a request that already carries its `X-Amz-Date`.
    package func signature(of request: HTTPRequest) -> Signature {
        let timestamp = request.header("x-amz-date") ?? ""
        let day = String(timestamp.prefix(8))
        let headers = SigV4Signer.headersToSign(request)
        let signedHeaders = headers.map(\.name).joined(separator: ";")
        let canonicalRequest = [
            request.method.uppercased(),
            SigV4Signer.canonicalURI(SigV4Signer.path(of: request.url)),
            SigV4Signer.canonicalQuery(SigV4Signer.query(of: request.url)),
            headers.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            Crypto.hex(Crypto.sha256(request.body)),
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            "AWS4-HMAC-SHA256", timestamp, scope,
            Crypto.hex(Crypto.sha256(Array(canonicalRequest.utf8))),
        ].joined(separator: "\n")
        var key = Array("AWS4\(credentials.secretAccessKey)".utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Crypto.hmacSHA256(key: key, Array(part.utf8))
        }
        let signature = Crypto.hex(Crypto.hmacSHA256(key: key, Array(stringToSign.utf8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign,
            signature: signature, authorization: authorization)
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    package static func timestamp(_ time: Int) -> String {
        UTCTime(time).compact
    }

    /// Lowercased names in byte order; repeated headers joined with commas,
    /// values with runs of whitespace squeezed to one space (SigV4's Trimall).
    static func headersToSign(_ request: HTTPRequest) -> [HTTPHeader] {
        var values: [String: [String]] = [:]
        for header in request.headers {
            let name = header.name.lowercased()
            guard !unsignedHeaders.contains(name) else { continue }
            let words = header.value.split(whereSeparator: { " \t\r\n\u{0B}\u{0C}".contains($0) })
            values[name, default: []].append(words.joined(separator: " "))
        }
        if values["host"] == nil { values["host"] = [host(of: request.url)] }
        return values.keys.sorted(by: isBytewiseLess).map { HTTPHeader($0, values[$0]!.joined(separator: ",")) }
    }

    /// The path as sent, dot segments and empty segments removed, then every
    /// byte but unreserved ones and `/` percent-encoded once more: the non-S3
    /// rule, under which `%3A` on the wire is signed as `%253A`.
    static func canonicalURI(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = segments.popLast()
            } else {
                segments.append(segment)
            }
        }
        var normalized = path.hasPrefix("/") ? "/" : ""
        normalized += segments.joined(separator: "/")
        if path.hasSuffix("/") && !segments.isEmpty { normalized += "/" }
        return HTTPURL.percentEncode(normalized, keeping: "/")
    }

    /// Pairs sorted by key then value, each kept as it appears in the URL.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> (String, String) in
            guard let equals = pair.firstIndex(of: "=") else { return (String(pair), "") }
            return (String(pair[..<equals]), String(pair[pair.index(after: equals)...]))
        }
        return pairs.sorted { $0.0 == $1.0 ? isBytewiseLess($0.1, $1.1) : isBytewiseLess($0.0, $1.0) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// `host[:port]` as HTTP clients send it: lower case, default ports left out.
    static func host(of url: String) -> String {
        let origin = HTTPURL.origin(of: url)
        guard let schemeEnd = origin.firstRange(of: "://") else { return origin.lowercased() }
        let scheme = origin[..<schemeEnd.lowerBound].lowercased()
        var authority = origin[schemeEnd.upperBound...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = Substring(authority)
        var port: Substring?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        }
        let defaultPort: Substring = scheme == "https" ? "443" : scheme == "http" ? "80" : ""
        if let port, !port.isEmpty, port != defaultPort { return host.lowercased() + ":" + port }
        return host.lowercased()
    }

    static func path(of url: String) -> String {
        let target = HTTPURL.target(of: url)
        let end = target.firstIndex(where: { $0 == "?" || $0 == "#" }) ?? target.endIndex
        return String(target[..<end])
    }

    static func query(of url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return "" }
        let rest = url[url.index(after: question)...]
        return String(rest[..<(rest.firstIndex(of: "#") ?? rest.endIndex)])
    }

    static func isBytewiseLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
