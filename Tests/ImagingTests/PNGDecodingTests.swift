import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenImaging

/// Any PNG decoded to 8-bit RGBA by libpng. Expected values come from Pillow
/// (Fixtures/pixels.json, written by make_fixtures.py), never from our code.
@Suite struct PNGDecodingTests {
    struct Expected: Decodable, Sendable {
        var width: Int
        var height: Int
        var rgba: String
    }

    static let table: [String: Expected] = {
        let data = Data(Fixtures.bytes("pixels.json"))
        return try! JSONDecoder().decode([String: Expected].self, from: data)
    }()

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func decode(_ png: [UInt8]) -> Result<RGBAImage, PNGError> {
        PNGLibrary.decodeRGBA(png, maxPixels: 1 << 26)
    }

    @Test(arguments: table.keys.sorted())
    func decodesLikePillow(_ name: String) throws {
        let expected = try #require(Self.table[name])
        let image = try Self.decode(Fixtures.bytes(name)).get()
        #expect(image.width == expected.width && image.height == expected.height)
        #expect(Self.hex(image.pixels) == expected.rgba)
    }

    @Test func everyKindOfPNGIsInTheTable() {
        let kinds = [
            "rgb.png", "rgba.png", "gray.png", "gray-alpha.png", "palette.png", "rgb16.png",
            "interlaced.png", "palette-trns.png", "rgb-trns.png", "gray1.png",
        ]
        #expect(kinds.allSatisfy { Self.table[$0] != nil })
    }

    @Test(arguments: ["truncated.png", "corrupt-crc.png", "corrupt-idat.png", "photo.jpg"])
    func brokenOrOtherDataIsRefusedWithLibpngsReason(_ name: String) {
        guard case .failure(let error) = Self.decode(Fixtures.bytes(name)) else {
            Issue.record("\(name) decoded")
            return
        }
        #expect(!error.message.isEmpty)
    }

    @Test func emptyInputIsRefused() {
        #expect(throws: PNGError.self) { try Self.decode([]).get() }
    }
}
