import ImageGenCore
import ImageGenHTTP

/// Checks and conversions for option values. Numbers are plain ASCII digits
/// (no sign, no exponent, no hex) because `Int("+3")` and `Double("0x1p3")` or
/// `Double("nan")` would let surprising spellings through.
package enum OptionValue {
    /// A whole number in `range`. Every count has a ceiling: a value past
    /// it is a typo, and an unbounded one would be an unbounded allocation
    /// (one request per image) or an arithmetic trap further on.
    static func wholeNumber(_ text: String, in range: ClosedRange<Int>) throws(InvalidValue) -> Int {
        let expected = Limits.describe(range)
        guard isDigits(text.utf8) else { throw InvalidValue(expected: expected) }
        guard let number = Int(text), range.contains(number) else {
            throw InvalidValue(
                expected: expected, note: Int(text) == nil || Int(text)! > range.upperBound ? "too large" : nil)
        }
        return number
    }

    /// `positive`: greater than 0; otherwise 0 or more. At most `maximum`.
    static func decimal(_ text: String, positive: Bool, maximum: Double) throws(InvalidValue) -> Double {
        let expected =
            (positive ? "a number greater than 0" : "a number of 0 or more")
            + " and at most \(Seconds.asTyped(maximum))"
        let bytes = text.utf8
        let dot = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = bytes[..<(dot ?? bytes.endIndex)]
        let fraction = dot.map { bytes[bytes.index(after: $0)...] } ?? bytes[bytes.endIndex...]
        guard whole.isEmpty || isDigits(whole), fraction.isEmpty || isDigits(fraction),
            !(whole.isEmpty && fraction.isEmpty),
            let number = Double(text)
        else { throw InvalidValue(expected: expected) }
        guard number.isFinite, number <= maximum else { throw InvalidValue(expected: expected, note: "too large") }
        guard !positive || number > 0 else { throw InvalidValue(expected: expected) }
        return number
    }

    /// A number of bytes, 1 or more, as curl's `--max-filesize` takes it:
    /// digits with an optional binary unit, `K` (1024), `M` (1024²) or `G`
    /// (1024³), either case: `1500`, `64K`, `512M`.
    static func byteSize(_ text: String) throws(InvalidValue) -> Int {
        let expected = "BYTES, a whole number of 1 or more with an optional K, M or G (e.g. 512M)"
        var digits = Substring(text)
        var shift = 0
        if let unit = digits.last, let unitShift = ["k": 10, "m": 20, "g": 30][unit.lowercased()] {
            digits = digits.dropLast()
            shift = unitShift
        }
        guard isDigits(digits.utf8) else { throw InvalidValue(expected: expected) }
        guard let number = Int(digits), number <= Int.max >> shift else {
            throw InvalidValue(expected: expected, note: "too large")
        }
        guard number >= 1 else { throw InvalidValue(expected: expected) }
        return number << shift
    }

    /// `WxH` with whole numbers from 1 to `ImageSize.maximumSide`, or `auto` (gpt-image-1).
    static func size(_ text: String) throws(InvalidValue) -> String {
        guard text == "auto" || ImageSize(text) != nil else {
            throw InvalidValue(
                expected: "WxH with whole numbers from 1 to \(ImageSize.maximumSide) (e.g. 1024x1024) or auto")
        }
        return text
    }

    /// curl's `--rate` spelling: `N/U` with U one of s, m, h, d (second,
    /// minute, hour, day); a bare N is per hour, as in curl.
    static func rate(_ text: String) throws(InvalidValue) -> RateLimit {
        let expected = "N/s, N/m, N/h or N/d (requests a second, minute, hour or day), e.g. 50/m"
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let count = parts.first, isDigits(count.utf8) else {
            throw InvalidValue(expected: expected)
        }
        let unit = parts.count == 2 ? String(parts[1]) : "h"
        guard let period = RateLimit.units.first(where: { $0.unit == unit })?.seconds else {
            throw InvalidValue(expected: expected)
        }
        guard let number = Int(count), Limits.rate.contains(number) else {
            throw InvalidValue(expected: expected, note: Int(count) == 0 ? nil : "too large")
        }
        return RateLimit(count: number, period: period)
    }

    static func oneOf(_ text: String, _ allowed: [String]) throws(InvalidValue) -> String {
        guard allowed.contains(text) else {
            throw InvalidValue(expected: "one of " + allowed.joined(separator: ", "))
        }
        return text
    }

    /// `KEY=VALUE`; VALUE becomes JSON when it parses as JSON (`seed=42` is a
    /// number), else stays a string (`style_preset=photographic`).
    static func param(_ text: String) throws(InvalidValue) -> Param {
        guard let equals = text.firstIndex(of: "="), equals > text.startIndex else {
            throw InvalidValue(expected: "KEY=VALUE with a non-empty KEY (e.g. seed=42)")
        }
        let key = String(text[..<equals])
        let raw = String(text[text.index(after: equals)...])
        let value: JSON
        do {
            value = try JSON.parse(raw)
        } catch {
            value = .string(raw)
        }
        return Param(key: key, value: value)
    }

    static func isDigits<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
