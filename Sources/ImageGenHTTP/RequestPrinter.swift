import ImageGenCore

/// Requests as `--dry-run` and `-v` show them: method and URL, headers, body.
package enum RequestPrinter {
    package static func render(_ request: HTTPRequest, redactor: Redactor, bodyLimit: Int? = nil) -> String {
        var text = "> \(request.method) \(redactor.redact(request.url))\n"
        for header in request.headers {
            let shown = redactor.redact(header: header)
            text += "> \(shown.name): \(shown.value)\n"
        }
        text += ">\n"
        if let parts = request.parts {
            // A file's bytes would flood the terminal and say nothing; its
            // name, type, size and digest identify it.
            for part in parts { text += "[part] " + redactor.redact(part.summary) + "\n" }
        } else if !request.body.isEmpty {
            var body = redactor.redact(eliding(request.body))
            if let bodyLimit, body.count > bodyLimit {
                body = String(body.prefix(bodyLimit)) + "… (\(request.body.count) bytes)"
            }
            text += body + "\n"
        }
        return text
    }

    /// A JSON body with its base64 images (Bedrock's Image Services) shown
    /// as their decoded size, as a form's file parts are: megabytes of
    /// base64 would flood the terminal and say nothing. Other bodies as they are.
    static func eliding(_ body: [UInt8]) -> String {
        let text = String(decoding: body, as: UTF8.self)
        guard body.count >= minimumBase64, case .object(let members)? = try? JSON.parse(body) else { return text }
        var elided = false
        let shown = members.map { key, value -> (String, JSON) in
            guard let string = value.stringValue, string.utf8.count >= minimumBase64, isBase64(string) else {
                return (key, value)
            }
            elided = true
            let padding = string.utf8.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            return (key, .string("<base64, \(string.utf8.count / 4 * 3 - padding) bytes>"))
        }
        return elided ? JSON.object(shown).text : text
    }

    /// Strings shorter than this are shown whatever they hold.
    static let minimumBase64 = 256

    private static func isBase64(_ text: String) -> Bool {
        text.utf8.count % 4 == 0
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                    return true
                default:
                    return false
                }
            }
    }
}
