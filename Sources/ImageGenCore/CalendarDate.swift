/// A day, as model life cycles are announced: `2026-12-01`.
package struct CalendarDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    package var year: Int
    package var month: Int
    package var day: Int

    package init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD`; nil for anything else.
    package init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year, month, day)
    }

    /// The UTC day of a Unix time.
    package init(unixSeconds: Int) {
        let time = UTCTime(unixSeconds)
        self.init(time.year, time.month, time.day)
    }

    /// Today by the machine's clock, or `IMAGEGEN_TODAY=YYYY-MM-DD` (for
    /// tests of dated behaviour: model retirements and deprecations).
    package static func today(_ environment: Environment) -> CalendarDate {
        environment["IMAGEGEN_TODAY"].flatMap(CalendarDate.init) ?? CalendarDate(unixSeconds: Int(Clock.now()))
    }

    package var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day))"
    }

    package static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
