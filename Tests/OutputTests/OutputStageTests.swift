import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct OutputStageTests {
    static let prompt = "A cute baby sea otter"
    static let slug = "a-cute-baby-sea-otter"

    func b64(_ fixture: String) -> GeneratedImage {
        GeneratedImage(b64JSON: Base64.encode(Fixtures.bytes(fixture)))
    }

    /// What the generation pipeline hands the stage: every image through
    /// `ImageCheck`; a URL answer downloaded and then checked, or, with
    /// `--no-download`, kept as its URL.
    func prepare(
        _ images: [GeneratedImage], _ options: OutputOptions,
        download: (String) throws(ImageGenError) -> [UInt8] = outputTestRefuseDownload
    ) -> [PreparedImage] {
        images.enumerated().map { index, image in
            let label = "image \(index + 1)"
            if let prepared = ImageCheck.check(image, label: label, provider: .openai) { return prepared }
            guard let url = image.url else {
                Issue.record("\(label) has neither url nor image data")
                return .failed(.internal("\(label) has no data"))
            }
            if options.noDownload { return .notDownloaded(url: url) }
            do throws(ImageGenError) {
                return ImageCheck.check(bytes: try download(url), label: label, provider: .openai)
            } catch {
                return .failed(error)
            }
        }
    }

    func run(
        _ images: [GeneratedImage], _ options: OutputOptions,
        download: (String) throws(ImageGenError) -> [UInt8] = outputTestRefuseDownload
    ) -> [ImageOutcome] {
        let plan = try! OutputPlan(output: options, prompt: Self.prompt, imageCount: images.count)
        return OutputStage.write(
            .outputTest(images), images: prepare(images, options, download: download),
            plan: plan, options: options, standardOutput: CapturedIO().io.standardOutput)
    }

    /// What is printed on standard output without `--json`.
    func plainLines(_ outcomes: [ImageOutcome]) -> [String] {
        outcomes.compactMap(OutputStage.plainLine)
    }

    /// The error that decides the exit status: the first failure's.
    func firstFailure(_ outcomes: [ImageOutcome]) -> ImageGenError? {
        LineReport(index: 0, expectedImages: outcomes.count, result: nil, outcomes: outcomes, failures: [])
            .errors.first
    }

    func files(_ outcomes: [ImageOutcome]) -> [String?] {
        outcomes.map { $0.savedImage?.file }
    }

    // MARK: generated names

    @Test func aSymlinkToADeviceIsWrittenIntoWithNoExtensionAdded() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        #expect(symlink("/dev/null", scratch.sub("null")) == 0)
        let outcomes = run([b64("rgb.png")], .outputTest(scratch.sub("null")))
        #expect(plainLines(outcomes) == [scratch.sub("null")])
        #expect(scratch.listing() == ["null"])
        #expect(FileSystem.isSymbolicLink(scratch.sub("null")))
    }

    @Test func singleImageIntoExistingDirectory() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let outcomes = run([b64("rgb.png")], .outputTest(scratch.path))
        let saved = try #require(outcomes[0].savedImage)
        #expect(saved.destination == .file(scratch.sub("\(Self.slug).png")))
        #expect(
            saved.info
                == ImageInfo(
                    format: .png, width: 7, height: 5, byteCount: 89,
                    png: PNGDetails(bitDepth: 8, colorType: 2, interlaced: false)))
        #expect(scratch.contents("\(Self.slug).png") == Fixtures.bytes("rgb.png"))
        #expect(scratch.listing() == ["\(Self.slug).png"])
    }

    @Test func severalImagesGetNumbersAndExtensionsFromTheirBytes() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let outcomes = run([b64("rgba.png"), b64("photo.jpg"), b64("lossy.webp")], .outputTest(scratch.path + "/"))
        #expect(
            files(outcomes) == [
                scratch.sub("\(Self.slug)-1.png"), scratch.sub("\(Self.slug)-2.jpg"),
                scratch.sub("\(Self.slug)-3.webp"),
            ])
        #expect(scratch.listing().count == 3)
    }

    @Test func missingDirectoryIsCreated() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let outcomes = run([b64("gray.png")], .outputTest(scratch.sub("out/deeper/")))
        #expect(files(outcomes) == [scratch.sub("out/deeper/\(Self.slug).png")])
        #expect(scratch.listing() == ["out/", "out/deeper/", "out/deeper/\(Self.slug).png"])
    }

    @Test func takenGeneratedNamesMoveToTheNextFreeNumber() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("\(Self.slug).png", [1])
        scratch.write("\(Self.slug)-2.png", [2])
        let single = run([b64("rgb.png")], .outputTest(scratch.path))
        #expect(files(single) == [scratch.sub("\(Self.slug)-3.png")])

        scratch.write("\(Self.slug)-1.png", [3])
        let several = run([b64("rgb.png"), b64("rgba.png")], .outputTest(scratch.path))
        #expect(files(several) == [scratch.sub("\(Self.slug)-4.png"), scratch.sub("\(Self.slug)-5.png")])
        #expect(scratch.contents("\(Self.slug).png") == [1])
        #expect(scratch.contents("\(Self.slug)-1.png") == [3])
        #expect(scratch.contents("\(Self.slug)-2.png") == [2])
        #expect(scratch.listing().count == 6)
    }

    @Test func forceReplacesAGeneratedName() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("\(Self.slug).png", [1])
        let outcomes = run([b64("rgb.png")], .outputTest(scratch.path, force: true))
        #expect(files(outcomes) == [scratch.sub("\(Self.slug).png")])
        #expect(scratch.contents("\(Self.slug).png") == Fixtures.bytes("rgb.png"))
    }

    @Test func concurrentWritersNeverClobber() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let fixtures = [
            "rgb.png", "rgba.png", "gray.png", "gray-alpha.png", "palette.png", "rgb16.png", "interlaced.png",
        ]
        let writers = 14
        let paths = OutputTestLock<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { i in
            let outcomes = run([b64(fixtures[i % fixtures.count])], .outputTest(scratch.path))
            if let file = outcomes[0].savedImage?.file { paths.withLock { $0.append(file) } }
        }
        let written = paths.withLock { $0 }
        #expect(Set(written).count == writers)
        let expectedNames = ["\(Self.slug).png"] + (2...writers).map { "\(Self.slug)-\($0).png" }
        #expect(scratch.listing() == expectedNames.sorted())
        // Every fixture's bytes landed exactly twice: nothing overwritten or mixed.
        var counts: [[UInt8]: Int] = [:]
        for name in expectedNames { counts[scratch.contents(name) ?? [], default: 0] += 1 }
        #expect(counts == Dictionary(uniqueKeysWithValues: fixtures.map { (Fixtures.bytes($0), 2) }))
    }

    // MARK: explicit names

    @Test func explicitNameForms() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        #expect(files(run([b64("rgb.png")], .outputTest(scratch.sub("one.png")))) == [scratch.sub("one.png")])
        #expect(
            files(run([b64("rgb.png"), b64("gray.png")], .outputTest(scratch.sub("two.png"))))
                == [scratch.sub("two-1.png"), scratch.sub("two-2.png")])
        #expect(
            files(run([b64("rgb.png"), b64("gray.png")], .outputTest(scratch.sub("t-{i}.png"))))
                == [scratch.sub("t-1.png"), scratch.sub("t-2.png")])
        #expect(files(run([b64("photo.jpg")], .outputTest(scratch.sub("noext")))) == [scratch.sub("noext.jpg")])
        #expect(
            files(run([b64("image.gif")], .outputTest(scratch.sub("new/dir/pic.gif"))))
                == [scratch.sub("new/dir/pic.gif")])
        #expect(
            scratch.listing() == [
                "new/", "new/dir/", "new/dir/pic.gif", "noext.jpg", "one.png",
                "t-1.png", "t-2.png", "two-1.png", "two-2.png",
            ])
    }

    @Test func explicitExistingNameFailsWithoutForceAndIsReplacedWithIt() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("x.png", [1])
        let refused = run([b64("rgb.png")], .outputTest(scratch.sub("x.png")))
        #expect(
            refused == [
                .failure(
                    .write(
                        "\(scratch.sub("x.png")) already exists; pass --force to replace it or choose another -o"))
            ])
        #expect(scratch.contents("x.png") == [1])
        #expect(scratch.listing() == ["x.png"])

        let forced = run([b64("rgb.png")], .outputTest(scratch.sub("x.png"), force: true))
        #expect(files(forced) == [scratch.sub("x.png")])
        #expect(scratch.contents("x.png") == Fixtures.bytes("rgb.png"))
        #expect(scratch.listing() == ["x.png"])
    }

    // MARK: per-image failures, downloads, --no-download

    @Test func oneFailureDoesNotStopTheOthers() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let images = [
            GeneratedImage(b64JSON: "not base64!"),
            b64("rgb.png"),
            GeneratedImage(b64JSON: Base64.encode(Array("<html>oops</html>".utf8))),
            GeneratedImage(url: "http://127.0.0.1:1/gone.png"),
            GeneratedImage(url: "http://127.0.0.1:1/ok.png"),
            GeneratedImage(b64JSON: Base64.encode(Fixtures.bytes("truncated.png"))),
        ]
        let outcomes = run(images, .outputTest(scratch.path)) { url throws(ImageGenError) in
            guard url.hasSuffix("ok.png") else { throw .network("cannot connect to 127.0.0.1:1") }
            return Fixtures.bytes("palette.png")
        }
        #expect(outcomes.count == 6)
        #expect(
            outcomes[0] == .failure(.badResponse(provider: .openai, message: "image 1: b64_json is not valid base64")))
        #expect(files([outcomes[1]]) == [scratch.sub("\(Self.slug)-2.png")])
        #expect(
            outcomes[2]
                == .failure(
                    .badResponse(
                        provider: .openai,
                        message: #"image 3 is not an image: unknown format (starts with "<html>oops</html")"#)))
        #expect(outcomes[3] == .failure(.network("cannot connect to 127.0.0.1:1")))
        #expect(files([outcomes[4]]) == [scratch.sub("\(Self.slug)-5.png")])
        #expect(
            outcomes[5]
                == .failure(
                    .badResponse(
                        provider: .openai, message: "image 6 is not a valid PNG: image data ends early (truncated PNG)")
                ))
        #expect(firstFailure(outcomes)?.exitCode == 7)
        #expect(plainLines(outcomes) == [scratch.sub("\(Self.slug)-2.png"), scratch.sub("\(Self.slug)-5.png")])
        #expect(scratch.listing() == ["\(Self.slug)-2.png", "\(Self.slug)-5.png"])
    }

    @Test func noDownloadKeepsURLsButStillWritesBase64() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let images = [GeneratedImage(url: "http://127.0.0.1:9/a.png"), b64("rgb.png")]
        let outcomes = run(images, .outputTest(scratch.path, noDownload: true))
        #expect(
            outcomes[0] == .success(SavedImage(destination: .notDownloaded(url: "http://127.0.0.1:9/a.png"), info: nil))
        )
        #expect(plainLines(outcomes) == ["http://127.0.0.1:9/a.png", scratch.sub("\(Self.slug)-2.png")])
        #expect(firstFailure(outcomes) == nil)
    }

    @Test func downloadedURLIsWritten() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let outcomes = run([GeneratedImage(url: "http://127.0.0.1:9/x")], .outputTest(scratch.path)) {
            _ throws(ImageGenError) in
            Fixtures.bytes("lossless.webp")
        }
        #expect(outcomes[0].savedImage?.file == scratch.sub("\(Self.slug).webp"))
    }

    @Test func plainLinesSkipStandardOutputAndFailures() {
        let outcomes: [ImageOutcome] = [
            .success(SavedImage(destination: .standardOutput, info: nil)),
            .failure(.write("x")),
            .success(SavedImage(destination: .file("out/a.png"), info: nil)),
        ]
        #expect(plainLines(outcomes) == ["out/a.png"])
        #expect(firstFailure(outcomes) == .write("x"))
    }

    @Test func standardOutputWithASecondImageFailsThatImage() {
        // The first image would go to standard output; give it a URL kept by --no-download instead.
        let images = [GeneratedImage(url: "http://127.0.0.1:9/a.png"), b64("rgb.png")]
        let options = OutputOptions.outputTest("-", noDownload: true)
        let plan = try! OutputPlan(output: options, prompt: Self.prompt, imageCount: 1)
        let captured = CapturedIO()
        let outcomes = OutputStage.write(
            .outputTest(images), images: prepare(images, options), plan: plan,
            options: options, standardOutput: captured.io.standardOutput)
        #expect(outcomes[1] == .failure(.write("-o - takes a single image; image 2 of 2 was not written")))
        #expect(captured.standardOutputBytes.isEmpty)
    }

    @Test func standardOutputGetsTheImageBytes() {
        let options = OutputOptions.outputTest("-")
        let plan = try! OutputPlan(output: options, prompt: Self.prompt, imageCount: 1)
        let images = [b64("rgb.png")]
        let captured = CapturedIO()
        let outcomes = OutputStage.write(
            .outputTest(images), images: prepare(images, options), plan: plan,
            options: options, standardOutput: captured.io.standardOutput)
        let info = ImageInfo(
            format: .png, width: 7, height: 5, byteCount: 89,
            png: PNGDetails(bitDepth: 8, colorType: 2, interlaced: false))
        #expect(outcomes == [.success(SavedImage(destination: .standardOutput, info: info))])
        #expect(captured.standardOutputBytes == Fixtures.bytes("rgb.png"))
    }
}

