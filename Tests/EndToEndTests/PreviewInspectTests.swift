import Foundation
import TestSupport
import Testing

/// `--inspect` on images made by imagegen and by other tools, and
/// `--preview` only where standard error is a terminal.
@Suite struct InspectEndToEndTests {
    /// The unit tests' fixtures, made by Pillow and ImageMagick (make_fixtures.py).
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    func fixture(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    @Test func inspectsAGeneratedImageWithoutCredentialsOrPrompt() async throws {
        let t = try await E2E()
        let made = try await t.run(["-m", "dall-e-3", "--quality", "hd", "a kite"])
        #expect(made.status == 0, "\(made.stderr)")
        let file = try #require(made.lines.first)
        let result = try await t.run(["--inspect", file], env: [:])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let lines = result.lines
        #expect(lines.first == "a-kite.png: PNG, 1024x1024, rgb 8-bit, \(t.contents(file)?.count ?? 0) bytes")
        #expect(
            lines.dropFirst().map { $0.split(separator: " ").first.map(String.init) ?? "" }
                == ["prompt", "model", "provider", "revised_prompt", "parameters", "created", "imagegen"])
        #expect(lines.contains("  prompt          a kite"))
        #expect(lines.contains("  parameters      {\"quality\":\"hd\"}"), "\(lines)")
    }

    @Test func fixturesWithAndWithoutMetadata() async throws {
        let t = try await E2E()
        let result = try await t.run(
            [
                "--inspect", fixture("metadata.png"), fixture("palette.png"),
                fixture("rgb16.png"), fixture("interlaced.png"), fixture("photo.jpg"),
            ], env: [:])
        #expect(result.status == 0, "\(result.stderr)")
        let headers = result.lines.filter { !$0.hasPrefix(" ") }.map {
            $0.replacingOccurrences(of: Self.fixtures.path + "/", with: "")
        }
        #expect(
            headers == [
                "metadata.png: PNG, 4x2, rgb 8-bit, 467 bytes",
                "palette.png: PNG, 13x4, palette 2-bit, 106 bytes",
                "rgb16.png: PNG, 5x6, rgb 16-bit, 88 bytes",
                "interlaced.png: PNG, 17x11, rgb 8-bit, interlaced (Adam7), 154 bytes",
                "photo.jpg: JPEG, 320x24, 2171 bytes",
            ])
        #expect(result.lines.filter { $0 == "  (no metadata)" }.count == 4)
        #expect(result.stdout.contains("  revised_prompt  un cerf-volant ✈ au-dessus du port\n"))
        #expect(!result.stdout.contains("\u{1B}"), "metadata must not reach the terminal raw")
    }

    @Test func jsonIsOneObjectPerLineAndBadFilesAreExit7WithTheOthersReported() async throws {
        let t = try await E2E()
        try Data("not a picture\n".utf8).write(to: t.cwd.appendingPathComponent("notes.txt"))
        let result = try await t.run(
            [
                "--json", "--inspect", fixture("metadata.png"), "notes.txt", "missing.png",
                fixture("lossless.webp"),
            ], env: [:])
        #expect(result.status == 7)
        let objects = result.lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(objects.count == 4 && objects.allSatisfy { $0 != nil }, "\(result.stdout)")
        let first = try #require(objects[0])
        #expect(first["format"] as? String == "png" && first["width"] as? Int == 4 && first["bytes"] as? Int == 467)
        #expect((first["png"] as? [String: Any])?["color_type"] as? String == "rgb")
        let metadata = try #require(first["metadata"] as? [String: Any])
        #expect(
            metadata["prompt"] as? String == "a kite over a harbour"
                && metadata["Comment"] as? String == "line one\nline two \u{1B}[31mred")
        // The parameters imagegen wrote come back as an object, not text to `fromjson`.
        #expect((metadata["parameters"] as? [String: Any])?["quality"] as? String == "hd")
        let bad = try #require((objects[1]?["error"]) as? [String: Any])
        #expect(objects[1]?["file"] as? String == "notes.txt")
        #expect(bad["type"] as? String == "bad_image")
        #expect((bad["message"] as? String)?.hasPrefix("notes.txt is not an image: unknown format") == true)
        #expect(
            (objects[2]?["error"] as? [String: Any])?["message"] as? String
                == "cannot read missing.png: No such file or directory")
        #expect(objects[3]?["format"] as? String == "webp" && objects[3]?["width"] as? Int == 9)
        #expect(
            result.stderr == "imagegen: notes.txt is not an image: unknown format (starts with \"not a picture.\")\n"
                + "imagegen: cannot read missing.png: No such file or directory\n")
    }

    /// Fixtures/make_hostile.py: a 2.6 MB decompression bomb (11 to 22 seconds
    /// of CPU to decode) and a 165-byte file whose tEXt chunk claims 2 GiB.
    @Test func hostilePNGsAreExit7NamingTheLimitTheyBreak() async throws {
        let t = try await E2E()
        for name in ["bomb.png", "huge-tEXt.png"] {
            try Data(await HostilePNG.bytes(name)).write(to: t.cwd.appendingPathComponent(name))
        }
        let result = try await t.run(["inspect", "bomb.png", "huge-tEXt.png"], env: [:])
        #expect(result.status == 7)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr
                == "imagegen: bomb.png is not a valid PNG: 30000x30000 is 900000000 pixels, "
                + "over imagegen's limit of 67108864 pixels\n"
                + "imagegen: huge-tEXt.png is not a valid PNG: tEXt chunk of 2147483647 bytes "
                + "is over imagegen's limit of 8388608 bytes for one chunk\n")
    }

    @Test func inspectWithoutFilesIsAUsageError() async throws {
        let t = try await E2E()
        let result = try await t.run(["--inspect"], env: [:])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--inspect needs at least one FILE"))
    }
}

