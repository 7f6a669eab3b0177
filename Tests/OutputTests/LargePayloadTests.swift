import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// The memory path for large images: base64 kept as slices of the body, then
/// decoded in place; documents printed in pieces.
@Suite struct LargePayloadTests {
    @Test func largeEscapeFreeStringsStaySlicesOfTheBody() throws {
        let payload = String(repeating: "QUJD", count: 2_000)
        let body = Array(#"{"data":[{"b64_json":"\#(payload)","revised_prompt":"a \"b\""}]}"#.utf8)
        let json = try JSON.parse(body, largeStrings: 4096)
        guard case .bytes(let slice)? = json["data"]?.arrayValue?.first?["b64_json"] else {
            Issue.record("expected a byte slice")
            return
        }
        #expect(slice.count == payload.utf8.count)
        #expect(json["data"]?.arrayValue?.first?["revised_prompt"] == .string("a \"b\""))
        #expect(json.text == String(decoding: body, as: UTF8.self))
        // Small strings and strings with escapes stay ordinary strings.
        #expect(try JSON.parse(Array(#""abc""#.utf8), largeStrings: 2) == .string("abc"))
        #expect(try JSON.parse(Array(#""a\nbcdef""#.utf8), largeStrings: 2) == .string("a\nbcdef"))
    }

    @Test func decodesInPlaceAtTheFrontOfTheBuffer() {
        let image: [UInt8] = (0..<3_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let prefix = Array(#"{"b64_json":""#.utf8)
        var buffer = prefix + Base64.encodedBytes(image) + Array(#""}"#.utf8)
        let range = prefix.count..<(buffer.count - 2)
        #expect(Base64.decodeInPlace(&buffer, range: range))
        #expect(buffer == image)

        var bad = prefix + Array("QUJD!!==".utf8) + Array(#""}"#.utf8)
        let original = bad
        #expect(!Base64.decodeInPlace(&bad, range: prefix.count..<(prefix.count + 8)))
        #expect(bad == original, "a failed decode leaves the buffer untouched")
    }

    @Test func aLoneLargeImageIsDecodedInPlace() {
        let image = [UInt8](repeating: 0xAB, count: 1 << 20)
        var body = Array(#"{"data":[{"b64_json":""#.utf8) + Base64.encodedBytes(image) + Array(#""}]}"#.utf8)
        guard case .object(let members)? = try? JSON.parse(body, largeStrings: 4096),
            case .array(let items) = members[0].1, case .bytes(let slice)? = items[0]["b64_json"]
        else {
            Issue.record("parse failed")
            return
        }
        var answer = ProviderAnswer(images: [GeneratedImage()])
        answer.images[0].base64 = slice
        ImageCheck.decodeInPlace(&answer, body: &body)
        #expect(answer.images[0].base64 == nil)
        #expect(answer.images[0].decoded == image)
        #expect(answer.images[0].b64JSON == Base64.encode(image))
    }

    @Test func documentsArePrintedInPieces() {
        let big = JSON.object([("b64_json", .bytes(Array(repeating: UInt8(ascii: "A"), count: 200_000)[...]))])
        var pieces: [String] = []
        big.write(pretty: false) { pieces.append($0) }
        #expect(pieces.count > 2)
        #expect(pieces.joined() == big.text)
    }
}
