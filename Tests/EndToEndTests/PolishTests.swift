import Foundation
import Testing
import TestSupport

/// Issue 7: metadata in written PNGs, cost and --max-cost, the progress line,
/// the short usage, and `make install`.
@Suite struct MetadataEndToEndTests {
    @Test func writtenPNGsCarryTheirMetadata() async throws {
        let t = try await E2E()
        let result = try await t.run(["-m", "openai/my-model", "-s", "64x48", "--param", "seed=42",
                                      "--json", "a red kite"])
        #expect(result.status == 0, "\(result.stderr)")
        let item = try #require((result.json?["data"] as? [[String: Any]])?.first)
        let file = try #require(item["file"] as? String)
        let data = try #require(t.contents(file))
        #expect(item["bytes"] as? Int == data.count)
        let png = try #require(PNGFile(data))
        #expect(png.text["prompt"] == "a red kite")
        #expect(png.text["model"] == "my-model")
        #expect(png.text["provider"] == "openai")
        #expect(png.text["parameters"] == #"{"size":"64x48","seed":42}"#)
        #expect(png.text["imagegen"]?.first?.isNumber == true)
        let created = try #require(png.text["created"])
        #expect(created.count == 20 && created.hasSuffix("Z") && created.contains("T"), "\(created)")
        #expect(png.serial != nil)  // pixels still decode to the fake's serial
    }

