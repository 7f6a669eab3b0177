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

        // Validated in the same pass: a bad symbol anywhere, or "=" out of place.
        for text in ["QUJD!!==", "QU=DQUJD", "QUJDQUJ*", "Q==="] {
            var bad = prefix + Array(text.utf8) + Array(#""}"#.utf8)
            #expect(!Base64.decodeInPlace(&bad, range: prefix.count..<(prefix.count + text.utf8.count)), "\(text)")
        }
    }

    /// An answer as the provider's parser leaves it: the lone image's base64
    /// a slice of the body.
    static func answer(base64: [UInt8]) throws -> (ProviderAnswer, body: [UInt8]) {
        let body = Array(#"{"data":[{"b64_json":""#.utf8) + base64 + Array(#""}]}"#.utf8)
        let json = try JSON.parse(body, largeStrings: 4096)
        guard case .bytes(let slice)? = json["data"]?.arrayValue?.first?["b64_json"] else {
            throw JSONParseError(offset: 0, reason: "no slice")
        }
        var answer = ProviderAnswer(images: [GeneratedImage()])
        answer.images[0].base64 = slice
        return (answer, body)
    }

    /// rgb.png with a text chunk of `size` bytes: a sound PNG of any size.
    static func largePNG(size: Int) throws -> [UInt8] {
        let text = String(repeating: "x", count: size)
        return try PNGText.adding([("filler", text)], to: Fixtures.bytes("rgb.png")).get().bytes
    }

    @Test func aLoneLargeImageIsDecodedInPlaceAndChecked() throws {
        let png = try Self.largePNG(size: 900_000)
        var (answer, body) = try Self.answer(base64: Base64.encodedBytes(png))
        let images = ImageCheck.check(&answer, body: &body, firstNumber: 1, provider: .openai)
        guard case .checked(let image)? = images.first, images.count == 1 else {
            Issue.record("\(images)")
            return
        }
        #expect(image.bytes == png)
        #expect(image.info.width == 7 && image.info.height == 5)
        #expect(body.isEmpty, "the body became the image")
        #expect(answer.images[0].base64 == nil)
        #expect(answer.images[0].decoded == png)
        #expect(answer.images[0].b64JSON == Base64.encode(png))
    }

    @Test func aLoneLargeImageThatIsNotBase64FailsInTheSamePass() throws {
        var text = Base64.encodedBytes(try Self.largePNG(size: 900_000))
        text[text.count / 2] = UInt8(ascii: "!")
        var (answer, body) = try Self.answer(base64: text)
        let images = ImageCheck.check(&answer, body: &body, firstNumber: 3, provider: .openai)
        #expect(images.count == 1)
        guard case .failed(let error)? = images.first else {
            Issue.record("\(images)")
            return
        }
        #expect(error == .badResponse(provider: .openai, message: "image 3: b64_json is not valid base64"))
        #expect(!answer.images[0].hasImageData)
    }

    @Test func smallOrSeveralImagesAreDecodedApartAndNumbered() throws {
        let png = Fixtures.bytes("rgb.png")
        var body = Array(#"{"data":[...]}"#.utf8)
        var answer = ProviderAnswer(images: [
            GeneratedImage(b64JSON: Base64.encode(png)), GeneratedImage(b64JSON: "not base64!"),
            GeneratedImage(url: "http://127.0.0.1:9/a.png"),
        ])
        let images = ImageCheck.check(&answer, body: &body, firstNumber: 2, provider: .azure)
        #expect(images.count == 3)
        if case .checked(let image)? = images[0] { #expect(image.bytes == png) } else { Issue.record("\(images[0])") }
        if case .failed(let error)? = images[1] {
            #expect(error == .badResponse(provider: .azure, message: "image 3: b64_json is not valid base64"))
        } else {
            Issue.record("\(images[1])")
        }
        #expect(images[2] == nil)
        #expect(!body.isEmpty, "small answers keep their body")
    }

    @Test func documentsArePrintedInPieces() {
        let big = JSON.object([("b64_json", .bytes(Array(repeating: UInt8(ascii: "A"), count: 200_000)[...]))])
        var pieces: [String] = []
        big.write(pretty: false) { pieces.append($0) }
        #expect(pieces.count > 2)
        #expect(pieces.joined() == big.text)
    }
}
