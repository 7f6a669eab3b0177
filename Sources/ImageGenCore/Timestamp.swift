/// A moment typed on the command line (`imagegen history --since`), as
/// Unix seconds. History times are UTC, so a bare day is its UTC midnight:
///
///     2026-11-29                     00:00:00 UTC that day
///     2026-11-29T10:30Z              seconds, a fraction and the zone
///     2026-11-29T10:30:15.250+01:00  are optional; no zone means UTC
///     2026-11-29 10:30:15            a space may stand for the T
package enum Timestamp {
    package static func parse(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 10, let date = CalendarDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            date.day <= daysIn(month: date.month, year: date.year)
        else { return nil }
        var seconds = unixSeconds(date)
        guard bytes.count > 10 else { return seconds }
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " ")
        else { return nil }
        var rest = bytes[11...]
        guard let hour = twoDigits(&rest, in: 0...23), take(&rest, ":"), let minute = twoDigits(&rest, in: 0...59)
        else { return nil }
        seconds += hour * 3600 + minute * 60
        if take(&rest, ":") {
            // 60: a leap second, as ISO 8601 allows; it counts as the next second.
            guard let second = twoDigits(&rest, in: 0...60) else { return nil }
            seconds += second
            if take(&rest, ".") || take(&rest, ",") {
                let digits = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                guard !digits.isEmpty else { return nil }
                rest = rest.dropFirst(digits.count)
            }
        }
        if rest.isEmpty || (rest.count == 1 && (take(&rest, "Z") || take(&rest, "z"))) { return seconds }
        guard let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        rest = rest.dropFirst()
        guard let offsetHours = twoDigits(&rest, in: 0...23) else { return nil }
        _ = take(&rest, ":")
        guard let offsetMinutes = twoDigits(&rest, in: 0...59), rest.isEmpty else { return nil }
        let offset = offsetHours * 3600 + offsetMinutes * 60
        return sign == UInt8(ascii: "+") ? seconds - offset : seconds + offset
    }

    /// Midnight UTC of `date` (days from the civil calendar, proleptic Gregorian).
    package static func unixSeconds(_ date: CalendarDate) -> Int {
        let year = date.month <= 2 ? date.year - 1 : date.year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (date.month + (date.month > 2 ? -3 : 9)) + 2) / 5 + date.day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return (era * 146_097 + dayOfEra - 719_468) * 86_400
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func twoDigits(_ rest: inout ArraySlice<UInt8>, in range: ClosedRange<Int>) -> Int? {
        guard rest.count >= 2 else { return nil }
        let pair = rest.prefix(2)
        guard pair.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let value = Int(pair[pair.startIndex] - UInt8(ascii: "0")) * 10 + Int(pair[pair.startIndex + 1] - 48)
        guard range.contains(value) else { return nil }
        rest = rest.dropFirst(2)
        return value
    }

    private static func take(_ rest: inout ArraySlice<UInt8>, _ character: Unicode.Scalar) -> Bool {
        guard rest.first == UInt8(ascii: character) else { return false }
        rest = rest.dropFirst()
        return true
    }
}
