import Foundation
import TestSupport
import Testing

/// A full disk while writing: exit 7, the path in the message, and nothing
/// left in the directory (no partial image, no temporary file). Uses a tiny
/// tmpfs; where mounting is not allowed the test says so and checks nothing.
@Suite struct DiskFullTests {
    @Test func aFullDiskLeavesNothingBehind() async throws {
        let t = try await E2E()
        let mountPoint = t.cwd.appendingPathComponent("tiny")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=8k", "tmpfs", mountPoint.path]) == 0 else {
            print("DiskFullTests: cannot mount a tmpfs here (needs root); skipped")
            return
        }
        defer { _ = run("/bin/umount", [mountPoint.path]) }

        // A 1024x1024 PNG from the fake is larger than the 8 KiB file system.
        let result = try await t.run(["-m", "gpt-image-1", "-o", "tiny/", "a fox"])
        #expect(result.status == 7, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write tiny/a-fox.png"), "\(result.stderr)")
        #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint.path) == [])
    }

    private func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
