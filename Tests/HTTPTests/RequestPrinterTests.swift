import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP

/// What `--dry-run` and `-v` print of a JSON body.
@Suite struct RequestPrinterTests {
    @Test func longBase64StringsAreShownAsTheirDecodedSize() {
        let image = [UInt8](repeating: 7, count: 301)
        let body = #"{"image":"\#(Base64.encode(image))","prompt":"a hat"}"#
        #expect(RequestPrinter.eliding(Array(body.utf8)) == #"{"image":"<base64, 301 bytes>","prompt":"a hat"}"#)
    }

    @Test func otherBodiesAreShownAsTheyAre() {
        let prose = String(repeating: "a long prompt ", count: 40)
        for body in [#"{"prompt":"\#(prose)"}"#, "not json " + prose, #"{"prompt":"short"}"#] {
            #expect(RequestPrinter.eliding(Array(body.utf8)) == body)
        }
    }
}