/// A lock-protected value for the concurrency test (tests may use Foundation).
final class OutputTestLock<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

@Suite struct OutputStageCheckedImageTests {
    @Test func checkedImagesAreWrittenAsCheckedAndTheirFailuresKept() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let bytes = Fixtures.bytes("rgb.png")
        let images = [GeneratedImage(b64JSON: Base64.encode(bytes)), GeneratedImage(b64JSON: Base64.encode(bytes))]
        let first = try #require(ImageCheck.check(images[0], label: "image 1", provider: .openai))
        guard case .checked(let checked) = first else {
            Issue.record("image 1 was not checked")
            return
        }
        let options = OutputOptions.outputTest(scratch.path)
        let plan = try OutputPlan(output: options, prompt: "two", imageCount: 2)
        let outcomes = OutputStage.write(
            .outputTest(images), images: [first, .failed(.badResponse(provider: .openai, message: "image 2 was bad"))],
            plan: plan, options: options, standardOutput: CapturedIO().io.standardOutput)
        #expect(outcomes[0].savedImage?.info?.width == checked.info.width)
        #expect(outcomes[1].error == .badResponse(provider: .openai, message: "image 2 was bad"))
        #expect(FileManager.default.fileExists(atPath: scratch.sub("two-1.png")))
        #expect(!FileManager.default.fileExists(atPath: scratch.sub("two-2.png")))
    }

}
