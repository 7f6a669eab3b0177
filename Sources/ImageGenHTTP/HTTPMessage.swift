/// A request exactly as it goes on the wire. Providers build these; the
/// transport sends them; `--dry-run` and `-v` print them (redacted).
package struct HTTPRequest: Equatable, Sendable {
    package var method: String
    package var url: String
    package var headers: [HTTPHeader]
    package var content: HTTPBody
    /// Seconds for this request alone, instead of the run's `--timeout`: an
    /// instance metadata service that is not there must not hold up the run.
    package var timeout: Double?
    /// At most this many retries, fewer than the run's: probing a credential
    /// endpoint that may not exist is not worth repeating.
    package var maxRetries: Int?

    package init(
        method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8] = [],
        timeout: Double? = nil, maxRetries: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.content = .bytes(body)
        self.timeout = timeout
        self.maxRetries = maxRetries
    }

    package init(method: String, url: String, headers: [HTTPHeader] = [], content: HTTPBody) {
        self.method = method
        self.url = url
        self.headers = headers
        self.content = content
    }

    /// The bytes of a plain body; empty for a multipart one, whose bytes
    /// (and boundary) libcurl makes as it sends.
    package var body: [UInt8] {
        get {
            if case .bytes(let bytes) = content { return bytes }
            return []
        }
        set { content = .bytes(newValue) }
    }

    /// The parts of a multipart/form-data body, nil for a plain one.
    package var parts: [MultipartPart]? {
        if case .multipart(let parts) = content { return parts }
        return nil
    }

    package func header(_ name: String) -> String? {
        headers.last(where: { $0.name.lowercased() == name.lowercased() })?.value
    }
}

/// A request body as a value: JSON (or any) bytes, or the parts of a form
/// that libcurl's MIME API encodes, so printers can summarise the files.
package enum HTTPBody: Equatable, Sendable {
    case bytes([UInt8])
    case multipart([MultipartPart])
}

/// One part of a multipart/form-data body: a text field or a file.
package struct MultipartPart: Equatable, Sendable {
    package enum Value: Equatable, Sendable {
        case text(String)
        case file(filename: String, contentType: String, bytes: [UInt8], sha256: String)
    }

    package var name: String
    package var value: Value

    package init(name: String, text: String) {
        self.name = name
        self.value = .text(text)
    }

    package init(name: String, filename: String, contentType: String, bytes: [UInt8], sha256: String) {
        self.name = name
        self.value = .file(filename: filename, contentType: contentType, bytes: bytes, sha256: sha256)
    }

    /// How `--dry-run` and `-v` show the part: the text, or what identifies
    /// the file without its bytes.
    package var summary: String {
        switch value {
        case .text(let text):
            return "\(name)=\(text)"
        case .file(let filename, let contentType, let bytes, let sha256):
            return "\(name); filename=\(filename); type=\(contentType); \(bytes.count) bytes; sha256=\(sha256)"
        }
    }
}

package struct HTTPHeader: Equatable, Sendable {
    package var name: String
    package var value: String
    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Whether name and value hold no control character (a tab in the value
    /// is allowed, as HTTP allows it).
    package var isSafe: Bool {
        func control(_ scalar: Unicode.Scalar) -> Bool { scalar.value < 0x20 || scalar.value == 0x7F }
        return !name.unicodeScalars.contains(where: control)
            && !value.unicodeScalars.contains { control($0) && $0 != "\t" }
    }
}

package struct HTTPResponse: Equatable, Sendable {
    package var status: Int
    package var headers: [HTTPHeader]
    package var body: [UInt8]

    package init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package func header(_ name: String) -> String? {
        headers.last(where: { $0.name.lowercased() == name.lowercased() })?.value
    }
}

/// Per-transfer settings that come from connection options.
package struct TransferSettings: Equatable, Sendable {
    /// `--max-filesize`'s default: far above any image a provider makes,
    /// far below what would exhaust memory.
    package static let defaultMaxFileSize = 512 << 20

    /// Seconds for one attempt, connect and transfer together.
    package var timeout: Double
    /// A CA bundle to trust instead of the system store.
    package var caCertFile: String?
    /// Bytes an answer's body may have; a larger one is refused.
    package var maxFileSize: Int

    package init(timeout: Double = 600, caCertFile: String? = nil, maxFileSize: Int = defaultMaxFileSize) {
        self.timeout = timeout
        self.caCertFile = caCertFile
        self.maxFileSize = maxFileSize
    }

    /// `bytes` as `--max-filesize` takes it: `512M`, or `1500` when no unit divides it.
    package static func sizeText(_ bytes: Int) -> String {
        for (suffix, shift) in [("G", 30), ("M", 20), ("K", 10)] where bytes > 0 && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift)\(suffix)"
        }
        return String(bytes)
    }
}
