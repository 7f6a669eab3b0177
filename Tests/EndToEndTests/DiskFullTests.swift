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
        guard await run(["/bin/mount", "-t", "tmpfs", "-o", "size=8k", "tmpfs", mountPoint.path]) == 0 else {
            print("DiskFullTests: cannot mount a tmpfs here (needs root); skipped")
            return
        }
        // Caught rather than thrown, so the unmount below (which a defer cannot await) always runs.
        do {
            // A 1024x1024 PNG from the fake is larger than the 8 KiB file system.
            let result = try await t.run(["-m", "gpt-image-1", "-o", "tiny/", "a fox"])
            #expect(result.status == 7, "\(result.stderr)")
            #expect(result.stderr.contains("cannot write tiny/a-fox.png"), "\(result.stderr)")
            #expect(result.stderr.contains("No space left on device"), "\(result.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint.path) == [])
        } catch {
            Issue.record(error)
        }
        #expect(await run(["/bin/umount", mountPoint.path]) == 0)
    }

    /// The exit status, or -1 when the tool cannot be started or does not finish.
    private func run(_ command: [String]) async -> Int32 {
        let outcome = try? await ChildProcess.run(command, stdout: .null, stderr: .null, within: .seconds(30))
        return outcome?.termination.status ?? -1
    }
}
