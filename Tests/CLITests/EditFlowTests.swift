import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// `imagegen edit`, in-process: the form the transport is handed, the
/// checks made on the input files before anything is sent, and what is
/// written from the answer.
@Suite struct EditFlowTests {
    static let answer = Fixtures.bytes("rgb.png")
    static let photo = TestPNG.make(width: 8, height: 8)
    static let wide = TestPNG.make(width: 12, height: 8, fill: 0x70)
    static let mask = TestPNG.make(width: 8, height: 8, colorType: 6, fill: 0)

    /// Input files in a directory of their own, so the run's `DIR/` holds only what it wrote.
    final class Inputs {
        let scratch = ScratchDirectory()
        init(_ files: [String: [UInt8]]) {
            for (name, bytes) in files { scratch.write(name, bytes) }
        }
        deinit { scratch.remove() }
        func path(_ name: String) -> String { scratch.sub(name) }
    }

    static func parts(_ request: HTTPRequest) -> [MultipartPart] { request.parts ?? [] }

    static func text(_ parts: [MultipartPart], _ name: String) -> String? {
        for part in parts where part.name == name { if case .text(let text) = part.value { return text } }
        return nil
    }

    @Test func severalImagesAndAMaskGoOutAsOneForm() throws {
        let inputs = Inputs(["photo.png": Self.photo, "wide.png": Self.wide, "mask.png": Self.mask])
        let run = InProcessRun([
            "edit", "-m", "gpt-image-2", "--image", inputs.path("photo.png"), "--image", inputs.path("wide.png"),
            "--mask", inputs.path("mask.png"), "--quality", "low", "-o", "DIR/out.png", "add", "a", "hat",
        ]) { _, _ in .openAIImages([Self.answer]) }
        #expect(run.status == 0, "\(run.stderr)")
        try #require(run.sent.count == 1)
        let request = run.sent[0]
        #expect(request.url == "https://api.openai.com/v1/images/edits")
        #expect(request.header("authorization") == "Bearer \(InProcessRun.key)")
        // libcurl writes the form's Content-Type, with its boundary.
        #expect(request.header("content-type") == nil)
        let parts = Self.parts(request)
        #expect(parts.map(\.name) == ["image[]", "image[]", "mask", "model", "prompt", "quality"])
        #expect(
            parts[0].value
                == .file(
                    filename: "photo.png", contentType: "image/png", bytes: Self.photo,
                    sha256: Crypto.sha256Hex(Self.photo)))
        #expect(
            parts[1].value
                == .file(
                    filename: "wide.png", contentType: "image/png", bytes: Self.wide,
                    sha256: Crypto.sha256Hex(Self.wide)))
        #expect(
            parts[2].value
                == .file(
                    filename: "mask.png", contentType: "image/png", bytes: Self.mask,
                    sha256: Crypto.sha256Hex(Self.mask)))
        #expect(Self.text(parts, "model") == "gpt-image-2")
        #expect(Self.text(parts, "prompt") == "add a hat")
        #expect(Self.text(parts, "quality") == "low")
        #expect(run.files == ["out.png"])

        let bytes = try #require(run.scratch.contents("out.png"))
        let written = try #require(PNGFile(Data(bytes)))
        #expect(written.text["operation"] == "edit")
        let sourcesText = try #require(written.text["sources"])
        let sources = try JSON.parse(Array(sourcesText.utf8))
        #expect(
            sources
                == .array([
                    .object([("name", .string("photo.png")), ("sha256", .string(Crypto.sha256Hex(Self.photo)))]),
                    .object([("name", .string("wide.png")), ("sha256", .string(Crypto.sha256Hex(Self.wide)))]),
                ]))
        let inspected = try FileInspection.inspect(run.path("out.png"))
        let keys = inspected.metadata.map(\.key)
        #expect(keys == ["prompt", "model", "provider", "operation", "sources", "parameters", "created", "imagegen"])
    }

    @Test func oneImageIsSentAsImageWithItsSniffedType() throws {
        // A JPEG named .png: the type comes from the bytes, the name is only the base name.
        let jpeg = Fixtures.bytes("photo.jpg")
        let inputs = Inputs(["holiday.png": jpeg])
        let run = InProcessRun([
            "edit", "-m", "gpt-image-2", "--image", inputs.path("holiday.png"), "-n", "2", "-o", "DIR/", "a kite",
        ]) { _, _ in .openAIImages([Self.answer, Self.answer]) }
        #expect(run.status == 0, "\(run.stderr)")
        let parts = Self.parts(try #require(run.sent.first))
        #expect(parts.map(\.name) == ["image", "model", "prompt", "n"])
        #expect(
            parts[0].value
                == .file(
                    filename: "holiday.png", contentType: "image/jpeg", bytes: jpeg, sha256: Crypto.sha256Hex(jpeg)))
        #expect(Self.text(parts, "n") == "2")
        #expect(run.files.count == 2)
    }

    @Test func jsonAndStandardOutputWorkAsForAGeneration() throws {
        let inputs = Inputs(["photo.png": Self.photo])
        let json = InProcessRun([
            "edit", "-m", "gpt-image-2", "--image", inputs.path("photo.png"), "--json", "-o", "DIR/", "a hat",
        ]) { _, _ in .openAIImages([Self.answer]) }
        #expect(json.status == 0, "\(json.stderr)")
        let document = try JSON.parse(Array(json.stdout.utf8))
        let item = try #require(document["data"]?.arrayValue?.first)
        #expect(item["file"]?.stringValue == json.path("a-hat.png"))
        #expect(item["format"]?.stringValue == "png")

        let piped = InProcessRun(["edit", "-m", "gpt-image-2", "--image", inputs.path("photo.png"), "-o", "-", "a hat"])
        {
            _, _ in .openAIImages([Self.answer])
        }
        #expect(piped.status == 0, "\(piped.stderr)")
        #expect(Array(piped.captured.standardOutputBytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        #expect(piped.files.isEmpty)
    }

    @Test func dryRunSummarisesEachPartAndSendsNothing() throws {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun([
            "edit", "--dry-run", "-m", "gpt-image-2", "--image", inputs.path("photo.png"),
            "--user", InProcessRun.key, "a hat",
        ]) { _, _ in .status(500) }
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.isEmpty)
        #expect(
            run.stdout == """
                > POST https://api.openai.com/v1/images/edits
                > Authorization: Bearer [REDACTED]
                > Accept: application/json
                >
                [part] image; filename=photo.png; type=image/png; \(Self.photo.count) bytes; sha256=\(Crypto.sha256Hex(Self.photo))
                [part] model=gpt-image-2
                [part] prompt=a hat
                [part] user=[REDACTED]

                """)
    }

    @Test func verboseShowsTheFormSummarisedNotItsBytes() throws {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun([
            "edit", "-v", "-m", "gpt-image-2", "--image", inputs.path("photo.png"), "-o", "DIR/", "a hat",
        ]) { _, _ in .openAIImages([Self.answer]) }
        #expect(run.status == 0)
        #expect(run.stderr.contains("[part] image; filename=photo.png; type=image/png; \(Self.photo.count) bytes"))
        #expect(!run.stderr.contains("IHDR"))
    }

    @Test func azureEditsGoBesideItsGenerations() throws {
        let inputs = Inputs(["photo.png": Self.photo])
        let environment = ["AZURE_API_KEY": "azure-key-1234", "AZURE_API_BASE": "https://res.openai.azure.com"]
        let deployment = InProcessRun(
            ["edit", "-m", "azure/painter", "--image", inputs.path("photo.png"), "-o", "DIR/", "a hat"],
            environment: environment
        ) { _, _ in .openAIImages([Self.answer]) }
        #expect(deployment.status == 0, "\(deployment.stderr)")
        let request = try #require(deployment.sent.first)
        #expect(
            request.url.hasPrefix("https://res.openai.azure.com/openai/deployments/painter/images/edits?api-version="))
        #expect(request.header("api-key") == "azure-key-1234")
        // The deployment picks the model; `model` is not a part.
        #expect(Self.parts(request).map(\.name) == ["image", "prompt"])

        let v1 = InProcessRun(
            [
                "edit", "-m", "azure/painter", "--api-version", "v1", "--image", inputs.path("photo.png"), "-o", "DIR/",
                "a hat",
            ], environment: environment
        ) { _, _ in .openAIImages([Self.answer]) }
        #expect(v1.status == 0, "\(v1.stderr)")
        #expect(v1.sent.first?.url == "https://res.openai.azure.com/openai/v1/images/edits")
        #expect(Self.parts(try #require(v1.sent.first)).map(\.name) == ["image", "model", "prompt"])
    }

    @Test func aBedrockModelWithoutEditsIsAUsageErrorWithNothingSent() {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun([
            "edit", "-m", "bedrock/stability.sd3-5-large-v1:0", "--image", inputs.path("photo.png"), "a hat",
        ]) { _, _ in .status(500) }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.hasPrefix("imagegen: stability.sd3-5-large-v1:0 does not perform --task edit; "))
    }

    @Test func imageAndMaskOutsideEditAreUsageErrors() {
        let image = InProcessRun(["--image", "photo.png", "a hat"]) { _, _ in .status(500) }
        #expect(image.status == 2)
        #expect(image.sent.isEmpty)
        #expect(image.stderr.contains("--image is an option of imagegen edit"))
        let mask = InProcessRun(["models", "--mask", "mask.png"]) { _, _ in .status(500) }
        #expect(mask.status == 2)
        #expect(mask.stderr.contains("--mask is an option of imagegen edit"))
    }

    @Test func noKeyStopsBeforeSending() {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun(
            ["edit", "-m", "gpt-image-2", "--image", inputs.path("photo.png"), "a hat"], environment: [:]
        ) { _, _ in .status(500) }
        #expect(run.status == 3)
        #expect(run.sent.isEmpty)
    }

    @Test func aBusyServerIsRetriedWithTheSameForm() throws {
        let inputs = Inputs(["photo.png": Self.photo])
        let run = InProcessRun([
            "edit", "-m", "gpt-image-2", "--image", inputs.path("photo.png"), "-o", "DIR/", "a hat",
        ]) { _, attempt in
            attempt == 0 ? .status(429, json: #"{"error":{"message":"slow down"}}"#) : .openAIImages([Self.answer])
        }
        #expect(run.status == 0, "\(run.stderr)")
        try #require(run.sent.count == 2)
        #expect(run.sent[0] == run.sent[1])
        #expect(run.sent[1].parts?.first?.name == "image")
    }

    @Test func aBatchLineNamesItsImagesAndMask() throws {
        let inputs = Inputs(["a.png": Self.photo, "b.png": Self.wide, "mask.png": Self.mask])
        inputs.scratch.write(
            "edits.jsonl",
            Array(
                """
                {"prompt": "a hat", "image": "\(inputs.path("a.png"))", "mask": "\(inputs.path("mask.png"))"}
                {"prompt": "a scarf", "image": ["\(inputs.path("a.png"))", "\(inputs.path("b.png"))"]}
                """.utf8))
        let run = InProcessRun([
            "edit", "-m", "gpt-image-2", "--batch", inputs.path("edits.jsonl"), "--concurrency", "1", "-o", "DIR/",
        ]) { _, _ in .openAIImages([Self.answer]) }
        #expect(run.status == 0, "\(run.stderr)")
        try #require(run.sent.count == 2)
        let names = run.sent.map { Self.parts($0).map(\.name) }
        #expect(names.contains(["image", "mask", "model", "prompt"]))
        #expect(names.contains(["image[]", "image[]", "model", "prompt"]))

        let plain = InProcessRun(["-m", "gpt-image-2", "--batch", inputs.path("edits.jsonl")]) { _, _ in .status(500) }
        #expect(plain.status == 2)
        #expect(plain.sent.isEmpty)
        #expect(plain.stderr.contains("need imagegen edit"))
    }
}

