import Foundation
import TestSupport
import Testing

@Suite struct TerminalEndToEndTests {
    @Test func noProgressWhenStandardErrorIsAPipeOrFile() async throws {
        let t = try await E2E()
        let result = try await t.run(["-m", "dall-e-3", "-n", "2", "kites"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test func progressLineUnderATerminalIsDrawnAndCleared() async throws {
        let t = try await E2E()
        let screen = try await Terminal.run(
            ["-m", "dall-e-3", "-n", "2", "kites"], env: t.standardEnvironment, cwd: t.cwd)
        #expect(screen.status == 0, "\(screen.output)")
        #expect(
            screen.output.contains("\rimagegen: \u{1B}[1m0/2 images\u{1B}[0m · "), "\(screen.output.debugDescription)")
        // Erased before the paths are printed, so only the output stays on the screen.
        #expect(screen.output.contains("\r\u{1B}[Kkites-1.png\r\n"), "\(screen.output.debugDescription)")

        let plain = try await Terminal.run(
            ["-m", "dall-e-3", "kites"], env: t.standardEnvironment.merging(["NO_COLOR": "1"]) { $1 },
            cwd: t.cwd)
        #expect(plain.output.contains("\rimagegen: 0/1 image · "), "\(plain.output.debugDescription)")
        #expect(!plain.output.contains("\u{1B}[1m"))

        let quiet = try await Terminal.run(
            ["--quiet", "-m", "dall-e-3", "kites"], env: t.standardEnvironment, cwd: t.cwd)
        #expect(quiet.status == 0)
        #expect(!quiet.output.contains("imagegen:"), "\(quiet.output.debugDescription)")
    }

    @Test func bareImagegenAtATerminalPrintsAShortUsage() async throws {
        let t = try await E2E()
        let screen = try await Terminal.run([], env: [:], cwd: t.cwd)
        #expect(screen.status == 2)
        #expect(screen.output.hasPrefix("Usage: imagegen [OPTIONS] [--] PROMPT..."), "\(screen.output)")
        #expect(screen.output.contains("imagegen --help"))
        #expect(screen.output.split(separator: "\n").count < 10)
    }
}
