import CurlShim
import Glibc

/// The real transport: one libcurl easy handle per request. libcurl brings TLS
/// verification, the system trust store and the usual proxy environment
/// (`HTTPS_PROXY`, `NO_PROXY`) for free.
public struct CurlTransport: HTTPTransport {
    public init() {
        CurlTransport.globalInit
    }

    // curl_global_init is not thread-safe, so it runs once, before any transfer.
    private static let globalInit: Void = {
        _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    }()

    public func send(_ request: HTTPRequest, settings: TransferSettings) throws(ImageGenError) -> HTTPResponse {
        guard let easy = CurlEasy() else { throw .internal("libcurl could not create a handle") }
        return try easy.perform(request, settings: settings)
    }
}

/// Owns one `CURL *` and everything libcurl points into while it runs.
private final class CurlEasy {
    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let sink = ResponseSink()

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        curl_easy_cleanup(handle)
    }

    func perform(_ request: HTTPRequest, settings: TransferSettings) throws(ImageGenError) -> HTTPResponse {
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        try configure(request, settings: settings)
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

        let code: CURLcode = request.body.withUnsafeBufferPointer { body in
            errorBuffer.withUnsafeMutableBufferPointer { errors in
                _ = ig_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errors.baseAddress)
                if request.method == "POST" || !request.body.isEmpty {
                    _ = ig_easy_setopt_long(handle, CURLOPT_POST, 1)
                    _ = ig_easy_setopt_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                    _ = ig_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS,
                                               UnsafeMutableRawPointer(mutating: body.baseAddress))
                }
                return curl_easy_perform(handle)
            }
        }
        _ = ig_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        guard code == CURLE_OK else {
            let detail = String(decoding: errorBuffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) },
                                as: UTF8.self)
            let message = CurlEasy.describe(code, detail: detail, url: request.url, settings: settings)
            throw code == CURLE_OPERATION_TIMEDOUT ? .timeout(message) : .network(message)
        }
        var status = 0
        try check(ig_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
        return HTTPResponse(status: status, headers: sink.headers, body: sink.body)
    }

    private func configure(_ request: HTTPRequest, settings: TransferSettings) throws(ImageGenError) {
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
        try check(ig_easy_setopt_string(handle, CURLOPT_USERAGENT, "imagegen/\(ImageGenVersion.current)"))
        if request.method == "GET" {
            // Image URLs (CDNs, signed blob URLs) may redirect; API calls never should.
            try check(ig_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1))
            try check(ig_easy_setopt_long(handle, CURLOPT_MAXREDIRS, 5))
        } else if request.method != "POST" {
            try check(ig_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
        }
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
            return "request to \(target) timed out after \(formatSeconds(settings.timeout)) s; "
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
    var body: [UInt8] = []
    var headers: [HTTPHeader] = []

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
        }
        return length
    }
}

private func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
}