/// One test per rule an input file must meet; each refusal names the file
/// and the rule, exits 2 and sends nothing.
@Suite struct EditInputCheckTests {
    static let square = TestPNG.make(width: 8, height: 8)

    func refusal(_ arguments: [String], files: [String: [UInt8]]) -> String {
        let inputs = EditFlowTests.Inputs(files)
        let resolved = arguments.map { $0.hasPrefix("@") ? inputs.path(String($0.dropFirst())) : $0 }
        let run = InProcessRun(["edit", "--api-base", InProcessRun.compatibleServer] + resolved + ["a hat"]) {
            _, _ in .status(500)
        }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        return run.stderr
    }

    @Test func aMissingFileIsNamed() {
        let message = refusal(["-m", "gpt-image-2", "--image", "@absent.png"], files: [:])
        #expect(message.contains("--image ") && message.contains("absent.png cannot be read"), "\(message)")
    }

    @Test func aFileThatIsNotAnImageIsRefused() {
        let message = refusal(
            ["-m", "gpt-image-2", "--image", "@notes.png"], files: ["notes.png": Array("hello".utf8)])
        #expect(message.contains("notes.png is not an image"), "\(message)")
    }

    @Test func aFormatTheModelDoesNotEditIsRefused() {
        let message = refusal(
            ["-m", "gpt-image-2", "--image", "@anim.gif"], files: ["anim.gif": Fixtures.bytes("image.gif")])
        #expect(message.contains("anim.gif is GIF; gpt-image-2 edits PNG, JPEG, WebP images"), "\(message)")
    }

