import Foundation

/// The hostile PNGs written by Fixtures/make_hostile.py (a decompression bomb,
/// text chunks declaring 2 GiB, floods of text), made once per test process
/// rather than committed: the bomb alone is megabytes.
package enum HostilePNG {
    package static func bytes(_ name: String) -> [UInt8] {
        guard let bytes = files[name] else { fatalError("make_hostile.py wrote no \(name)") }
        return bytes
    }

    private static let files: [String: [UInt8]] = {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("imagegen-hostile-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: directory) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Fixtures.directory.appendingPathComponent("make_hostile.py").path, directory.path,
        ]
        do { try process.run() } catch { fatalError("cannot run make_hostile.py: \(error)") }
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                fatalError("make_hostile.py did not finish within 60 seconds")
            }
            usleep(10_000)
        }
        guard process.terminationStatus == 0, let names = try? fm.contentsOfDirectory(atPath: directory.path) else {
            fatalError("make_hostile.py failed")
        }
        var files: [String: [UInt8]] = [:]
        for name in names {
            files[name] = fm.contents(atPath: directory.appendingPathComponent(name).path).map { [UInt8]($0) }
        }
        return files
    }()
}
