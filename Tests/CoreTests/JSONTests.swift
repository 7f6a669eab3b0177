import TestSupport
import Testing

@testable import ImageGenCore

@Suite struct JSONTests {
    @Test func roundTripsKeyOrder() throws {
        let value = try JSON.parse(#"{"b":1,"a":[true,null,"x\n\u00e9"],"c":-1.5e3}"#)
        #expect(value.text == #"{"b":1,"a":[true,null,"x\né"],"c":-1.5e3}"#)
    }

    @Test func rejectsTrailingGarbage() {
        #expect(throws: JSONParseError.self) { try JSON.parse("{} x") }
        #expect(throws: JSONParseError.self) { try JSON.parse("[1,]") }
        #expect(throws: JSONParseError.self) { try JSON.parse("01") }
        #expect(throws: JSONParseError.self) { try JSON.parse("\"\\ud800\"") }
    }

    @Test func surrogatePairs() throws {
        #expect(try JSON.parse(#""\ud83e\udda6""#) == .string("🦦"))
    }

    /// Large strings are scanned eight bytes at a time: whatever stops the
    /// scan (a quote, an escape, a control character) and whatever needs a
    /// UTF-8 check, at any position, gives what the byte-by-byte parse gives.
    @Test func largeStringScanAgreesWithTheByteParserAtEveryPosition() {
        let specials: [[UInt8]] = [
            [0x22], [0x5C, 0x6E], [0x0A], [0x1F], [0x00], Array("é".utf8), [0xFF], [0xC3], [0x7F], [0x20],
        ]
        for special in specials {
            for position in 0..<40 {
                var text = [UInt8](repeating: UInt8(ascii: "A"), count: 48)
                text.replaceSubrange(position..<position + special.count, with: special)
                let document = Array(#"{"k":""#.utf8) + text + Array(#""}"#.utf8)
                let fast = Result { () throws(JSONParseError) -> JSON in try JSON.parse(document, largeStrings: 16) }
                let reference = Result { () throws(JSONParseError) -> JSON in try JSON.parse(document) }
                switch (fast, reference) {
                case (.success(let a), .success(let b)): #expect(a == b, "\(special) at \(position)")
                // The offsets differ for invalid UTF-8 (the large path names the
                // string's start, the other its end), as they did before.
                case (.failure(let a), .failure(let b)): #expect(a.reason == b.reason, "\(special) at \(position)")
                default: Issue.record("\(special) at \(position): \(fast) vs \(reference)")
                }
            }
        }
    }
}
