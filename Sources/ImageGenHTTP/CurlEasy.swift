import CurlShim
import Glibc
import ImageGenCore

/// One libcurl easy handle and everything libcurl points into while it runs.
/// Used on one thread at a time: the engine's loop.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let sink = ResponseSink()
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    let request: HTTPRequest
    let settings: TransferSettings

    /// Opens libcurl on first use (the loader also runs curl_global_init, once).
    static func loadLibrary() throws(ImageGenError) {
        if let failure = ig_curl_load() {
            throw .internal(
                "cannot load libcurl (\(String(cString: failure))); "
                    + "install libcurl4 (apt-get install libcurl4)")
        }
    }

    init(_ request: HTTPRequest, settings: TransferSettings) throws(ImageGenError) {
        try CurlEasy.loadLibrary()
        guard let handle = curl_easy_init() else { throw .internal("libcurl could not create a handle") }
        self.handle = handle
        self.request = request
        self.settings = settings
        errorBuffer.initialize(to: 0)
        try configure()
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// The answer once libcurl reports the transfer done with `code`.
    func finish(_ code: CURLcode) throws(ImageGenError) -> HTTPResponse {
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let message = CurlEasy.describe(code, detail: detail, url: request.url, settings: settings)
            switch code {
            case CURLE_OPERATION_TIMEDOUT: throw .timeout(message)
            case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE: throw .tls(message)
            default: throw .network(message)
            }
        }
        var status = 0
        try check(ig_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return HTTPResponse(status: status, headers: sink.headers, body: sink.takeBody())
    }

    private func configure() throws(ImageGenError) {
        try check(ig_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        try check(ig_easy_setopt_string(handle, CURLOPT_URL, request.url))
        // Provider-supplied image URLs are fetched too: never let one reach file:// or other schemes.
        try check(ig_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"))
        try check(ig_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"))
        try check(ig_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(ig_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        try check(ig_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        if let caFile = settings.caCertFile {
            try check(ig_easy_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        let timeoutMS = max(1, Int(settings.timeout * 1000))
        try check(ig_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMS))
        try check(ig_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, timeoutMS))
        try check(ig_easy_setopt_string(handle, CURLOPT_USERAGENT, ImageGenVersion.userAgent))

        switch request.method {
        case "GET":
            // Image URLs (CDNs, signed blob URLs) may redirect; API calls never should.
            try check(ig_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1))
            try check(ig_easy_setopt_long(handle, CURLOPT_MAXREDIRS, 5))
        case "POST":
            try check(ig_easy_setopt_long(handle, CURLOPT_POST, 1))
        default:
            try check(ig_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
        }
        if !request.body.isEmpty || request.method == "POST" {
            // libcurl keeps its own copy, so the body's lifetime is not tied to ours.
            try check(ig_easy_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count)))
            if request.body.isEmpty {
                try check(ig_easy_setopt_string(handle, CURLOPT_COPYPOSTFIELDS, ""))
            } else {
                try request.body.withUnsafeBufferPointer { body throws(ImageGenError) in
                    try check(
                        ig_easy_setopt_pointer(
                            handle, CURLOPT_COPYPOSTFIELDS,
                            UnsafeMutableRawPointer(mutating: body.baseAddress)))
                }
            }
        }

        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // An empty Expect stops libcurl waiting for `100 Continue` on long prompts.
        headerList = curl_slist_append(headerList, "Expect:")
        try check(ig_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList))

        let sinkPointer = Unmanaged.passUnretained(sink).toOpaque()
        try check(ig_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer))
        try check(ig_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, ResponseSink.onBody))
        try check(ig_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer))
        try check(ig_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION, ResponseSink.onHeader))
    }

    private func check(_ code: CURLcode) throws(ImageGenError) {
        guard code == CURLE_OK else {
            throw .internal("libcurl refused an option: \(String(cString: curl_easy_strerror(code)))")
        }
    }

    private static func describe(_ code: CURLcode, detail: String, url: String, settings: TransferSettings) -> String {
        let target = HTTPURL.origin(of: url)
        let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return "request to \(target) timed out after \(Seconds.asTyped(settings.timeout)) s; "
                + "raise --timeout if the provider is slow"
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE:
            return "TLS certificate of \(target) not trusted (\(reason)); "
                + "pass --cacert FILE if the server uses a private CA"
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return "cannot resolve \(target) (\(reason)); check --api-base and your network"
        case CURLE_COULDNT_CONNECT:
            return "cannot connect to \(target) (\(reason)); check --api-base and that the server is up"
        case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
            return "the connection to \(target) broke before the whole answer arrived (\(reason))"
        case CURLE_UNSUPPORTED_PROTOCOL:
            return "cannot fetch \(target): only http and https URLs are supported"
        default:
            return "request to \(target) failed: \(reason)"
        }
    }
}

/// Collects the response while libcurl calls back into it.
private final class ResponseSink {
    private var body: [UInt8] = []
    var headers: [HTTPHeader] = []

    func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }

    static let onBody: ig_data_callback = { data, size, count, userdata in
        let sink = Unmanaged<ResponseSink>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        if let data, length > 0 {
            data.withMemoryRebound(to: UInt8.self, capacity: length) {
                sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
            }
        }
        return length
    }

    static let onHeader: ig_data_callback = { data, size, count, userdata in
        let sink = Unmanaged<ResponseSink>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        guard let data, length > 0 else { return length }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            // A new status line (after a redirect or `100 Continue`) starts a new header set.
            sink.headers.removeAll()
        } else if let colon = line.firstIndex(of: ":") {
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingASCIIWhitespace()
            sink.headers.append(HTTPHeader(name, value))
            // Knowing the size up front avoids regrowing (and briefly doubling) a large body.
            if name.lowercased() == "content-length", let expected = Int(value), expected > 0 {
                sink.body.reserveCapacity(min(expected, 1 << 31))
            }
        }
        return length
    }
}
