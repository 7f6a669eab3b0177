import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// The metadata imagegen writes into PNGs: keys, order and values, read back
/// with libpng, and the pixels left exactly as they were.
@Suite struct ImageMetadataTests {
    static let pngFixtures = [
        "rgb.png", "rgba.png", "gray.png", "gray-alpha.png", "palette.png", "rgb16.png",
        "interlaced.png",
    ]

    static let metadata = ImageMetadata(
        prompt: "a cute baby sea otter, ünïcödé 🦦", model: "dall-e-3", provider: .openai,
        parameters: .object([("size", .string("1024x1024")), ("n", .int(2)), ("seed", .int(42))]),
        created: 1_703_658_209)

    static func pixels(_ png: [UInt8]) throws -> RGBAImage {
        try PNGLibrary.decodeRGBA(png, maxPixels: 1 << 26).get()
    }

    @Test func anEditRecordsItsOperationAndSources() throws {
        var metadata = Self.metadata
        metadata.sources = [
            InputImage(filename: "a.png", contentType: "image/png", bytes: [1], sha256: "aa"),
            InputImage(filename: "b \"c\".jpg", contentType: "image/jpeg", bytes: [2], sha256: "bb"),
        ]
        let entries = metadata.entries(revisedPrompt: "revised")
        #expect(
            entries.map(\.key) == [
                "prompt", "model", "provider", "revised_prompt", "operation", "sources", "parameters", "created",
                "imagegen",
            ])
        #expect(entries[4].value == "edit")
        #expect(entries[5].value == #"[{"name":"a.png","sha256":"aa"},{"name":"b \"c\".jpg","sha256":"bb"}]"#)
        // A generation has neither.
        #expect(!Self.metadata.entries(revisedPrompt: nil).contains { $0.key == "operation" || $0.key == "sources" })
    }

    @Test(arguments: pngFixtures)
    func everyKeyReadsBackWithLibpngAndPixelsAreUnchanged(_ name: String) throws {
        let original = Fixtures.bytes(name)
        let entries = Self.metadata.entries(revisedPrompt: "A sea otter floating — on its back")
        let labelled = try PNGText.adding(entries, to: original).get().bytes

        let read = try PNGLibrary.readText(labelled).get()
        #expect(
            read.map(\.key) == [
                "prompt", "model", "provider", "revised_prompt", "parameters", "created",
                "imagegen",
            ])
        #expect(read.map(\.value) == entries.map(\.value))
        #expect(read.first?.value == "a cute baby sea otter, ünïcödé 🦦")
        #expect(read[4].value == #"{"size":"1024x1024","n":2,"seed":42}"#)
        #expect(read[5].value == "2023-12-27T06:23:29Z")
        #expect(read[6].value == ImageGenVersion.current)

        // Lossless: the same header and the same decoded pixels, byte for byte.
        #expect(try PNGLibrary.validate(labelled).get() == PNGLibrary.validate(original).get())
        #expect(try Self.pixels(labelled) == Self.pixels(original))
        #expect(labelled.count > original.count)
    }

    @Test func parametersAreTheOptionsGivenWithAParamReplacingAnOptionInPlace() {
        let parameters = GenerationParameters(
            n: 2, size: "1024x1024", quality: "hd",
            extra: [Param(key: "seed", value: .int(1)), Param(key: "quality", value: .string("standard"))])
        #expect(
            ImageMetadata.parameters(parameters).text
                == #"{"n":2,"size":"1024x1024","quality":"standard","seed":1}"#)
        #expect(ImageMetadata.parameters(GenerationParameters()).text == "{}")
        #expect(!Self.metadata.entries(revisedPrompt: nil).contains { $0.key == "revised_prompt" })
    }

    @Test func theOutputStageLabelsPNGsAndReportsTheWrittenSize() throws {
        let directory = ScratchDirectory()
        defer { directory.remove() }
        let png = Fixtures.bytes("rgba.png")
        let result = GenerationResult.outputTest([
            GeneratedImage(
                b64JSON: Base64.encode(png),
                revisedPrompt: "revised")
        ])
        let images = [try #require(ImageCheck.check(result.images[0], label: "image 1", provider: .openai))]
        let standardOutput = CapturedIO().io.standardOutput
        let plan = try OutputPlan(output: .outputTest(directory.sub("a.png")), request: GenerationRequest(prompt: "p"))
        let outcomes = OutputStage.write(
            result, images: images, plan: plan,
            options: .outputTest(directory.sub("a.png")), metadata: Self.metadata,
            standardOutput: standardOutput)
        let written = try #require(directory.contents("a.png"))
        #expect(outcomes.first?.savedImage?.info?.byteCount == written.count)
        #expect(try PNGLibrary.readText(written).get().contains { $0 == ("revised_prompt", "revised") })
        #expect(try Self.pixels(written) == Self.pixels(png))

        let plain = try OutputPlan(output: .outputTest(directory.sub("b.png")), request: GenerationRequest(prompt: "p"))
        _ = OutputStage.write(
            result, images: images, plan: plain, options: .outputTest(directory.sub("b.png")),
            standardOutput: standardOutput)
        #expect(directory.contents("b.png") == png)
    }
}
