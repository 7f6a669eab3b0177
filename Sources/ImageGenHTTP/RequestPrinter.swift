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
            var body = redactor.redact(String(decoding: request.body, as: UTF8.self))
            if let bodyLimit, body.count > bodyLimit {
                body = String(body.prefix(bodyLimit)) + "… (\(request.body.count) bytes)"
            }
            text += body + "\n"
        }
        return text
    }
}
