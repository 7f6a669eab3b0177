import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenImaging

/// Text chunks spliced into PNGs and read back with libpng. The metadata
/// imagegen writes (keys, order, values) is checked in OutputTests.
@Suite struct PNGTextTests {
    @Test func asciiTextIsTEXtAndUnicodeIsITXt() throws {
        let labelled = try PNGText.adding(
            [("model", "dall-e-3"), ("prompt", "café")],
            to: Fixtures.bytes("rgb.png")
        ).get().bytes
        let types = chunkTypes(labelled)
        #expect(types == ["IHDR", "tEXt", "iTXt", "IDAT", "IEND"])
    }

    @Test func existingChunksAreKeptButOurKeysReplaced() throws {
        let once = try PNGText.adding(
            [("prompt", "old"), ("Software", "someone else")],
            to: Fixtures.bytes("palette.png")
        ).get().bytes
        let twice = try PNGText.adding([("prompt", "new")], to: once).get().bytes
        let read = try PNGLibrary.readText(twice).get()
        #expect(read.filter { $0.key == "prompt" }.map(\.value) == ["new"])
        #expect(read.contains { $0.key == "Software" && $0.value == "someone else" })
        #expect(chunkTypes(twice).contains("PLTE"))
    }

    @Test func nulCharactersAreDropped() throws {
        let labelled = try PNGText.adding([("prompt", "a\u{0}b")], to: Fixtures.bytes("rgb.png")).get().bytes
        #expect(try PNGLibrary.readText(labelled).get().first?.value == "ab")
    }

    @Test func brokenPNGsAreRefused() {
        for name in ["truncated.png", "corrupt-crc.png"] {
            if case .success = PNGLibrary.readText(Fixtures.bytes(name)) { Issue.record("\(name) read") }
        }
        if case .success = PNGText.adding([("a", "b")], to: Array("not a png".utf8)) { Issue.record("accepted") }
    }

    func chunkTypes(_ png: [UInt8]) -> [String] {
        var types: [String] = []
        var offset = 8
        while offset + 8 <= png.count {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            types.append(String(decoding: png[offset + 4..<offset + 8], as: UTF8.self))
            offset += 12 + length
        }
        return types
    }
}
