/// A request exactly as it goes on the wire. Providers build these; the
/// transport sends them; `--dry-run` and `-v` print them (redacted).
public struct HTTPRequest: Equatable, Sendable {
    public var method: String
    public var url: String
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.last(where: { $0.name.lowercased() == name.lowercased() })?.value
    }
}

public struct HTTPHeader: Equatable, Sendable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

public struct HTTPResponse: Equatable, Sendable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.last(where: { $0.name.lowercased() == name.lowercased() })?.value
    }
}

/// Per-transfer settings that come from connection options.
public struct TransferSettings: Equatable, Sendable {
    /// Seconds for one attempt, connect and transfer together.
    public var timeout: Double
    /// A CA bundle to trust instead of the system store.
    public var caCertFile: String?

    public init(timeout: Double = 600, caCertFile: String? = nil) {
        self.timeout = timeout
        self.caCertFile = caCertFile
    }
}
