/// `--rate`: at most `count` request starts per `period` seconds, across
/// every transfer of the run. Starts are spaced evenly (one every
/// `interval`), so a provider's images-per-minute limit is met without a
/// burst at the start of each minute, and an idle spell earns no burst later.
package struct RateLimit: Equatable, Sendable {
    package var count: Int
    package var period: Double

    package init(count: Int, period: Double) {
        self.count = max(1, count)
        self.period = period
    }

    /// Seconds between two request starts.
    package var interval: Double { period / Double(count) }

    /// The units curl's `--rate` takes: second, minute, hour, day.
    package static let units: [(unit: String, seconds: Double)] = [
        ("s", 1), ("m", 60), ("h", 3600), ("d", 86400),
    ]
}
