import Foundation
import TestSupport
import Testing

/// The suite's process launcher never lets a child hold a test: a child that ignores both
/// ways of asking it to stop is killed within `stop`'s deadline, siblings never hold each
/// other's pipes open, children start with no signal blocked, and every wait ends.
@Suite struct ChildProcessTests {
    @Test func stopKillsAChildThatBlocksSIGTERMAndIgnoresTheEndOfItsInput() async throws {
        let child = try ChildProcess(
            [
                "python3", "-c",
                """
                import signal, time
                signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
                print("ready", flush=True)
                while True:
                    time.sleep(1)
                """,
            ], stdin: .pipe, stdout: .pipe)
        #expect(try await child.readLine(within: .seconds(30)) == "ready")
        #expect(try signalMask(of: child.pid, "SigBlk") & (1 << (SIGTERM - 1)) != 0, "SIGTERM is not blocked")

        let started = ContinuousClock.now
        let termination = child.stop()
        let took = ContinuousClock.now - started
        #expect(termination == .signalled(SIGKILL))
        // Two seconds' grace for SIGTERM, then SIGKILL ends it at once.
        #expect(took >= .seconds(2) && took < .seconds(6), "stop took \(took)")
    }

    /// Reads its input to the end. It says "ready" once it is past start-up, where the dynamic
    /// loader briefly holds descriptor 3 for the libraries it maps.
    private static let reader = ["sh", "-c", "echo ready; while read -r line; do :; done"]

    /// Two children started at the same moment: neither holds a descriptor beyond 0, 1 and 2,
    /// so neither can keep the other's stdin from reaching end of file.
    @Test func siblingsStartedTogetherHoldNoneOfEachOthersPipes() async throws {
        for _ in 0..<10 {
            let pair = try await withThrowingTaskGroup(of: ChildProcess.self) { group in
                for _ in 0..<2 {
                    group.addTask { try ChildProcess(Self.reader, stdin: .pipe, stdout: .pipe) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for child in pair { #expect(try await child.readLine(within: .seconds(30)) == "ready") }
            for (child, sibling) in [(pair[0], pair[1]), (pair[1], pair[0])] {
                let held = try descriptors(of: child.pid)
                let siblingPipes = try descriptors(of: sibling.pid).filter { ["0", "1"].contains($0.key) }.values
                #expect(held.keys.sorted() == ["0", "1", "2"], "\(held)")
                for pipe in siblingPipes {
                    #expect(!held.values.contains(pipe), "\(child.pid) holds its sibling's \(pipe): \(held)")
                }
            }
            for child in pair {
                child.closeStdin()
                #expect(try await child.finish(within: .seconds(30)).termination == .exited(0))
            }
        }
    }

    /// Even from a thread that blocks SIGTERM (as Foundation's Process left its children), in a
    /// process that ignores SIGURG (whose default action is to ignore it, so nothing else in the
    /// test process notices).
    @Test func aChildStartsWithNoSignalBlockedOrIgnored() async throws {
        let previous = signal(SIGURG, SIG_IGN)
        defer { signal(SIGURG, previous) }
        let child = try await onThreadBlockingSIGTERM { try ChildProcess(["cat"], stdin: .pipe) }
        #expect(try signalMask(of: child.pid, "SigBlk") == 0)
        // Signals 1-31: glibc's posix_spawn itself leaves its two internal ones (32, 33) ignored.
        let ignored = try signalMask(of: child.pid, "SigIgn") & 0x7FFF_FFFF
        #expect(ignored == 0, "ignored: \(String(ignored, radix: 16))")
        child.closeStdin()
        #expect(try await child.finish(within: .seconds(30)).termination == .exited(0))
    }

    @Test func waitsEndAtTheirDeadlineAndStopTheChild() async throws {
        let silent = try ChildProcess(["sleep", "600"], stdout: .pipe)
        await #expect(throws: LaunchError.self) { try await silent.readLine(within: .milliseconds(300)) }
        #expect(silent.termination == nil, "a line's deadline leaves the child running")

        let started = ContinuousClock.now
        await #expect(throws: LaunchError.self) { try await silent.finish(within: .milliseconds(300)) }
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(silent.termination == .signalled(SIGTERM))
    }

    /// /proc/PID/fd: descriptor number → what it points at, e.g. "pipe:[4711]".
    private func descriptors(of pid: Int32) throws -> [String: String] {
        let directory = "/proc/\(pid)/fd"
        var result: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            // One may close between listing and reading it.
            result[name] =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(directory)/\(name)")) ?? "closed"
        }
        return result
    }

    /// A hexadecimal signal set from /proc/PID/status ("SigBlk", "SigIgn"); bit n-1 is signal n.
    private func signalMask(of pid: Int32, _ field: String) throws -> UInt64 {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(field + ":") })
        return try #require(UInt64(line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces), radix: 16))
    }

    private func onThreadBlockingSIGTERM<T: Sendable>(
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                var blocked = sigset_t()
                sigemptyset(&blocked)
                sigaddset(&blocked, SIGTERM)
                pthread_sigmask(SIG_BLOCK, &blocked, nil)
                continuation.resume(with: Result { try body() })
            }.start()
        }
    }
}