    @Test func tooManyImagesAreRefused() {
        let message = refusal(
            ["-m", "dall-e-2", "--image", "@a.png", "--image", "@b.png"],
            files: ["a.png": Self.square, "b.png": Self.square])
        #expect(message.contains("dall-e-2 edits one image per request; got 2"), "\(message)")
    }

    @Test func aFileOverTheByteLimitIsRefused() {
        // Stored (uncompressed) PNG data: 1200x1200 RGB is over 4 MB.
        let large = TestPNG.make(width: 1200, height: 1200)
        let message = refusal(["-m", "dall-e-2", "--image", "@large.png"], files: ["large.png": large])
        #expect(
            message.contains("large.png has \(large.count) bytes; dall-e-2 takes images smaller than 4 MB"),
            "\(message)")
    }

    @Test func aNonSquareImageIsRefusedWhereTheModelNeedsSquares() {
        let message = refusal(
            ["-m", "dall-e-2", "--image", "@wide.png"], files: ["wide.png": TestPNG.make(width: 12, height: 8)])
        #expect(message.contains("wide.png is 12x8; dall-e-2 edits only square images"), "\(message)")
    }

    @Test func aMaskMustBeAPNG() {
        let message = refusal(
            ["-m", "gpt-image-2", "--image", "@a.png", "--mask", "@mask.jpg"],
            files: ["a.png": Self.square, "mask.jpg": Fixtures.bytes("photo.jpg")])
        #expect(message.contains("--mask ") && message.contains("mask.jpg is JPEG; a mask must be a PNG"), "\(message)")
    }

    @Test func aMaskNeedsAnAlphaChannel() {
        let message = refusal(
            ["-m", "gpt-image-2", "--image", "@a.png", "--mask", "@mask.png"],
            files: ["a.png": Self.square, "mask.png": TestPNG.make(width: 8, height: 8)])
        #expect(message.contains("mask.png has no alpha channel"), "\(message)")
    }

    @Test func aMaskMustMatchTheFirstImage() {
        let message = refusal(
            ["-m", "gpt-image-2", "--image", "@a.png", "--mask", "@mask.png"],
            files: ["a.png": Self.square, "mask.png": TestPNG.make(width: 9, height: 8, colorType: 6)])
        #expect(message.contains("mask.png is 9x8 but --image"), "\(message)")
        #expect(message.contains("a.png is 8x8; a mask must be the size of the first image"), "\(message)")
    }

    @Test func aModelThatDoesNotEditIsRefused() {
        let message = refusal(["-m", "dall-e-3", "--image", "@a.png"], files: ["a.png": Self.square])
        #expect(message.contains("dall-e-3 does not perform --task edit"), "\(message)")
    }

    @Test func transparencyInATRNSChunkCountsAsAlpha() {
        // A palette PNG with tRNS is a valid mask; the edit proceeds to sending.
        var palette = TestPNG.make(width: 8, height: 8, colorType: 3, fill: 0)
        let idat = palette.indices.first { Array(palette[$0..<$0 + 4]) == Array("IDAT".utf8) }! - 4
        palette.insert(contentsOf: TestPNG.chunk("tRNS", [0]), at: idat)
        #expect(EditInputCheck.hasTransparencyChunk(palette))
        #expect(!EditInputCheck.hasTransparencyChunk(TestPNG.make(width: 8, height: 8, colorType: 3)))
    }
}
