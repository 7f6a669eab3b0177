import Glibc

/// The two clocks the tool reads: wall time for timestamps, signatures and
/// HTTP dates; monotonic time for measuring how long something took.
package enum Clock {
    /// Unix seconds.
    package static func now() -> Double {
        read(CLOCK_REALTIME)
    }

    /// Seconds since an arbitrary start that never jumps backwards.
    package static func monotonic() -> Double {
        read(CLOCK_MONOTONIC)
    }

    private static func read(_ clock: clockid_t) -> Double {
        var spec = timespec()
        clock_gettime(clock, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// Calendar fields of a Unix time in UTC, for the few text forms the tool writes.
package struct UTCTime: Equatable, Sendable {
    package var year: Int
    package var month: Int
    package var day: Int
    package var hour: Int
    package var minute: Int
    package var second: Int

    package init(_ unixSeconds: Int) {
        var time = time_t(unixSeconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        year = Int(parts.tm_year) + 1900
        month = Int(parts.tm_mon) + 1
        day = Int(parts.tm_mday)
        hour = Int(parts.tm_hour)
        minute = Int(parts.tm_min)
        second = Int(parts.tm_sec)
    }

    /// `2026-11-25T10:11:12Z`.
    package var iso8601: String {
        "\(year)-\(Self.two(month))-\(Self.two(day))T\(Self.two(hour)):\(Self.two(minute)):\(Self.two(second))Z"
    }

    /// `20261125T101112Z`, SigV4's timestamp.
    package var compact: String {
        "\(year)\(Self.two(month))\(Self.two(day))T\(Self.two(hour))\(Self.two(minute))\(Self.two(second))Z"
    }

    private static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
