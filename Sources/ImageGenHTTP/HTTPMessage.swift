/// A request exactly as it goes on the wire. Providers build these; the
/// transport sends them; `--dry-run` and `-v` print them (redacted).
package struct HTTPRequest: Equatable, Sendable {
    package var method: String
    package var url: String
    package var headers: [HTTPHeader]
    package var body: [UInt8]
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
        self.body = body
        self.timeout = timeout
        self.maxRetries = maxRetries
    }

    package func header(_ name: String) -> String? {
        headers.last(where: { $0.name.lowercased() == name.lowercased() })?.value
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
