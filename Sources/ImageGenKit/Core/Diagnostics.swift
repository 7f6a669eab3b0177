import Glibc

/// Human messages on standard error: `-v` summaries and notices. Everything
/// passes through the redactor first.
public struct Diagnostics: Sendable {
    public var verbose: Bool
    public var quiet: Bool
    public var redactor: Redactor

    public init(verbose: Bool = false, quiet: Bool = false, redactor: Redactor = Redactor()) {
        self.verbose = verbose
        self.quiet = quiet
        self.redactor = redactor
    }

    public func verbose(_ line: String) {
        guard verbose else { return }
        StandardStreams.writeError("imagegen: " + redactor.redact(line) + "\n")
    }

    public func notice(_ line: String) {
        guard !quiet else { return }
        StandardStreams.writeError("imagegen: " + redactor.redact(line) + "\n")
    }

    func request(_ request: HTTPRequest) {
        guard verbose else { return }
        StandardStreams.writeError(RequestPrinter.render(request, redactor: redactor, bodyLimit: 2_000))
    }

    func response(_ response: HTTPResponse, seconds: Double) {
        guard verbose else { return }
        let type = response.header("content-type").map { ", \($0)" } ?? ""
        StandardStreams.writeError("< HTTP \(response.status) (\(response.body.count) bytes\(type), "
            + "\(Diagnostics.format(seconds: seconds)) s)\n")
    }

    static func format(seconds: Double) -> String {
        let hundredths = Int((seconds * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// Requests as `--dry-run` and `-v` show them: method and URL, headers, body.
public enum RequestPrinter {
    public static func render(_ request: HTTPRequest, redactor: Redactor, bodyLimit: Int? = nil) -> String {
        var text = "> \(request.method) \(redactor.redact(request.url))\n"
        for header in request.headers {
            let shown = redactor.redact(header: header)
            text += "> \(shown.name): \(shown.value)\n"
        }
        text += ">\n"
        if !request.body.isEmpty {
            var body = redactor.redact(String(decoding: request.body, as: UTF8.self))
            if let bodyLimit, body.count > bodyLimit {
                body = String(body.prefix(bodyLimit)) + "… (\(request.body.count) bytes)"
            }
            text += body + "\n"
        }
        return text
    }
}

/// Unbuffered writes to fd 1 and 2 that survive short writes and EINTR.
public enum StandardStreams {
    public static func writeOutput(_ text: String) {
        write(fd: 1, Array(text.utf8))
    }

    public static func writeError(_ text: String) {
        write(fd: 2, Array(text.utf8))
    }

    /// Returns false when the descriptor is closed (for example `| head`).
    @discardableResult
    public static func write(fd: Int32, _ bytes: [UInt8]) -> Bool {
        (try? FileSystem.writeAll(fd, bytes)) != nil
    }
}
