import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// Images decoded and validated once, before the output stage: a defect the
/// inspector finds becomes the provider's bad response (exit 7) for that image.
@Suite struct ImageCheckTests {
    func failure(_ prepared: PreparedImage?) -> ImageGenError? {
        if case .failed(let error)? = prepared { return error }
        return nil
    }

    func checked(_ prepared: PreparedImage?) -> CheckedImage? {
        if case .checked(let image)? = prepared { return image }
        return nil
    }

    @Test func aDefectIsTheProvidersBadResponseNamingTheImage() {
        let error = failure(
            ImageCheck.check(
                bytes: Fixtures.bytes("corrupt-crc.png"), label: "image 2",
                provider: .openai))
        #expect(error == .badResponse(provider: .openai, message: "image 2 is not a valid PNG: IDAT: CRC error"))
        #expect(error?.exitCode == 7)
        #expect(
            failure(ImageCheck.check(bytes: [], label: "the image", provider: .azure))
                == .badResponse(provider: .azure, message: "the image is not an image: no data"))
        #expect(
            failure(ImageCheck.check(bytes: Array(#"{"error":"nope"}"#.utf8), label: "image 2", provider: .openai))
                == .badResponse(
                    provider: .openai,
                    message: #"image 2 is not an image: unknown format (starts with "{"error":"nope"}")"#))
    }

    @Test func base64IsDecodedAndMeasured() throws {
        let bytes = Fixtures.bytes("rgb.png")
        let image = try #require(
            checked(
                ImageCheck.check(
                    GeneratedImage(b64JSON: Base64.encode(bytes)),
                    label: "image 1", provider: .openai)))
        #expect(image.bytes == bytes)
        #expect(
            image.info
                == ImageInfo(
                    format: .png, width: 7, height: 5, byteCount: 89,
                    png: PNGDetails(bitDepth: 8, colorType: 2, interlaced: false)))
        #expect(
            failure(ImageCheck.check(GeneratedImage(b64JSON: "not base64!"), label: "image 1", provider: .openai))
                == .badResponse(provider: .openai, message: "image 1: b64_json is not valid base64"))
    }

    @Test func aURLAnswerIsLeftForTheDownload() {
        #expect(
            ImageCheck.check(
                GeneratedImage(url: "http://127.0.0.1:9/a.png"), label: "image 1",
                provider: .openai) == nil)
    }
}
