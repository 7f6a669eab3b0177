/// The few URL operations the tool needs; full parsing is libcurl's job.
package enum HTTPURL {
    /// `scheme://host[:port]` of a URL, for messages that must not echo query
    /// strings (signed URLs carry credentials there) or a `user:password@`.
    /// The last `@` ends the userinfo: a password may hold a raw one.
    package static func origin(of url: String) -> String {
        guard let authority = authority(of: url) else { return url }
        let host = url[authority].lastIndex(of: "@").map { url[url.index(after: $0)..<authority.upperBound] }
        return String(url[..<authority.lowerBound] + (host ?? url[authority]))
    }

    /// What follows `scheme://authority`: the path, query and fragment.
    package static func target(of url: String) -> Substring {
        guard let authority = authority(of: url) else { return Substring(url) }
        return url[authority.upperBound...]
    }

    /// Where `[user[:password]@]host[:port]` stands in `url`, nil without `://`.
    static func authority(of url: String) -> Range<String.Index>? {
        guard let start = url.firstRange(of: "://")?.upperBound else { return nil }
        let end = url[start...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? url.endIndex
        return start..<end
    }

    /// Whether a base URL uses a scheme the tool can talk to, and holds no
    /// space or control character (which would break the request line).
    package static func isHTTP(_ url: String) -> Bool {
        guard !url.unicodeScalars.contains(where: isUnsafe) else { return false }
        let lower = url.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            return lower.count > scheme.count
        }
        return false
    }

    /// The host of a URL, lower case, without port or userinfo.
    package static func host(of url: String) -> String {
        var authority = Substring(origin(of: url))
        if let schemeEnd = authority.firstRange(of: "://") { authority = authority[schemeEnd.upperBound...] }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            authority = authority[..<colon]
        }
        return authority.lowercased()
    }

    /// A space or a control character (C0, DEL, C1): never part of a URL
    /// as sent, and dangerous when one is printed or put on the wire.
    package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value <= 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Joins a base and a path with exactly one `/` between them.
    package static func join(_ base: String, _ path: String) -> String {
        var trimmed = Substring(base)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return path.hasPrefix("/") ? trimmed + path : trimmed + "/" + path
    }

    /// RFC 3986 encoding: unreserved characters (and `extra`) stay, every other
    /// byte becomes `%XX` with upper-case hex. One path segment or query value.
    package static func percentEncode(_ text: String, keeping extra: String = "") -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let kept = Set(extra.utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            let unreserved =
                (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if unreserved || kept.contains(byte) {
                out.append(byte)
            } else {
                out += [0x25, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
