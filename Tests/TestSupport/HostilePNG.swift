import Foundation

/// The hostile PNGs written by Fixtures/make_hostile.py (a decompression bomb,
/// text chunks declaring 2 GiB, floods of text), made once per test process
/// rather than committed: the bomb alone is megabytes.
package enum HostilePNG {
    package static func bytes(_ name: String) async -> [UInt8] {
        guard let bytes = await files.value[name] else { fatalError("make_hostile.py wrote no \(name)") }
        return bytes
    }

    /// Every file Fixtures/make_png_matrix.py writes, by name: each colour
    /// type and bit depth, plain and interlaced, and images with one defect each.
    package static func matrix() async -> [String: [UInt8]] {
        await matrixFiles.value
    }

    /// Made once, by the suite's one process launcher, within a minute.
    private static let files = Task<[String: [UInt8]], Never> { await written(by: "make_hostile.py") }
    private static let matrixFiles = Task<[String: [UInt8]], Never> { await written(by: "make_png_matrix.py") }

    private static func written(by scriptName: String) async -> [String: [UInt8]] {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("imagegen-hostile-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: directory) }
        let script = Fixtures.directory.appendingPathComponent(scriptName).path
        let outcome: ChildProcess.Outcome
        do {
            outcome = try await ChildProcess.run(["python3", script, directory.path], within: .seconds(60))
        } catch {
            fatalError("\(scriptName) did not run: \(error)")
        }
        guard outcome.termination == .exited(0), let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            fatalError("\(scriptName) failed")
        }
        var files: [String: [UInt8]] = [:]
        for name in names {
            files[name] = fm.contents(atPath: directory.appendingPathComponent(name).path).map { [UInt8]($0) }
        }
        return files
    }
}
