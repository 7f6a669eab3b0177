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
}