@Suite struct PreviewEndToEndTests {
    @Test func noPreviewWhenStandardErrorIsAPipe() async throws {
        let t = try await E2E()
        let result = try await t.run(["--preview", "-m", "dall-e-3", "kites"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines == ["kites.png"])
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("▀"), "\(result.stderr.debugDescription)")
        let json = try await t.run(["--preview", "--json", "-m", "dall-e-3", "kites"])
        #expect(json.json != nil && json.stderr.isEmpty)
    }

    @Test func halfBlocksUnderATerminalWithJSONStillCleanOnStdout() async throws {
        let t = try await E2E()
        // stdout to a file, stderr on the pseudo-terminal.
        let screen = try await PreviewTerminal.run(
            "--json --preview -s 256x256 -m dall-e-2 kites > out.json",
            env: t.standardEnvironment.merging(["COLUMNS": "40"]) { $1 }, cwd: t.cwd)
        #expect(screen.status == 0, "\(screen.output.debugDescription)")
        let stdout = try #require(t.contents("out.json"))
        #expect(!stdout.contains(0x1B))
        #expect((try? JSONSerialization.jsonObject(with: stdout)) != nil)
        // A solid 256x256 image at 40 columns: 20 lines of 40 cells, one colour sequence each.
        // The progress line is erased (ESC[K) before the drawing starts.
        let lines = screen.output.components(separatedBy: "\r\n").filter { $0.contains("▀") }
            .map { $0.components(separatedBy: "\u{1B}[K").last! }
        #expect(lines.count == 20, "\(screen.output.debugDescription)")
        let pattern = try Regex(#"^\x1B\[38;2;(\d+);0;128;48;2;\1;0;128m(▀{40})\x1B\[0m$"#)
        #expect(lines.allSatisfy { $0.wholeMatch(of: pattern) != nil }, "\(lines.first?.debugDescription ?? "")")
    }

    @Test func pathFirstThenTheDrawingAndKittyWhenAnnounced() async throws {
        let t = try await E2E()
        let plain = try await PreviewTerminal.run(
            "--preview -s 256x256 -m dall-e-2 kites",
            env: t.standardEnvironment.merging(["COLUMNS": "8"]) { $1 }, cwd: t.cwd)
        #expect(plain.status == 0)
        #expect(plain.output.contains("kites.png\r\n\u{1B}[38;2;"), "\(plain.output.debugDescription)")

        let kitty = try await PreviewTerminal.run(
            "--preview -s 256x256 -m dall-e-2 kites",
            env: t.standardEnvironment.merging(["TERM": "xterm-kitty"]) { $1 },
            cwd: t.cwd)
        #expect(kitty.status == 0)
        #expect(kitty.output.contains("\u{1B}_Gf=100,a=T,m=0;iVBORw0KGgo"), "\(kitty.output.debugDescription)")
        #expect(!kitty.output.contains("▀"))
    }
}

/// A shell command line run on a pseudo-terminal by util-linux `script`; its
/// stdout copies everything the terminal received.
enum PreviewTerminal {
    static func run(_ arguments: String, env: [String: String], cwd: URL) async throws -> Terminal.Screen {
        try await Terminal.run(commandLine: arguments, env: env, cwd: cwd, term: "xterm-256color")
    }
}
