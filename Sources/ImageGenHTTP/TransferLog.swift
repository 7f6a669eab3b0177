import ImageGenCore

/// `-v`: a summary of every request and answer on standard error, secrets
/// redacted, signed URLs' signatures too. The scheduler writes here; nothing
/// is written without `-v`. Header values and messages come from servers,
/// so everything is stripped of terminal controls before it is written.
package struct TransferLog: Sendable {
    package var redactor: Redactor
    package var write: @Sendable (String) -> Void

    package init(redactor: Redactor, write: @escaping @Sendable (String) -> Void) {
        self.redactor = redactor
        self.write = write
    }

    func sending(_ request: HTTPRequest) {
        var shown = request
        shown.url = redactor.redact(signedURL: request.url)
        if let masked = TransferLog.maskingFormTokens(request) { shown.body = masked }
        emit(RequestPrinter.render(shown, redactor: redactor, bodyLimit: 2_000))
    }

    /// A form body (STS's query protocol) carries a web identity token as a
    /// field, an OAuth token request a signed assertion, a client secret or a
    /// refresh token (percent-encoded, so the redactor would not recognise
    /// them); their values are masked whatever the redactor knows. Nil for
    /// any other body, which is printed as it is (a multipart one, summarised).
    static let oauthSecrets: Set<String> = ["assertion", "client_secret", "refresh_token"]

    static func maskingFormTokens(_ request: HTTPRequest) -> [UInt8]? {
        guard request.header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
        else { return nil }
        let fields = String(decoding: request.body, as: UTF8.self).split(separator: "&").map { field in
            guard let equals = field.firstIndex(of: "="),
                field[..<equals].hasSuffix("Token") || oauthSecrets.contains(String(field[..<equals]))
            else {
                return String(field)
            }
            return field[...equals] + Redactor.mask
        }
        return Array(fields.joined(separator: "&").utf8)
    }

    func received(_ response: HTTPResponse, seconds: Double) {
        let type = response.header("content-type").map { ", \(redactor.redact($0))" } ?? ""
        emit("< HTTP \(response.status) (\(response.body.count) bytes\(type), \(Seconds.text(seconds)) s)\n")
    }

    package func note(_ line: String) {
        emit("imagegen: " + redactor.redact(line) + "\n")
    }

    private func emit(_ text: String) {
        write(TerminalText.sanitized(text))
    }
}

/// Durations as messages show them.
package enum Seconds {
    /// `1.05` (two decimals).
    package static func text(_ seconds: Double) -> String {
        let hundredths = Int((max(0, seconds) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// `600` for whole seconds, `0.5` otherwise, as the user typed it.
    package static func asTyped(_ value: Double) -> String {
        value == value.rounded() && value < 1e15 ? String(Int(value)) : String(value)
    }
}
