import Foundation
import TestSupport
import Testing

/// A batch killed with SIGKILL mid-run, then run again with `--resume`: the
/// job log it left is valid and no line that had finished is paid for twice.
@Suite struct ResumeTests {
    @Test func aBatchKilledMidwayResumesWithoutRequestingAFinishedLineAgain() async throws {
        let t = try await E2E()
        // Line 4 takes 30 s to answer: the kill lands while it is in flight.
        // It never finished, so the second run sends it again, edited to answer at once.
        var prompts = ["one", "two", "three", "four [[slow]]", "five"]
        let file = t.cwd.appendingPathComponent("prompts.txt")
        try (prompts.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let arguments = [
            "--batch", "prompts.txt", "--concurrency", "1", "--response-format", "b64_json", "--joblog", "log.jsonl",
            "-o", "out/",
        ]
        let log = t.cwd.appendingPathComponent("log.jsonl")
        let stderr = t.root.appendingPathComponent("killed-stderr")
        let process = try ChildProcess(
            [Imagegen.binary.path] + arguments,
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": t.home.path]
                .merging(t.standardEnvironment) { _, given in given },
            cwd: t.cwd, stdin: .null, stdout: .null, stderr: .file(stderr))
        let deadline = ContinuousClock.now + .seconds(60)
        func loggedLines() -> Int {
            ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        // Line 4 starts as line 3's answer arrives, before line 3 is logged
        // (b64_json: a URL answer's download would queue behind it).
        while loggedLines() < 3 {
            guard process.termination == nil, ContinuousClock.now < deadline else {
                _ = process.stop()
                Issue.record("the batch never reached line 4: \(loggedLines()) lines logged")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(300))
        process.signal(SIGKILL)
        let killed = try await process.finish(within: .seconds(10))
        #expect(killed.termination.signal == SIGKILL)
        #expect(loggedLines() == 3)

        prompts[3] = "four"
        try (prompts.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let resumed = try await t.run(arguments + ["--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("imagegen: skipping 3 lines already in the job log log.jsonl"))
        let asked = try await t.fake.generationRequests().map { $0.bodyObject?["prompt"] as? String ?? "" }
        for finished in prompts.prefix(3) {
            #expect(asked.filter { $0 == finished }.count == 1, "\(finished): \(asked)")
        }
        #expect(asked.filter { $0 == prompts[4] }.count == 1)
        #expect(Set(t.files(in: "out")).count == 5, "\(t.files(in: "out"))")
        #expect(loggedLines() == 5)
    }
}
