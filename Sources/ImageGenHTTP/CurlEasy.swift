import CurlShim
import Glibc
import ImageGenCore

/// One libcurl easy handle and everything libcurl points into while it runs.
/// Used on one thread at a time: the engine's loop.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    /// The form of a multipart request: libcurl reads it while sending, so it lives as long as the handle.
    private var form: OpaquePointer?
    private let sink: ResponseSink
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    let request: HTTPRequest
    let settings: TransferSettings

    /// 256 KiB: eight reads for a 2 MB answer instead of libcurl's 16 KiB
    /// default's 120, and 4 MiB for sixteen transfers (the most every libcurl
    /// since 7.53 accepts is 512 KiB; 7.88 and later take up to 10 MiB; from
    /// 8.7 on there is one buffer per multi handle)
    /// (curl.se/libcurl/c/CURLOPT_BUFFERSIZE.html, checked 2026-11-29).
    static let receiveBufferSize = 256 * 1024

    /// Opens libcurl on first use (the loader also runs curl_global_init, once).
    static func loadLibrary() throws(ImageGenError) {
        if let failure = ig_curl_load() {
            throw .internal(
                "cannot load libcurl (\(String(cString: failure))); "
                    + "install libcurl4 (apt-get install libcurl4)")
        }
    }

    init(
        _ request: HTTPRequest, settings: TransferSettings, streaming: (any StreamedBody)? = nil
    ) throws(ImageGenError) {
        try CurlEasy.loadLibrary()
        guard let handle = curl_easy_init() else { throw .internal("libcurl could not create a handle") }
        self.handle = handle
        self.request = request
        self.settings = settings
        sink = ResponseSink(limit: settings.maxFileSize, handle: handle, stream: streaming)
        errorBuffer.initialize(to: 0)
        try configure()
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        curl_easy_cleanup(handle)
        // After the handle: libcurl may still point at the form until cleanup.
        if let form { curl_mime_free(form) }
        errorBuffer.deallocate()
    }

    /// The answer once libcurl reports the transfer done with `code`.
    func finish(_ code: CURLcode) throws(ImageGenError) -> HTTPResponse {
        // What the stream's receiver refused ends the transfer with a write error: its reason stands.
        if let failure = sink.streamFailure { throw failure }
        if sink.isStreaming, let stream = sink.stream {
            var status = 0
            try check(ig_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status))
            switch code {
            case CURLE_OK:
                return try stream.finish(status: status, headers: sink.headers, broken: nil)
            case CURLE_PARTIAL_FILE, CURLE_RECV_ERROR, CURLE_GOT_NOTHING:
                let reason = String(cString: errorBuffer)
                return try stream.finish(
                    status: status, headers: sink.headers,
                    broken: reason.isEmpty ? String(cString: curl_easy_strerror(code)) : reason)
            default:
                break  // a timeout is a timeout, streamed or not
            }
        }
        guard code == CURLE_OK else {
            let origin = HTTPURL.origin(of: request.url)
            // The body callback's refusal surfaces as a write error; a
            // Content-Length over the limit as libcurl's own.
            if sink.exceededLimit && sink.isStreaming {
                let limit = TransferSettings.sizeText(settings.maxFileSize)
                throw .refusedAnswer(
                    "the event stream from \(origin) passed \(ResponseSink.streamFactor) times --max-filesize "
                        + "\(limit); raise --max-filesize if the images are really that large")
            }
            if sink.exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
                let limit = TransferSettings.sizeText(settings.maxFileSize)
                throw .refusedAnswer(
                    "the answer from \(origin) was larger than --max-filesize \(limit); "
                        + "raise --max-filesize if the image is really that large")
            }
            if code == CURLE_UNSUPPORTED_PROTOCOL, let target = refusedRedirectTarget() {
                throw .refusedAnswer(
                    "\(origin) redirected the download to \(HTTPURL.origin(of: target)), which is not https; "
                        + "imagegen does not follow https to plain http (--no-download prints the URL instead)")
            }
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
        // What came over https must not continue in the clear, where anyone on
        // the path could read or replace it.
        let redirects = httpsOnlyRedirects ? "https" : "http,https"
        try check(ig_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, redirects))
        // Refuses a declared Content-Length above the limit before any of the
        // body arrives; a body with none (chunked) is counted by ResponseSink.
        try check(ig_easy_setopt_offset(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(settings.maxFileSize)))
        try check(ig_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        // Answers are megabytes of base64: libcurl's default 16 KiB buffer
        // costs a poll and a recv per 16 KiB (and a call into the sink each).
        try check(ig_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, CurlEasy.receiveBufferSize))
        try check(ig_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1))
        try check(ig_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2))
        if let caFile = settings.caCertFile {
            try check(ig_easy_setopt_string(handle, CURLOPT_CAINFO, caFile))
        }
        let timeoutMS = max(1, Int((request.timeout ?? settings.timeout) * 1000))
        try check(ig_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, timeoutMS))
        try check(ig_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, timeoutMS))
        try check(ig_easy_setopt_string(handle, CURLOPT_USERAGENT, ImageGenVersion.userAgent))

        switch request.method {
        case "GET":
            // Image URLs (CDNs, signed blob URLs) may redirect; API calls never should.
            // libcurl drops Authorization when a redirect leaves the host, but
            // not other headers: a GET carrying a key in one (BFL's x-key on a
            // poll, Azure's api-key) follows no redirect, so no other host sees it.
            if !request.headers.contains(where: { Redactor.isCredentialKeptOnRedirect($0.name) }) {
                try check(ig_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1))
                try check(ig_easy_setopt_long(handle, CURLOPT_MAXREDIRS, 5))
            }
        case "POST":
            try check(ig_easy_setopt_long(handle, CURLOPT_POST, 1))
        default:
            try check(ig_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method))
        }
        if let parts = request.parts {
            try attachForm(parts)
        } else if !request.body.isEmpty || request.method == "POST" {
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

    /// A multipart/form-data body through libcurl's MIME API, which writes
    /// the boundary and the Content-Type header itself. Every call copies
    /// its data, so nothing here must outlive the call.
    private func attachForm(_ parts: [MultipartPart]) throws(ImageGenError) {
        guard let form = curl_mime_init(handle) else { throw .internal("libcurl could not create a form") }
        self.form = form
        for part in parts {
            guard let mimePart = curl_mime_addpart(form) else { throw .internal("libcurl could not add a form part") }
            try check(curl_mime_name(mimePart, part.name))
            switch part.value {
            case .text(let text):
                let bytes = Array(text.utf8)
                try addData(bytes, to: mimePart)
            case .file(let filename, let contentType, let bytes, _):
                try check(curl_mime_filename(mimePart, filename))
                try check(curl_mime_type(mimePart, contentType))
                try addData(bytes, to: mimePart)
            }
        }
        try check(ig_easy_setopt_mime(handle, form))
    }

    private func addData(_ bytes: [UInt8], to part: OpaquePointer) throws(ImageGenError) {
        // An empty buffer may have no base address; libcurl wants a pointer all the same.
        let code = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    curl_mime_data(part, $0, buffer.count)
                }
            } ?? curl_mime_data(part, "", 0)
        }
        try check(code)
    }

    /// Redirects are followed only for GETs (image downloads); from https, only to https.
    private var httpsOnlyRedirects: Bool {
        request.method == "GET" && request.url.lowercased().hasPrefix("https://")
    }

    /// The URL libcurl would not follow, when that is why the transfer failed.
    private func refusedRedirectTarget() -> String? {
        var redirects = 0
        guard httpsOnlyRedirects, ig_easy_getinfo_long(handle, CURLINFO_REDIRECT_COUNT, &redirects) == CURLE_OK,
            redirects > 0
        else { return nil }
        // libcurl 7.88 leaves REDIRECT_URL empty once it has tried to follow,
        // and the effective URL is then the one it refused.
        for info in [CURLINFO_REDIRECT_URL, CURLINFO_EFFECTIVE_URL] {
            if let url = string(info), !url.isEmpty, url != request.url { return url }
        }
        return nil
    }

    private func string(_ info: CURLINFO) -> String? {
        var value: UnsafePointer<CChar>?
        guard ig_easy_getinfo_string(handle, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
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

/// Collects the response while libcurl calls back into it, up to `limit`
/// bytes of body: a server streaming without end must not take all memory.
/// A body a `StreamedBody` takes goes to it piece by piece instead, up to
/// `streamFactor` times `limit` in all (a final image and up to three
/// partial ones), and the receiver caps each event.
private final class ResponseSink {
    private var body: [UInt8] = []
    var headers: [HTTPHeader] = []
    let limit: Int
    private let handle: UnsafeMutableRawPointer
    let stream: (any StreamedBody)?
    /// Whether the body goes to `stream`; decided at its first byte, when the status is known.
    private(set) var isStreaming = false
    private var decided = false
    private var streamedBytes = 0
    /// Why the receiver ended the transfer.
    private(set) var streamFailure: ImageGenError?
    /// Whether the body was refused for passing `limit`.
    private(set) var exceededLimit = false

    static let streamFactor = 4

    init(limit: Int, handle: UnsafeMutableRawPointer, stream: (any StreamedBody)?) {
        self.limit = limit
        self.handle = handle
        self.stream = stream
    }

    func takeBody() -> [UInt8] {
        defer { body = [] }
        return body
    }

    static let onBody: ig_data_callback = { data, size, count, userdata in
        let sink = Unmanaged<ResponseSink>.fromOpaque(userdata!).takeUnretainedValue()
        let length = size * count
        if !sink.decided {
            sink.decided = true
            if let stream = sink.stream {
                var status = 0
                _ = ig_easy_getinfo_long(sink.handle, CURLINFO_RESPONSE_CODE, &status)
                sink.isStreaming = stream.begin(status: status, headers: sink.headers)
            }
        }
        if sink.isStreaming, let stream = sink.stream {
            let cap = sink.limit.multipliedReportingOverflow(by: streamFactor)
            if length > (cap.overflow ? Int.max : cap.partialValue) - sink.streamedBytes {
                sink.exceededLimit = true
                return 0
            }
            sink.streamedBytes += length
            guard let data, length > 0 else { return length }
            let piece = data.withMemoryRebound(to: UInt8.self, capacity: length) {
                Array(UnsafeBufferPointer(start: $0, count: length))
            }
            do throws(ImageGenError) {
                try stream.receive(piece[...])
            } catch {
                sink.streamFailure = error
                return 0
            }
            return length
        }
        if length > sink.limit - sink.body.count {
            sink.exceededLimit = true
            return 0  // anything but `length` makes libcurl abort the transfer at once
        }
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
                sink.body.reserveCapacity(min(expected, sink.limit, 1 << 31))
            }
        }
        return length
    }
}
