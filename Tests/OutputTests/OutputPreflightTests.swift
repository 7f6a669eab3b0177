import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct OutputPreflightTests {
    func preflight(
        _ output: String?, n: Int = 1, force: Bool = false, json: Bool = false,
        ext: String = "png"
    ) -> ImageGenError? {
        do {
            let plan = try OutputPlan(
                output: .outputTest(output, force: force, json: json), prompt: "otter",
                imageCount: n, expectedExtension: ext)
            try plan.preflight(force: force)
            return nil
        } catch {
            return error
        }
    }

    @Test func standardOutputTakesOneImageAndNoJSON() {
        #expect(preflight("-") == nil)
        #expect(
            preflight("-", n: 2)
                == .usage(
                    "-o - writes one image to standard output, but 2 were requested; use -o DIR/ or -o NAME-{i}.png"))
        #expect(preflight("-", json: true)?.exitCode == 2)
    }

    @Test func expectedExtensionFollowsOutputFormat() {
        func ext(_ params: [(String, JSON)]) -> String {
            let extra = params.map { Param(key: $0.0, value: $0.1) }
            let request = GenerationRequest(prompt: "p", parameters: GenerationParameters(extra: extra))
            return OutputPlan.expectedExtension(for: request)
        }
        #expect(ext([]) == "png")
        #expect(ext([("output_format", .string("jpeg"))]) == "jpg")
        #expect(ext([("output_format", .string("WEBP"))]) == "webp")
        #expect(ext([("output_format", .string("png"))]) == "png")
        #expect(ext([("seed", .int(4))]) == "png")
    }

    @Test func planFromARequest() throws {
        var options = OutputOptions.outputTest("out/")
        let request = GenerationRequest(
            prompt: "A Sea Otter",
            parameters: GenerationParameters(
                n: 3, extra: [Param(key: "output_format", value: .string("webp"))]))
        let plan = try OutputPlan(output: options, request: request)
        #expect(plan.target == .directory("out/"))
        #expect(plan.slug == "a-sea-otter")
        #expect(plan.imageCount == 3)
        #expect(plan.expectedExtension == "webp")
        options.output = "-"
        #expect(throws: ImageGenError.self) { try OutputPlan(output: options, request: request) }
    }

    @Test func explicitNamesThatExist() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("x.png", [1])
        scratch.write("many-2.png", [1])
        scratch.write("pic.jpg", [1])
        let exists = { (name: String) in
            ImageGenError.write("\(scratch.sub(name)) already exists; pass --force to replace it or choose another -o")
        }
        #expect(preflight(scratch.sub("x.png")) == exists("x.png"))
        #expect(preflight(scratch.sub("x.png"), force: true) == nil)
        #expect(preflight(scratch.sub("x")) == exists("x.png"))  // extension added as it will be
        #expect(preflight(scratch.sub("x"), ext: "jpg") == nil)
        #expect(preflight(scratch.sub("pic"), ext: "jpg") == exists("pic.jpg"))
        #expect(preflight(scratch.sub("many.png"), n: 3) == exists("many-2.png"))
        #expect(preflight(scratch.sub("many-{i}.png"), n: 3) == exists("many-2.png"))
        #expect(preflight(scratch.sub("many-{i}.png"), n: 1) == nil)
        #expect(preflight(scratch.sub("new/deeper/x.png")) == nil)
        #expect(scratch.listing() == ["many-2.png", "pic.jpg", "x.png"])  // preflight creates nothing
    }

    @Test func directoriesThatCannotBeUsed() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("file", [1])
        #expect(preflight(scratch.path) == nil)
        #expect(preflight(scratch.sub("missing/deeper/")) == nil)
        #expect(
            preflight(scratch.sub("file/"))
                == .write(
                    "cannot use \(scratch.sub("file/")) as the output directory: it is not a directory"))
        #expect(
            preflight(scratch.sub("file/sub/"))
                == .write(
                    "cannot create directory \(scratch.sub("file/sub/")): \(scratch.sub("file")) is not a directory"))
        #expect(
            preflight(scratch.sub("file/sub/x.png"))
                == .write(
                    "cannot create directory \(scratch.sub("file/sub")): \(scratch.sub("file")) is not a directory"))
        #expect(scratch.listing() == ["file"])
    }

    @Test func unwritableDirectory() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let directory: String
        if geteuid() == 0 {
            directory = "/sys"  // root ignores permission bits; sysfs refuses new files to everyone
        } else {
            directory = scratch.sub("locked")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            chmod(directory, 0o555)
            #expect(
                preflight(directory + "/new/") == .write("cannot create directory \(directory)/new/: Permission denied")
            )
        }
        #expect(preflight(directory) == .write("cannot write into \(directory): Permission denied"))
        #expect(preflight(directory + "/x.png") == .write("cannot write into \(directory): Permission denied"))
    }

    @Test func existingDirectoryAsExplicitName() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        try? FileManager.default.createDirectory(atPath: scratch.sub("d-1.png"), withIntermediateDirectories: false)
        #expect(
            preflight(scratch.sub("d.png"), n: 2, force: true)
                == .write(
                    "\(scratch.sub("d-1.png")) is a directory; pass -o \(scratch.sub("d-1.png"))/ to write into it"))
    }
}
