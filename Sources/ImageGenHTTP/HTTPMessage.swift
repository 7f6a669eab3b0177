/// A request exactly as it goes on the wire. Providers build these; the
/// transport sends them; `--dry-run` and `-v` print them (redacted).
package struct HTTPRequest: Equatable, Sendable {
    package var method: String
    package var url: String
    package var headers: [HTTPHeader]
    package var body: [UInt8]

    package init(method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
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
    /// Seconds for one attempt, connect and transfer together.
    package var timeout: Double
    /// A CA bundle to trust instead of the system store.
    package var caCertFile: String?

    package init(timeout: Double = 600, caCertFile: String? = nil) {
        self.timeout = timeout
        self.caCertFile = caCertFile
    }
}
