import Glibc

/// When to try again and how long to wait first. One policy serves every
/// provider: 408, 429, 500, 502, 503, 504 and transport failures are retried
/// with exponential backoff and full jitter; the server's own `Retry-After` or
/// `retry-after-ms` wins when it gives one.
public struct RetryPolicy: Sendable {
    public static let retriableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxRetries: Int = 2, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    public static func isRetriable(status: Int) -> Bool { retriableStatuses.contains(status) }

    /// Seconds to wait before retry number `retry` (1-based), honouring the
    /// server's hint when it sent one. `random` is in [0, 1).
    public func delay(beforeRetry retry: Int, response: HTTPResponse?, now: Double,
                      random: Double = Double.random(in: 0..<1)) -> Double {
        if let response, let hinted = RetryPolicy.serverHint(response, now: now) {
            return min(max(hinted, 0), maxDelay)
        }
        let ceiling = min(maxDelay, baseDelay * Double(1 << min(retry - 1, 20)))
        return ceiling * random
    }

    /// `retry-after-ms` (Azure, OpenAI) or `Retry-After` as seconds or an HTTP date.
    static func serverHint(_ response: HTTPResponse, now: Double) -> Double? {
        if let ms = response.header("retry-after-ms").flatMap(Double.init), ms >= 0 {
            return ms / 1000
        }
        guard let value = response.header("retry-after") else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        return HTTPDate.parse(value).map { Double($0) - now }
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the only form servers send today.
enum HTTPDate {
    static func parse(_ text: String) -> Int? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]) else { return nil }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let month = months.firstIndex(of: String(parts[2])) else { return nil }
        let clock = parts[4].split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3 else { return nil }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(clock[0])
        fields.tm_min = Int32(clock[1])
        fields.tm_sec = Int32(clock[2])
        let seconds = timegm(&fields)
        return seconds == -1 ? nil : Int(seconds)
    }
}

/// Wall-clock helpers kept in one place.
public enum Clock {
    public static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
