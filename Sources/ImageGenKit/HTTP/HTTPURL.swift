/// The few URL operations the tool needs; full parsing is libcurl's job.
public enum HTTPURL {
    /// `scheme://host[:port]` of a URL, for messages that must not echo query
    /// strings (signed URLs carry credentials there).
    public static func origin(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://")?.upperBound else { return url }
        let rest = url[schemeEnd...]
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        return String(url[..<hostEnd])
    }

    /// Whether a base URL uses a scheme the tool can talk to.
    public static func isHTTP(_ url: String) -> Bool {
        let lower = url.lowercased()
        for scheme in ["http://", "https://"] where lower.hasPrefix(scheme) {
            return lower.count > scheme.count
        }
        return false
    }

    /// Joins a base and a path with exactly one `/` between them.
    public static func join(_ base: String, _ path: String) -> String {
        var trimmed = Substring(base)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return path.hasPrefix("/") ? trimmed + path : trimmed + "/" + path
    }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        // "\r\n" is one Character in Swift, so it is listed on its own.
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r\n" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
