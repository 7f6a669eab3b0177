import Foundation
import Testing
@testable import ImageGenCore
@testable import ImageGenImaging
import TestSupport

@Suite struct PNGMetadataTests {
    static let pngFixtures = ["rgb.png", "rgba.png", "gray.png", "gray-alpha.png", "palette.png", "rgb16.png",
                              "interlaced.png"]

    static let metadata = ImageMetadata(
        prompt: "a cute baby sea otter, ünïcödé 🦦", model: "dall-e-3", provider: .openai,
        parameters: .object([("size", .string("1024x1024")), ("n", .int(2)), ("seed", .int(42))]),
        created: 1_703_658_209)

    @Test(arguments: pngFixtures)
    func everyKeyReadsBackWithLibpngAndPixelsAreUnchanged(_ name: String) throws {
        let original = Fixtures.bytes(name)
        let entries = Self.metadata.entries(revisedPrompt: "A sea otter floating — on its back")
        let labelled = try PNGText.adding(entries, to: original).get().bytes

        let read = try PNGText.read(labelled).get()
        #expect(read.map(\.key) == ["prompt", "model", "provider", "revised_prompt", "parameters", "created",
                                    "imagegen"])
        #expect(read.map(\.value) == entries.map(\.value))
        #expect(read.first?.value == "a cute baby sea otter, ünïcödé 🦦")
        #expect(read[4].value == #"{"size":"1024x1024","n":2,"seed":42}"#)
        #expect(read[5].value == "2023-12-27T06:23:29Z")
        #expect(read[6].value == ImageGenVersion.current)

        // Lossless: the same header and the same decoded rows, byte for byte.
        #expect(try PNGValidator.validate(labelled).get() == PNGValidator.validate(original).get())
        #expect(try PNGText.rows(labelled).get() == PNGText.rows(original).get())
        #expect(labelled.count > original.count)
    }

    @Test func asciiTextIsTEXtAndUnicodeIsITXt() throws {
        let labelled = try PNGText.adding([("model", "dall-e-3"), ("prompt", "café")],
                                          to: Fixtures.bytes("rgb.png")).get().bytes
        let types = chunkTypes(labelled)
        #expect(types == ["IHDR", "tEXt", "iTXt", "IDAT", "IEND"])
    }

    @Test func existingChunksAreKeptButOurKeysReplaced() throws {
        let once = try PNGText.adding([("prompt", "old"), ("Software", "someone else")],
                                      to: Fixtures.bytes("palette.png")).get().bytes
        let twice = try PNGText.adding([("prompt", "new")], to: once).get().bytes
        let read = try PNGText.read(twice).get()
        #expect(read.filter { $0.key == "prompt" }.map(\.value) == ["new"])
        #expect(read.contains { $0.key == "Software" && $0.value == "someone else" })
        #expect(chunkTypes(twice).contains("PLTE"))
    }

    @Test func nulCharactersAreDropped() throws {
        let labelled = try PNGText.adding([("prompt", "a\u{0}b")], to: Fixtures.bytes("rgb.png")).get().bytes
        #expect(try PNGText.read(labelled).get().first?.value == "ab")
    }

    @Test func brokenPNGsAreRefused() {
        for name in ["truncated.png", "corrupt-crc.png"] {
            if case .success = PNGText.read(Fixtures.bytes(name)) { Issue.record("\(name) read") }
        }
        if case .success = PNGText.adding([("a", "b")], to: Array("not a png".utf8)) { Issue.record("accepted") }
    }

    @Test func parametersAreTheOptionsGivenWithParamsLast() {
        let request = GenerationRequest(prompt: "p", model: "dall-e-3", n: 2, size: "1024x1024", quality: "hd",
                                        extraParams: [("seed", .int(1)), ("quality", .string("standard"))])
        #expect(ImageMetadata.parameters(of: request).text
            == #"{"n":2,"size":"1024x1024","seed":1,"quality":"standard"}"#)
        let bare = GenerationRequest(prompt: "p", model: "dall-e-2")
        #expect(ImageMetadata.parameters(of: bare).text == "{}")
        #expect(!Self.metadata.entries(revisedPrompt: nil).contains { $0.key == "revised_prompt" })
    }

    @Test func theOutputStageLabelsPNGsAndReportsTheWrittenSize() throws {
        let directory = ScratchDirectory()
        defer { directory.remove() }
        let png = Fixtures.bytes("rgba.png")
        let result = GenerationResult.outputTest([GeneratedImage(b64JSON: Base64.encode(png),
                                                                 revisedPrompt: "revised")])
        let plan = try OutputPlan(output: .outputTest(directory.sub("a.png")),
                                  request: GenerationRequest(prompt: "p", model: "dall-e-3"))
        let outcomes = OutputStage.process(result, plan: plan, options: .outputTest(directory.sub("a.png")),
                                           metadata: Self.metadata, download: outputTestRefuseDownload)
        let written = try #require(directory.contents("a.png"))
        #expect(outcomes.first?.savedImage?.info?.byteCount == written.count)
        #expect(try PNGText.read(written).get().contains { $0 == ("revised_prompt", "revised") })
        #expect(try PNGText.rows(written).get() == PNGText.rows(png).get())

        let plain = try OutputPlan(output: .outputTest(directory.sub("b.png")),
                                   request: GenerationRequest(prompt: "p", model: "dall-e-3"))
        _ = OutputStage.process(result, plan: plain, options: .outputTest(directory.sub("b.png")),
                                download: outputTestRefuseDownload)
        #expect(directory.contents("b.png") == png)
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
