import Testing

@testable import ImageGenCore

/// `--since`'s days and ISO 8601 times, as Unix seconds.
@Suite struct TimestampTests {
    static let november29 = 1_795_910_400  // 2026-11-29T00:00:00Z

    @Test func aDayIsItsUTCMidnight() {
        #expect(Timestamp.parse("2026-11-29") == Self.november29)
        #expect(Timestamp.parse("1970-01-01") == 0)
        #expect(Timestamp.parse("2024-02-29") == 1_709_164_800)
        #expect(Timestamp.parse("2000-03-01") == 951_868_800)
    }

    @Test func timesWithAndWithoutZone() {
        let half = Self.november29 + 10 * 3600 + 30 * 60
        for text in [
            "2026-11-29T10:30Z", "2026-11-29T10:30:00Z", "2026-11-29t10:30:00z", "2026-11-29 10:30",
            "2026-11-29T10:30:00.999Z", "2026-11-29T11:30:00+01:00", "2026-11-29T05:30-0500", "2026-11-29T10:30:00",
        ] {
            #expect(Timestamp.parse(text) == half, "\(text)")
        }
        #expect(Timestamp.parse("2026-11-29T10:30:15Z") == half + 15)
    }

    @Test func nonsenseIsNil() {
        for text in [
            "", "2026", "2026-11", "2026-11-31", "2025-02-29", "2026-00-10", "26-11-29", "2026-11-29T",
            "2026-11-29T10", "2026-11-29T1030", "2026-11-29T24:00Z", "2026-11-29T10:61Z", "2026-11-29T10:30:00.Z",
            "2026-11-29T10:30+1", "2026-11-29T10:30Zulu", "2026-11-29X10:30", "yesterday",
        ] {
            #expect(Timestamp.parse(text) == nil, "\(text)")
        }
    }
}