    @Test func otherToolsReadItIncludingUnicodeAndRevisedPrompt() async throws {
        guard let pil = PythonPIL.available else { return }
        let t = try await E2E()
        let result = try await t.run(["-m", "dall-e-3", "un loutre mignonne, très ✨"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try #require(result.lines.first)
        let text = try pil.text(of: t.resolve(file))
        #expect(text["prompt"] == "un loutre mignonne, très ✨")
        #expect(text["revised_prompt"] == "A detailed rendering of un loutre mignonne, très ✨")
        #expect(text["model"] == "dall-e-3")
        #expect(text["parameters"] == "{}")
    }

    @Test func noMetadataWritesTheProvidersBytes() async throws {
        let t = try await E2E()
        let result = try await t.run(["--no-metadata", "-s", "256x256", "a plain kite"])
        #expect(result.status == 0, "\(result.stderr)")
        let file = try #require(result.lines.first)
        let data = try #require(t.contents(file))
        let png = try #require(PNGFile(data))
        #expect(png.text.isEmpty)
    }
}

@Suite struct CostEndToEndTests {
    func cost(_ arguments: [String]) async throws -> (Any?, [String: Any]?) {
        let t = try await E2E()
        let result = try await t.run(["--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return (result.json?["cost_usd"], result.json)
    }

    @Test func pricedModelsReportCostUSD() async throws {
        #expect(try await cost(["-s", "256x256", "-n", "2", "kites"]).0 as? Double == 0.032)
        #expect(try await cost(["-m", "dall-e-3", "--quality", "hd", "-s", "1792x1024", "kites"]).0 as? Double == 0.12)
        // gpt-image-1 from the usage the fake reports: 2 input + 4160 output tokens.
        #expect(try await cost(["-m", "gpt-image-1", "--quality", "high", "two kites"]).0 as? Double == 0.16641)
    }

    @Test func unknownModelsHaveNoCostAtAll() async throws {
        let (value, document) = try await cost(["-m", "openai/my-model", "kites"])
        #expect(value == nil)
        #expect(document?["data"] != nil)
    }

    @Test func maxCostRefusesBeforeSendingAnything() async throws {
        let t = try await E2E()
        let refused = try await t.run(["-m", "dall-e-3", "-n", "3", "--max-cost", "0.10", "kites"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("$0.12") && refused.stderr.contains("--max-cost 0.1"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try await t.fake.requests().isEmpty)
        #expect(t.files().isEmpty)

        let unknown = try await t.run(["-m", "openai/my-model", "--max-cost", "5", "kites"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("my-model"))
        #expect(try await t.fake.requests().isEmpty)

        let allowed = try await t.run(["-m", "dall-e-3", "-n", "3", "--max-cost", "0.12", "kites"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try await t.fake.generationRequests().count == 3)
    }

    @Test func dryRunShowsTheEstimate() async throws {
        let t = try await E2E()
        let result = try await t.run(["--dry-run", "-m", "dall-e-3", "-n", "2", "kites"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("estimated cost: $0.08 for 2 images"), "\(result.stderr)")
        let quiet = try await t.run(["--dry-run", "--quiet", "-m", "dall-e-3", "kites"])
        #expect(quiet.stderr.isEmpty)
    }
}

@Suite struct TerminalEndToEndTests {
    @Test func noProgressWhenStandardErrorIsAPipeOrFile() async throws {
        let t = try await E2E()
        let result = try await t.run(["-m", "dall-e-3", "-n", "2", "kites"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func progressLineUnderATerminalIsDrawnAndCleared() async throws {
        let t = try await E2E()
        let screen = try Terminal.run(["-m", "dall-e-3", "-n", "2", "kites"], env: t.standardEnvironment, cwd: t.cwd)
        #expect(screen.status == 0, "\(screen.output)")
        #expect(screen.output.contains("\rimagegen: \u{1B}[1m0/2 images\u{1B}[0m · "), "\(screen.output.debugDescription)")
        // Erased before the paths are printed, so only the output stays on the screen.
        #expect(screen.output.contains("\r\u{1B}[Kkites-1.png\r\n"), "\(screen.output.debugDescription)")

        let plain = try Terminal.run(["-m", "dall-e-3", "kites"], env: t.standardEnvironment.merging(["NO_COLOR": "1"]) { $1 },
                                     cwd: t.cwd)
        #expect(plain.output.contains("\rimagegen: 0/1 image · "), "\(plain.output.debugDescription)")
        #expect(!plain.output.contains("\u{1B}[1m"))

        let quiet = try Terminal.run(["--quiet", "-m", "dall-e-3", "kites"], env: t.standardEnvironment, cwd: t.cwd)
        #expect(quiet.status == 0)
        #expect(!quiet.output.contains("imagegen:"), "\(quiet.output.debugDescription)")
    }

    @Test func bareImagegenAtATerminalPrintsAShortUsage() async throws {
        let t = try await E2E()
        let screen = try Terminal.run([], env: [:], cwd: t.cwd)
        #expect(screen.status == 2)
        #expect(screen.output.hasPrefix("Usage: imagegen [OPTIONS] [--] PROMPT..."), "\(screen.output)")
        #expect(screen.output.contains("imagegen --help"))
        #expect(screen.output.split(separator: "\n").count < 10)
    }
}

@Suite struct InstallEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs the real Makefile with the test build's binary (`-o` keeps make from rebuilding it).
    func make(_ target: String, destdir: URL) throws -> Int32 {
        let binary = Imagegen.binary.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["make", "-s", "-C", Self.root.path, "-o", binary, target, "DESTDIR=\(destdir.path)",
                             "PREFIX=/usr", "BINARY=\(binary)"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    func files(under root: URL) -> [String] {
        let all = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return all.filter { path in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    @Test func installsExactlyTheBinaryManPageAndCompletionsAndUninstallRemovesThem() throws {
        let destdir = FileManager.default.temporaryDirectory.appendingPathComponent("imagegen-install-\(UUID())")
        defer { try? FileManager.default.removeItem(at: destdir) }
        #expect(try make("install", destdir: destdir) == 0)
        #expect(files(under: destdir) == [
            "usr/bin/imagegen",
            "usr/share/bash-completion/completions/imagegen",
            "usr/share/fish/vendor_completions.d/imagegen.fish",
            "usr/share/man/man1/imagegen.1",
            "usr/share/zsh/site-functions/_imagegen",
        ])
        let attributes = try FileManager.default.attributesOfItem(atPath: destdir.path + "/usr/bin/imagegen")
        #expect((attributes[.posixPermissions] as? Int) == 0o755)
        #expect(FileManager.default.contentsEqual(atPath: destdir.path + "/usr/share/man/man1/imagegen.1",
                                                  andPath: Self.root.path + "/man/imagegen.1"))

        #expect(try make("uninstall", destdir: destdir) == 0)
        #expect(files(under: destdir) == [])
    }
}

/// Runs imagegen on a pseudo-terminal with util-linux `script`, which copies
/// everything written to the terminal (both streams, escapes included) to its stdout.
enum Terminal {
    struct Screen {
        var status: Int32
        var output: String
    }

    static func run(_ arguments: [String], env: [String: String], cwd: URL) throws -> Screen {
        try run(commandLine: arguments.map(shellQuote).joined(separator: " "), env: env, cwd: cwd)
    }

    /// `imagegen` followed by `commandLine` (already shell-quoted, redirections
    /// allowed) on a terminal of type `term`.
    static func run(commandLine: String, env: [String: String], cwd: URL, term: String = "xterm") throws -> Screen {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-q", "-e", "-c", shellQuote(Imagegen.binary.path) + " " + commandLine, "/dev/null"]
        process.currentDirectoryURL = cwd
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "TERM": term, "HOME": cwd.path]
            .merging(env) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Screen(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static func shellQuote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// Python's PIL, when installed (Debian python3-pil), as an independent PNG reader.
struct PythonPIL {
    let python: String

    static let available: PythonPIL? = {
        for python in ["/usr/bin/python3", "/usr/local/bin/python3"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = ["-c", "import PIL.Image"]
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { continue }
            process.waitUntilExit()
            if process.terminationStatus == 0 { return PythonPIL(python: python) }
        }
        return nil
    }()

    func text(of file: URL) throws -> [String: String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", "import json, sys, PIL.Image; im = PIL.Image.open(sys.argv[1]); im.load(); "
                                + "print(json.dumps(im.text))", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [String: String]) ?? [:]
    }
}
