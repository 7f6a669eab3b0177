import Foundation
import TestSupport
import Testing

/// SIGTERM and SIGINT stop a run cleanly, mid-download: exit 128+signal, a message,
/// and nothing (no image, no `.imagegen-*.tmp`) left in the output directory.
@Suite struct SignalTests {
    @Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130)), (SIGHUP, Int32(129))])
    func signalMidDownloadLeavesNothingBehind(signal: Int32, status: Int32) async throws {
        let t = try await E2E()
        let run = try await DownloadingRun(in: t)
        kill(run.process.processIdentifier, signal)
        try await run.expectStopped(status: status)
        #expect(try await t.fake.generationRequests().count == 1)
        #expect(t.files().isEmpty, "\(t.files())")
    }

    /// `nohup imagegen …` keeps SIGHUP ignored; SIGTERM still stops it cleanly.
    @Test func anIgnoredHangupStaysIgnored() async throws {
        let t = try await E2E()
        let run = try await DownloadingRun(in: t, launcher: ["/usr/bin/env", "nohup"])
        kill(run.process.processIdentifier, SIGHUP)
        try await Task.sleep(for: .milliseconds(300))
        #expect(run.process.isRunning, "SIGHUP stopped a run started under nohup")
        kill(run.process.processIdentifier, SIGTERM)
        try await run.expectStopped(status: 143)
        #expect(t.files().isEmpty, "\(t.files())")
    }
}

/// imagegen started with Foundation's Process (which spawns children with most signals
/// blocked, so this also checks imagegen unblocks the ones it handles), waiting until it
/// is in the middle of an image download that would take minutes: the fake's [[trickle]]
/// URL sends 4 bytes every 100 ms.
private struct DownloadingRun {
    let process = Process()
    let stdoutURL: URL
    let stderrURL: URL

    init(in t: E2E, launcher: [String] = []) async throws {
        let id = UUID().uuidString
        stdoutURL = t.root.appendingPathComponent("stdout-\(id)")
        stderrURL = t.root.appendingPathComponent("stderr-\(id)")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let command = launcher + [Imagegen.binary.path, "a fox [[trickle]]"]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.currentDirectoryURL = t.cwd
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": t.home.path]
            .merging(t.standardEnvironment) { _, given in given }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()

        // The fake logs a GET when it starts answering it.
        let deadline = ContinuousClock.now + .seconds(120)
        while try await t.fake.requests().filter({ $0.method == "GET" }).isEmpty {
            if !process.isRunning || ContinuousClock.now > deadline {
                let running = process.isRunning
                if running { kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
                let log = try await t.fake.requests().map { "\($0.method) \($0.path) \($0.status ?? 0)" }
                throw DownloadingRunError.downloadNeverStarted(
                    "running: \(running), status \(process.terminationStatus), fake saw \(log), stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))  // some bytes are in flight
    }

    func expectStopped(status: Int32, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("imagegen did not stop", sourceLocation: sourceLocation)
            return
        }
        process.waitUntilExit()
        #expect(
            process.terminationReason == .exit, "killed by the signal, not ended by its handler",
            sourceLocation: sourceLocation)
        #expect(process.terminationStatus == status, sourceLocation: sourceLocation)
        let stderr = try String(contentsOf: stderrURL, encoding: .utf8)
        #expect(
            stderr.contains("imagegen: interrupted; no partial files were left"), "\(stderr)",
            sourceLocation: sourceLocation)
        #expect(try Data(contentsOf: stdoutURL).isEmpty, sourceLocation: sourceLocation)
    }
}

private enum DownloadingRunError: Error {
    case downloadNeverStarted(String)
}
