import Foundation

/// The hostile PNGs written by Fixtures/make_hostile.py (a decompression bomb,
/// text chunks declaring 2 GiB, floods of text), made once per test process
/// rather than committed: the bomb alone is megabytes.
package enum HostilePNG {
    package static func bytes(_ name: String) async -> [UInt8] {
        guard let bytes = await files.value[name] else { fatalError("make_hostile.py wrote no \(name)") }
        return bytes
    }

    /// Made once, by the suite's one process launcher, within a minute.
    private static let files = Task<[String: [UInt8]], Never> {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("imagegen-hostile-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: directory) }
        let script = Fixtures.directory.appendingPathComponent("make_hostile.py").path
        let outcome: ChildProcess.Outcome
        do {
            outcome = try await ChildProcess.run(["python3", script, directory.path], within: .seconds(60))
        } catch {
            fatalError("make_hostile.py did not run: \(error)")
        }
        guard outcome.termination == .exited(0), let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            fatalError("make_hostile.py failed")
        }
        var files: [String: [UInt8]] = [:]
        for name in names {
            files[name] = fm.contents(atPath: directory.appendingPathComponent(name).path).map { [UInt8]($0) }
        }
        return files
    }
}
