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

    @Test func devicesAndFIFOsAreWrittenIntoAsNamed() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        #expect(OutputTarget("/dev/null") == .stream("/dev/null"))
        #expect(preflight("/dev/null") == nil)
        #expect(preflight("/dev/null", force: true) == nil)
        #expect(
            preflight("/dev/null", n: 2)
                == .usage(
                    "-o /dev/null is a device or FIFO and takes one image, but 2 were requested; "
                        + "use -o DIR/ or -o NAME-{i}.png"))
        let fifo = scratch.sub("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(OutputTarget(fifo) == .stream(fifo))
        #expect(preflight(fifo) == nil)
        #expect(symlink("/dev/null", scratch.sub("null")) == 0)
        #expect(OutputTarget(scratch.sub("null")) == .stream(scratch.sub("null")))
        // A generated or numbered name that is a FIFO is written into as well: nothing is replaced.
        #expect(mkfifo(scratch.sub("shot-1.png"), 0o600) == 0)
        #expect(preflight(scratch.sub("shot.png"), n: 2) == nil)
        #expect(scratch.listing() == ["null", "pipe", "shot-1.png"])
    }

    @Test func symlinksWithAndWithoutForce() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("real.png", [1])
        #expect(symlink("real.png", scratch.sub("link.png")) == 0)
        let exists = ImageGenError.write(
            "\(scratch.sub("link.png")) already exists; pass --force to replace it or choose another -o")
        #expect(preflight(scratch.sub("link.png")) == exists)
        #expect(preflight(scratch.sub("link.png"), force: true) == nil)

        #expect(symlink("gone.png", scratch.sub("dangling.png")) == 0)
        #expect(
            preflight(scratch.sub("dangling.png"))
                == .write(
                    "\(scratch.sub("dangling.png")) already exists; pass --force to replace it or choose another -o"))
        #expect(
            preflight(scratch.sub("dangling.png"), force: true)
                == .write(
                    "cannot write \(scratch.sub("dangling.png")): it is a symbolic link to a file that does not exist; "
                        + "remove the link or choose another -o"))

        // The replacement is written beside the target, so that is the directory that must take it.
        #expect(symlink("/proc/version", scratch.sub("version.png")) == 0)
        let error = preflight(scratch.sub("version.png"), force: true)
        #expect(error?.exitCode == 7)
        #expect(error?.message.hasPrefix("cannot write into /proc: ") == true, "\(String(describing: error))")

        try FileManager.default.createDirectory(atPath: scratch.sub("d"), withIntermediateDirectories: false)
        #expect(symlink(scratch.sub("d"), scratch.sub("dirlink")) == 0)
        #expect(OutputTarget(scratch.sub("dirlink")) == .directory(scratch.sub("dirlink")))
        #expect(scratch.listing() == ["d/", "dangling.png", "dirlink/", "link.png", "real.png", "version.png"])
    }

    @Test func longPathsAreShortenedInMessages() {
        let hundred = String(repeating: "x", count: 100)
        #expect(OutputPlan.shown(hundred) == hundred)
        let long =
            String(repeating: "a", count: 40) + String(repeating: "b", count: 200) + String(repeating: "c", count: 50)
        #expect(OutputPlan.shown(long) == String(repeating: "a", count: 40) + "…" + String(repeating: "c", count: 50))
    }

    /// The error preflight gives for `path` whose file name, or directory name `directory`, is too long.
    func tooLong(_ path: String, directory: String? = nil) -> ImageGenError {
        let what =
            directory.map { "the directory name \(OutputPlan.shown($0)) has \($0.utf8.count)" }
            ?? "its name has \(OutputPlan.lastComponent(path).utf8.count)"
        return .write(
            "cannot write \(OutputPlan.shown(path)): \(what) bytes, more than the 255 the file system allows; "
                + "choose a shorter -o")
    }

    @Test func fileNamesTooLongForTheFileSystem() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let fits = String(repeating: "a", count: 251)  // 255 bytes with ".png"
        #expect(preflight(scratch.sub(fits + ".png")) == nil)
        #expect(preflight(scratch.sub(fits)) == nil)
        #expect(preflight(scratch.sub(fits + "a")) == tooLong(scratch.sub(fits + "a.png")))
        #expect(preflight(scratch.sub(fits), ext: "webp") == tooLong(scratch.sub(fits + ".webp")))
        #expect(
            preflight(scratch.sub(fits + ".png"), n: 2) == tooLong(scratch.sub(fits + "-1.png")))
        let short = String(fits.dropLast())
        #expect(preflight(scratch.sub(short + "{i}.png"), n: 9) == nil)
        #expect(
            preflight(scratch.sub(short + "{i}.png"), n: 10)
                == tooLong(scratch.sub(short + "10.png")))
        let accented = String(repeating: "é", count: 126) + ".png"  // 126 characters, 256 bytes
        #expect(preflight(scratch.sub(accented)) == tooLong(scratch.sub(accented)))
        let long = String(repeating: "d", count: 300)
        #expect(preflight(scratch.sub(long + "/")) == tooLong(scratch.sub(long + "/otter.png"), directory: long))
        #expect(preflight(scratch.sub(long + "/x.png")) == tooLong(scratch.sub(long + "/x.png"), directory: long))
        #expect(scratch.listing().isEmpty)
    }

    @Test func pathsTooLongForTheSystem() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        /// A path of exactly `length` bytes: missing directories of at most 200 bytes under the scratch directory.
        func directory(length: Int) -> String {
            var path = scratch.path
            while path.utf8.count < length {
                var size = min(201, length - path.utf8.count)
                if length - path.utf8.count - size == 1 { size -= 1 }
                path += "/" + String(repeating: "p", count: size - 1)
            }
            return path
        }
        let limit = 4095
        let temporary = OutputWriter.longestTemporaryName.utf8.count
        // The final name fits; the temporary file beside it would not.
        let crowded = directory(length: limit - 6)
        #expect(
            preflight(crowded + "/a.png")
                == .write(
                    "cannot write \(OutputPlan.shown(crowded + "/a.png")): the temporary file written beside it needs "
                        + "a path of \(crowded.utf8.count + 1 + temporary) bytes, more than the 4095 the system allows; "
                        + "choose a shorter -o"))
        let roomy = directory(length: limit - 1 - temporary)
        #expect(preflight(roomy + "/a.png") == nil)
        let tooDeep = directory(length: limit - 3)
        #expect(
            preflight(tooDeep + "/a.png")
                == .write(
                    "cannot write \(OutputPlan.shown(tooDeep + "/a.png")): the path has 4098 bytes, more than the 4095 "
                        + "the system allows; choose a shorter -o"))
        // Generated names too: the directory leaves no room for them.
        let error = preflight(crowded + "/")
        #expect(error?.exitCode == 7)
        #expect(error?.message.hasPrefix("cannot write ") == true, "\(String(describing: error))")
        #expect(scratch.listing().isEmpty)
    }
}
