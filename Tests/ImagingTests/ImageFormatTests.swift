import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenImaging

/// Expected values come from the fixture generator's table, which it checks
/// against ImageMagick's `identify` (see Fixtures/EXPECTED.txt).
struct ImageFixtureFacts: Sendable, CustomTestStringConvertible {
    var name: String
    var format: ImageFormat
    var width: Int
    var height: Int
    var bytes: Int
    var png: PNGDetails? = nil
    var testDescription: String { name }
}

@Suite struct ImageFormatTests {
    static let fixtures: [ImageFixtureFacts] = [
        .init(
            name: "rgb.png", format: .png, width: 7, height: 5, bytes: 89,
            png: .init(bitDepth: 8, colorType: 2, interlaced: false)),
        .init(
            name: "rgba.png", format: .png, width: 6, height: 9, bytes: 90,
            png: .init(bitDepth: 8, colorType: 6, interlaced: false)),
        .init(
            name: "gray.png", format: .png, width: 10, height: 3, bytes: 89,
            png: .init(bitDepth: 8, colorType: 0, interlaced: false)),
        .init(
            name: "gray-alpha.png", format: .png, width: 3, height: 4, bytes: 93,
            png: .init(bitDepth: 8, colorType: 4, interlaced: false)),
        .init(
            name: "palette.png", format: .png, width: 13, height: 4, bytes: 106,
            png: .init(bitDepth: 2, colorType: 3, interlaced: false)),
        .init(
            name: "rgb16.png", format: .png, width: 5, height: 6, bytes: 88,
            png: .init(bitDepth: 16, colorType: 2, interlaced: false)),
        .init(
            name: "interlaced.png", format: .png, width: 17, height: 11, bytes: 154,
            png: .init(bitDepth: 8, colorType: 2, interlaced: true)),
        .init(name: "photo.jpg", format: .jpeg, width: 320, height: 24, bytes: 2171),
        .init(name: "progressive.jpg", format: .jpeg, width: 21, height: 8, bytes: 613),
        .init(name: "lossy.webp", format: .webp, width: 301, height: 7, bytes: 864),
        .init(name: "lossless.webp", format: .webp, width: 9, height: 14, bytes: 74),
        .init(name: "alpha.webp", format: .webp, width: 12, height: 10, bytes: 168),
        .init(name: "image.gif", format: .gif, width: 260, height: 3, bytes: 314),
    ]

    @Test(arguments: fixtures)
    func detectsAndMeasures(_ facts: ImageFixtureFacts) throws {
        let bytes = Fixtures.bytes(facts.name)
        #expect(ImageFormat.detect(bytes) == facts.format)
        let info = try ImageInspector.inspect(bytes)
        #expect(
            info
                == ImageInfo(
                    format: facts.format, width: facts.width, height: facts.height,
                    byteCount: facts.bytes, png: facts.png))
    }

    @Test func fileExtensions() {
        #expect(ImageFormat.allCases.map(\.fileExtension) == ["png", "jpg", "webp", "gif"])
        #expect(ImageFormat.allCases.map(\.rawValue) == ["png", "jpeg", "webp", "gif"])
    }

    @Test func detectRejectsOtherData() {
        #expect(ImageFormat.detect([]) == nil)
        #expect(ImageFormat.detect(Array("<html>".utf8)) == nil)
        #expect(ImageFormat.detect([0x89, 0x50, 0x4E, 0x47]) == nil)  // signature cut short
        #expect(ImageFormat.detect(Array("RIFF\0\0\0\0WAVE".utf8)) == nil)
    }

    /// Why `bytes` are refused, or nil when they are a sound image.
    func defect(_ bytes: [UInt8]) -> ImageDefect? {
        do {
            _ = try ImageInspector.inspect(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func notAnImageIsADefect() {
        #expect(
            defect(Array(#"{"error":"nope"}"#.utf8))?.message(about: "image 2")
                == #"image 2 is not an image: unknown format (starts with "{"error":"nope"}")"#)
        #expect(defect([])?.message(about: "the image") == "the image is not an image: no data")
    }

    @Test func jpegWalkStopsAtScanWithoutFrame() {
        // SOI, APP0 of length 4, then SOS: no SOFn before the scan.
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0xAA, 0xBB, 0xFF, 0xDA, 0x00, 0x02]
        #expect(
            defect(bytes)?.message(about: "image 1")
                == "image 1 is not a valid JPEG: a scan starts before the frame header")
    }

    @Test func truncatedHeadersAreRejected() {
        let jpeg = Fixtures.bytes("photo.jpg")
        let webp = Fixtures.bytes("lossy.webp")
        let gif = Fixtures.bytes("image.gif")
        for broken in [Array(jpeg.prefix(30)), Array(webp.prefix(webp.count - 1)), Array(gif.prefix(11))] {
            #expect(throws: ImageDefect.self) { try ImageInspector.inspect(broken) }
        }
        // A segment length that runs past the end.
        #expect(throws: ImageDefect.self) {
            try ImageInspector.inspect([0xFF, 0xD8, 0xFF, 0xE0, 0x10, 0x00, 0x00])
        }
    }
}

@Suite struct PNGValidationTests {
    /// The defect's text for "image 2", or nil when libpng accepts the whole file.
    /// (How a defect becomes a provider's bad response is checked in OutputTests.)
    func message(_ bytes: [UInt8]) -> String? {
        do {
            _ = try ImageInspector.inspect(bytes)
            return nil
        } catch {
            return error.message(about: "image 2")
        }
    }

    @Test func truncatedPNG() {
        #expect(
            message(Fixtures.bytes("truncated.png"))
                == "image 2 is not a valid PNG: image data ends early (truncated PNG)")
    }

    @Test func corruptCRC() {
        #expect(message(Fixtures.bytes("corrupt-crc.png")) == "image 2 is not a valid PNG: IDAT: CRC error")
    }

    @Test func corruptCompressedData() throws {
        let text = try #require(message(Fixtures.bytes("corrupt-idat.png")))
        // zlib's own words follow, e.g. "invalid distance too far back".
        #expect(text.hasPrefix("image 2 is not a valid PNG: IDAT: "))
        #expect(text.count > "image 2 is not a valid PNG: IDAT: ".count)
    }

    @Test func signatureOnlyAndCutAfterEveryChunk() {
        let good = Fixtures.bytes("rgb.png")
        #expect(message(Array(good.prefix(8))) != nil)
        // Whole decode means even a file missing only IEND is refused.
        for cut in [33, 50, good.count - 12, good.count - 1] {
            #expect(message(Array(good.prefix(cut))) != nil, "cut at \(cut)")
        }
        #expect(message(good) == nil)
    }

    @Test func brokenIHDR() {
        var bytes = Fixtures.bytes("rgb.png")
        bytes[16...19] = [0, 0, 0, 0]  // width 0
        #expect(message(bytes)?.hasPrefix("image 2 is not a valid PNG: ") == true)
    }
}
