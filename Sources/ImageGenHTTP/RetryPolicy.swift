/// When to try again and how long to wait first. One policy serves every
/// provider: 408, 429, 500, 502, 503, 504 and transport failures are retried
/// with exponential backoff and full jitter; the server's own `Retry-After` or
/// `retry-after-ms` wins when it gives one.
package struct RetryPolicy: Sendable {
    package static let retriableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    package var maxRetries: Int
    package var baseDelay: Double
    package var maxDelay: Double

    package init(maxRetries: Int = 2, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    package static func isRetriable(status: Int) -> Bool { retriableStatuses.contains(status) }

    /// Seconds to wait before retry number `retry` (1-based), honouring the
    /// server's hint when it sent one. `random` is in [0, 1).
    package func delay(
        beforeRetry retry: Int, response: HTTPResponse?, now: Double,
        random: Double = Double.random(in: 0..<1)
    ) -> Double {
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
