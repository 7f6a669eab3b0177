import Foundation
import TestSupport
import Testing

@Suite struct InstallEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs the real Makefile with the test build's binary (`-o` keeps make from rebuilding it).
    func make(_ target: String, destdir: URL) async throws -> Int32 {
        let binary = Imagegen.binary.path
        return try await ChildProcess.run(
            [
                "make", "-s", "-C", Self.root.path, "-o", binary, target, "DESTDIR=\(destdir.path)",
                "PREFIX=/usr", "BINARY=\(binary)",
            ], stdout: .null, within: .seconds(120)
        ).termination.status
    }

    func files(under root: URL) -> [String] {
        let all = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return all.filter { path in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(
                atPath: root.appendingPathComponent(path).path, isDirectory: &isDirectory)
            return !isDirectory.boolValue
        }.sorted()
    }

    @Test func installsExactlyTheBinaryManPageAndCompletionsAndUninstallRemovesThem() async throws {
        let destdir = FileManager.default.temporaryDirectory.appendingPathComponent("imagegen-install-\(UUID())")
        defer { try? FileManager.default.removeItem(at: destdir) }
        #expect(try await make("install", destdir: destdir) == 0)
        #expect(
            files(under: destdir) == [
                "usr/bin/imagegen",
                "usr/share/bash-completion/completions/imagegen",
                "usr/share/fish/vendor_completions.d/imagegen.fish",
                "usr/share/man/man1/imagegen.1",
                "usr/share/zsh/site-functions/_imagegen",
            ])
        let attributes = try FileManager.default.attributesOfItem(atPath: destdir.path + "/usr/bin/imagegen")
        #expect((attributes[.posixPermissions] as? Int) == 0o755)
        #expect(
            FileManager.default.contentsEqual(
                atPath: destdir.path + "/usr/share/man/man1/imagegen.1",
                andPath: Self.root.path + "/man/imagegen.1"))

        #expect(try await make("uninstall", destdir: destdir) == 0)
        #expect(files(under: destdir) == [])
    }

    /// An installed binary must run without the Swift toolchain (moved,
    /// absent, or a packaged copy): the release build links the Swift
    /// runtime in, and builds only the tool, never the test support. Dry-run
    /// make (`-n`, `-B`: print every command it would run, deps included).
    @Test func theReleaseBuildLinksTheSwiftRuntimeStatically() async throws {
        let outcome = try await ChildProcess.run(
            ["make", "-n", "-B", "-C", Self.root.path, "build"], stdout: .pipe, within: .seconds(60))
        let commands = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n")
        let build = commands.filter { $0.contains("build -c release") }
        #expect(build.count == 1, "\(commands)")
        #expect(build.first?.contains("--product imagegen") == true)
        #expect(build.first?.contains("--static-swift-stdlib") == true)
    }
}
