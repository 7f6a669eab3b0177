import Foundation
import TestSupport
import Testing

/// Every `-o` form, the no-overwrite rule, `--json`, `--no-download`.
@Suite struct OutputTests {
    /// The directory holding `path`, relative to the test's cwd ("" for cwd itself).
    private func directory(of path: String, in t: E2E) -> String {
        let parent = t.resolve(path).deletingLastPathComponent().standardizedFileURL.path
        let cwd = t.cwd.standardizedFileURL.path
        return parent == cwd ? "" : String(parent.dropFirst(cwd.count + 1))
    }

    /// What kind of file `path` is itself (S_IFREG, S_IFCHR…), symlinks not followed; 0 when missing.
    private func fileType(_ path: String) -> mode_t {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : 0
    }

    @Test func outputDirectoryWithSlashIsCreated() async throws {
        let t = try await E2E()
        let result = try await t.run(["-o", "out/", "-n", "2", "two birds"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 2)
        #expect(result.lines.map { directory(of: $0, in: t) } == ["out", "out"])
        #expect(t.files() == ["out"])
        #expect(t.files(in: "out").count == 2)
        #expect(result.lines.allSatisfy { PNGFile(contentsOf: t.resolve($0)) != nil })
    }

    @Test func existingDirectoryWithoutSlashReceivesGeneratedNames() async throws {
        let t = try await E2E()
        try FileManager.default.createDirectory(
            at: t.cwd.appendingPathComponent("pics"),
            withIntermediateDirectories: false)
        let result = try await t.run(["-o", "pics", "a bird"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.map { directory(of: $0, in: t) } == ["pics"])
        #expect(t.files(in: "pics").count == 1)
        #expect(PNGFile(contentsOf: t.resolve(result.lines.first ?? "")) != nil)
    }

    @Test func outputFileName() async throws {
        let t = try await E2E()
        let result = try await t.run(["-o", "cat.png", "--size", "512x512", "a cat"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["cat.png"])
        #expect(t.files() == ["cat.png"])
        let png = try #require(PNGFile(contentsOf: t.resolve("cat.png")))
        #expect(png.width == 512 && png.height == 512)
    }

    @Test(arguments: ["cat.png", "cat-{i}.png"])
    func outputFileNameNumbersSeveralImages(name: String) async throws {
        let t = try await E2E()
        let result = try await t.run(["-o", name, "-n", "2", "two cats"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["cat-1.png", "cat-2.png"])
        #expect(t.files() == ["cat-1.png", "cat-2.png"])
        let serials = try await t.fake.generationRequests().first?.serials ?? []
        #expect(["cat-1.png", "cat-2.png"].map { PNGFile(contentsOf: t.resolve($0))?.serial } == serials)
    }

    @Test func outputDashWritesTheImageBytesToStandardOutput() async throws {
        let t = try await E2E()
        let result = try await t.run(["-o", "-", "--size", "256x256", "a small cat"])
        #expect(result.status == 0, "\(result.stderr)")
        let png = try #require(PNGFile(result.stdoutData))
        #expect(png.width == 256 && png.height == 256)
        #expect(png.serial == (try await t.fake.generationRequests().first?.serials.first))
        #expect(t.files().isEmpty)
    }

    @Test func outputDashTakesOnlyOneImage() async throws {
        let t = try await E2E()
        let result = try await t.run(["-o", "-", "-n", "2", "two cats"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("imagegen: "))
        #expect(result.stdoutData.isEmpty)
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func outputDevNullWritesIntoTheDeviceAndCreatesNothing() async throws {
        let beside = "/dev/null.png"
        let existedBefore = FileManager.default.fileExists(atPath: beside)
        #expect(!existedBefore, "\(beside) exists before the run")
        // Removes only what a run made (as root, the old behaviour wrote it into /dev).
        defer { if !existedBefore { unlink(beside) } }
        let t = try await E2E()
        for arguments in [["-o", "/dev/null"], ["-o", "/dev/null", "--force"]] {
            let result = try await t.run(arguments + ["a cat"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.lines == ["/dev/null"])
            #expect(!FileManager.default.fileExists(atPath: beside))
            #expect(fileType("/dev/null") == S_IFCHR)
        }
        #expect(t.files().isEmpty)
        #expect(try await t.fake.generationRequests().count == 2)
    }

    @Test func aFIFOReceivesTheImageBytes() async throws {
        let t = try await E2E()
        let reader = try FIFOReader(creating: t.cwd.appendingPathComponent("pipe").path)
        let done = DoneFlag()
        let run = Task {
            defer { done.set() }
            return try await t.run(["-o", "pipe", "--size", "256x256", "a cat"])
        }
        let bytes = await reader.readAll(timeout: .seconds(30), writerDone: done.isSet)
        let result = try await run.value
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["pipe"])
        let png = try #require(PNGFile(Data(bytes)))
        #expect(png.width == 256 && png.height == 256)
        #expect(png.serial == (try await t.fake.generationRequests().first?.serials.first))
        #expect(t.files() == ["pipe"])
        #expect(fileType(t.resolve("pipe").path) == S_IFIFO)
    }

    @Test func concurrentRunsIntoOneDirectoryNeverCollide() async throws {
        let t = try await E2E()
        let results = try await withThrowingTaskGroup(of: RunResult.self) { group in
            for _ in 0..<4 { group.addTask { try await t.run(["a crowded fox"]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let paths = results.flatMap(\.lines)
        #expect(Set(paths).count == 4)
        #expect(t.files().count == 4, "\(t.files())")
        let written = Set(paths.compactMap { PNGFile(contentsOf: t.resolve($0))?.serial })
        #expect(written == Set(try await t.fake.generationRequests().flatMap(\.serials)))
    }

    @Test func anExistingFileIsNeverReplacedWithoutForce() async throws {
        let t = try await E2E()
        let original = Data("keep me".utf8)
        try original.write(to: t.cwd.appendingPathComponent("cat.png"))

        let refused = try await t.run(["-o", "cat.png", "a cat"])
        #expect(refused.status == 7)
        #expect(refused.stderr.hasPrefix("imagegen: "))
        #expect(refused.stderr.contains("cat.png"))
        #expect(try await t.fake.requests().isEmpty, "refused before any request")
        #expect(t.contents("cat.png") == original)
        #expect(t.files() == ["cat.png"])

        let forced = try await t.run(["-o", "cat.png", "--force", "a cat"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(PNGFile(contentsOf: t.resolve("cat.png")) != nil)
        #expect(t.files() == ["cat.png"])
    }

    @Test func generatedNamesPickAFreeName() async throws {
        let t = try await E2E()
        let first = try await t.run(["a red fox"])
        let second = try await t.run(["a red fox"])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)\(second.stderr)")
        #expect(first.lines.count == 1 && second.lines.count == 1)
        #expect(first.lines != second.lines)
        #expect(t.files().count == 2)
        let serials = try await t.fake.generationRequests().flatMap(\.serials)
        #expect(
            (first.lines + second.lines).map { PNGFile(contentsOf: t.resolve($0))?.serial } == serials,
            "the first file was not replaced")
    }

    @Test func jsonDocumentForBase64Answers() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--model", "dall-e-3", "--response-format", "b64_json", "--json",
            "-o", "out/", "a sea otter",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let post = try #require(try await t.fake.generationRequests().first)

        let document = try #require(result.json, "stdout is one JSON document: \(result.stdout)")
        #expect(document["created"] as? Int == post.created)
        #expect(document["model"] as? String == "dall-e-3")
        #expect(document["provider"] as? String == "openai")
        #expect(document.keys.contains("usage"))
        let data = try #require(document["data"] as? [[String: Any]])
        #expect(data.count == 1)
        let item = try #require(data.first)
        for key in ["url", "revised_prompt", "file", "format", "width", "height", "bytes"] {
            #expect(item.keys.contains(key), "data[0] has \(key)")
        }
        // The image is in its file: the document does not carry it a second time.
        #expect(!item.keys.contains("b64_json"))
        #expect(item["url"] is NSNull)
        #expect(item["revised_prompt"] as? String == "A detailed rendering of a sea otter")
        #expect(item["format"] as? String == "png")
        #expect(item["width"] as? Int == 1024 && item["height"] as? Int == 1024)
        let path = try #require(item["file"] as? String)
        #expect(directory(of: path, in: t) == "out")
        let size = try FileManager.default.attributesOfItem(atPath: t.resolve(path).path)[.size] as? Int
        #expect(item["bytes"] as? Int == size)
        #expect(PNGFile(contentsOf: t.resolve(path))?.serial == post.serials.first)

        // Named, b64_json comes back: the bytes written, as the provider sent them.
        let asked = try await t.run([
            "--model", "dall-e-3", "--response-format", "b64_json", "--json", "file,b64_json",
            "-o", "out/", "a sea otter",
        ])
        #expect(asked.status == 0, "\(asked.stderr)")
        let askedItem = try #require((asked.json?["data"] as? [[String: Any]])?.first)
        #expect(Set(askedItem.keys) == ["file", "b64_json"])
        let decoded = try #require(Data(base64Encoded: askedItem["b64_json"] as? String ?? ""))
        #expect(PNGFile(decoded)?.serial == (try await t.fake.generationRequests()).last?.serials.first)
    }

    @Test func jsonDocumentForURLAnswers() async throws {
        let t = try await E2E()
        let result = try await t.run(["--json", "-n", "2", "two owls"])
        #expect(result.status == 0, "\(result.stderr)")
        let serials = try #require(try await t.fake.generationRequests().first?.serials)

        let data = try #require(result.json?["data"] as? [[String: Any]])
        #expect(data.map { $0["url"] as? String } == serials.map { t.fake.imageURL(serial: $0) })
        #expect(data.allSatisfy { !$0.keys.contains("b64_json") && $0["revised_prompt"] is NSNull })
        #expect(data.map { PNGFile(contentsOf: t.resolve($0["file"] as? String ?? ""))?.serial } == serials)
        #expect(data.allSatisfy { $0["format"] as? String == "png" && $0["width"] as? Int == 1024 })
    }

    @Test func noDownloadPrintsTheURLs() async throws {
        let t = try await E2E()
        let result = try await t.run(["--no-download", "-n", "2", "two owls"])
        #expect(result.status == 0, "\(result.stderr)")
        let log = try await t.fake.requests()
        #expect(log.map(\.method) == ["POST"])
        #expect(result.lines == log.first?.serials.map { t.fake.imageURL(serial: $0) })
        #expect(t.files().isEmpty)
    }
}
