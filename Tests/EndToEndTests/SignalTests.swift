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
        run.process.signal(signal)
        try await run.expectStopped(status: status)
        #expect(try await t.fake.generationRequests().count == 1)
        #expect(t.files().isEmpty, "\(t.files())")
    }

    /// `nohup imagegen …` keeps SIGHUP ignored; SIGTERM still stops it cleanly.
    @Test func anIgnoredHangupStaysIgnored() async throws {
        let t = try await E2E()
        let run = try await DownloadingRun(in: t, launcher: ["/usr/bin/env", "nohup"])
        run.process.signal(SIGHUP)
        try await Task.sleep(for: .milliseconds(300))
        #expect(run.process.termination == nil, "SIGHUP stopped a run started under nohup")
        run.process.signal(SIGTERM)
        try await run.expectStopped(status: 143)
        #expect(t.files().isEmpty, "\(t.files())")
    }
}

/// imagegen started with the signals it handles blocked (as a parent such as Foundation's
/// Process may leave them, so this also checks imagegen unblocks them), waiting until it is
/// in the middle of an image download that would take minutes: the fake's [[trickle]] URL
/// sends 4 bytes every 100 ms.
private struct DownloadingRun {
    let process: ChildProcess
    let stdoutURL: URL
    let stderrURL: URL

    init(in t: E2E, launcher: [String] = []) async throws {
        let id = UUID().uuidString
        stdoutURL = t.root.appendingPathComponent("stdout-\(id)")
        stderrURL = t.root.appendingPathComponent("stderr-\(id)")
        process = try ChildProcess(
            launcher + [Imagegen.binary.path, "a fox [[trickle]]"],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": t.home.path]
                .merging(t.standardEnvironment) { _, given in given },
            cwd: t.cwd, stdin: .null, stdout: .file(stdoutURL), stderr: .file(stderrURL),
            blockedSignals: [SIGINT, SIGTERM, SIGHUP])

        // The fake logs a GET when it starts answering it.
        let deadline = ContinuousClock.now + .seconds(120)
        while try await t.fake.requests().filter({ $0.method == "GET" }).isEmpty {
            let ended = process.termination
            if ended != nil || ContinuousClock.now > deadline {
                let final = ended ?? process.stop()
                let stderr = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
                let log = try await t.fake.requests().map { "\($0.method) \($0.path) \($0.status ?? 0)" }
                throw DownloadingRunError.downloadNeverStarted(
                    "running: \(ended == nil), then \(final.map(String.init(describing:)) ?? "not reaped"), "
                        + "fake saw \(log), stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(200))  // some bytes are in flight
    }

    func expectStopped(status: Int32, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let termination: ChildProcess.Termination
        do {
            termination = try await process.finish(within: .seconds(10)).termination
        } catch {
            Issue.record("imagegen did not stop: \(error)", sourceLocation: sourceLocation)
            return
        }
        #expect(
            termination.signal == nil, "killed by the signal, not ended by its handler: \(termination)",
            sourceLocation: sourceLocation)
        #expect(termination == .exited(status), sourceLocation: sourceLocation)
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
