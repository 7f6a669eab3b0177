import TestSupport
import Testing

@testable import ImageGenCore

@Suite struct Base64Tests {
    // RFC 4648 §10.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() {
        for (plain, encoded) in Self.vectors {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
            #expect(Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
        }
    }

    @Test func everyByteValueAndTheLastTwoSymbols() {
        let all = (0...255).map { UInt8($0) }
        #expect(Base64.decode(Base64.encode(all)) == all)
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
    }

    @Test func roundTripsEveryLengthUpTo100() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...100 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64.encode(bytes)
            #expect(text.utf8.count == (length + 2) / 3 * 4)
            #expect(Base64.decode(text) == bytes)
        }
    }

    @Test(arguments: [
        "Zg=", "Zg", "Z", "Zm9vY",  // length not a multiple of 4
        "Zg==Zg==", "Z===", "====", "=Zg=", "Zm=v",  // padding in the wrong place
        "Zm9v\n", "Zm 9v", " Zm9v", "Zm9v\r\n",  // whitespace is not skipped
        "Zm9-", "Zm9_", "Zm9*", "Z\u{e9}=", "Zm9\u{0}",  // URL-safe alphabet and others
    ])
    func rejects(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func largePayloadDecodes() {
        // 4 MiB keeps debug builds quick; the table path is the same at 48 MiB.
        let bytes = (0..<(4 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let text = Base64.encode(bytes)
        #expect(Base64.decode(text) == bytes)
        #expect(Base64.decode(String(text.dropLast()) + "*") == nil)
    }
}
