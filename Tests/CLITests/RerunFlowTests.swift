import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP

/// What a second run of the same work sends: `--joblog` with `--resume`,
/// `-o` fields for fixed names, `--skip-existing`.
@Suite struct RerunFlowTests {
    static let png = Fixtures.bytes("rgb.png")

    /// A batch whose line "bad" is refused by the provider.
    static func run(_ scratch: ScratchDirectory, _ extra: [String]) -> InProcessRun {
        InProcessRun(
            ["-m", "gpt-image-2", "--batch", scratch.sub("prompts.txt"), "--joblog", scratch.sub("log.jsonl")]
                + extra + ["-o", scratch.sub("out") + "/"]
        ) { request, _ in
            String(decoding: request.body, as: UTF8.self).contains("\"bad\"")
                ? .openAIError(400, message: "Your request was rejected", code: "content_policy_violation")
                : .openAIImages([Self.png])
        }
    }

    static func prompts(_ run: InProcessRun) throws -> [String] {
        try (0..<run.sent.count).map { try run.body($0)["prompt"]?.stringValue ?? "" }.sorted()
    }

    /// `--resume` keeps 64 bits of each logged line's hash, not the text of it.
    @Test func aLoggedLineIsKnownByTheFirst64BitsOfItsHash() {
        let hash = BatchJournal.hash("one")
        #expect(BatchJournal.fingerprint(hash) == UInt64(hash.prefix(16), radix: 16))
        #expect(BatchJournal.fingerprint(hash) != BatchJournal.fingerprint(BatchJournal.hash("one ")))
        #expect(BatchJournal.fingerprint("not a hash at all") == nil)
        #expect(BatchJournal.fingerprint("abc") == nil)
    }

    @Test func aResumedBatchSendsOnlyWhatTheLogDoesNotHave() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array("one\nbad\nthree\n".utf8))
        let first = Self.run(scratch, [])
        #expect(first.status == 4)
        #expect(try Self.prompts(first) == ["bad", "one", "three"])
        let log = String(decoding: scratch.contents("log.jsonl") ?? [], as: UTF8.self)
        let entries = try log.split(separator: "\n").map { try JSON.parse(Array($0.utf8)) }
        #expect(entries.count == 3)
        let bad = try #require(entries.first { $0["index"] == .int(1) })
        #expect(bad["outcome"] == .string("failed"))
        #expect(bad["exit"] == .int(4))
        #expect(bad["hash"] == .string(BatchJournal.hash("bad")))
        let one = try #require(entries.first { $0["index"] == .int(0) })
        #expect(one["files"] == .array([.string(scratch.sub("out") + "/one.png")]))

        let resumed = Self.run(scratch, ["--resume"])
        #expect(resumed.status == 0)
        #expect(resumed.sent.isEmpty)
        #expect(
            resumed.stderr == "imagegen: skipping 3 lines already in the job log \(scratch.sub("log.jsonl"))\n"
                + "imagegen: batch done: 0 lines, 0 images written, 3 lines skipped\n")

        let retried = Self.run(scratch, ["--resume-failed"])
        #expect(retried.status == 4)
        #expect(try Self.prompts(retried) == ["bad"])

        // An edited line is a new line: its fingerprint no longer matches.
        scratch.write("prompts.txt", Array("one\nbad\nthree, in blue\n".utf8))
        let edited = Self.run(scratch, ["--resume"])
        #expect(try Self.prompts(edited) == ["three, in blue"])
    }

    @Test func aLogCutOffByAKillIsReadUpToItsLastWholeLine() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array("one\ntwo\n".utf8))
        let whole = #"{"index":0,"hash":"\#(BatchJournal.hash("one"))","outcome":"ok","exit":0,"files":[]}"#
        scratch.write("log.jsonl", Array((whole + "\n" + #"{"index":1,"hash":"#).utf8))
        let run = Self.run(scratch, ["--resume"])
        #expect(run.status == 0)
        #expect(try Self.prompts(run) == ["two"])
    }

    @Test func aDamagedLogIsRefusedBeforeAnythingIsSent() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array("one\n".utf8))
        scratch.write("log.jsonl", Array("not a log\n{}\n".utf8))
        let run = Self.run(scratch, ["--resume"])
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(
            run.stderr
                == "imagegen: --joblog \(scratch.sub("log.jsonl")) line 1 is not an imagegen job log entry; "
                + "name another file, or remove it to start over\n")
    }

    @Test func resumingNeedsALogAndALogNeedsABatch() {
        let noLog = InProcessRun(["--resume", "--batch", "-", "-m", "gpt-image-2"], stdin: "one\n") { _, _ in
            .openAIImages([Self.png])
        }
        #expect(noLog.status == 2)
        #expect(noLog.sent.isEmpty)
        #expect(
            noLog.stderr
                == "imagegen: --resume and --resume-failed read the job log of an earlier run; add --joblog FILE\n")
        let noBatch = InProcessRun(["--joblog", "DIR/log", "-m", "gpt-image-2", "-o", "DIR/", "a kite"]) { _, _ in
            .openAIImages([Self.png])
        }
        #expect(noBatch.status == 2)
        #expect(noBatch.sent.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: noBatch.path("log")))
    }

    @Test func fieldsInTheOutputNameGiveEachLineTheSameNameOnEveryRun() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array("a fox\n\na heron\n".utf8))
        let run = InProcessRun([
            "-m", "gpt-image-2", "--batch", scratch.sub("prompts.txt"), "-o", "DIR/{line}-{slug}-{model}.png",
        ]) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 0)
        #expect(run.files == ["1-a-fox-gpt-image-2.png", "3-a-heron-gpt-image-2.png"])
    }

    @Test func skipExistingSendsNothingForLinesWhoseFilesAreThere() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array("a fox\na heron\n".utf8))
        scratch.write("2.png", [1, 2, 3])  // line 2's file, from an earlier run
        let arguments = [
            "-m", "gpt-image-2", "--skip-existing", "--batch", scratch.sub("prompts.txt"),
            "-o", scratch.sub("{line}.png"),
        ]
        let first = InProcessRun(arguments) { _, _ in .openAIImages([Self.png]) }
        #expect(first.status == 0)
        #expect(try Self.prompts(first) == ["a fox"])
        #expect(
            first.stderr.hasPrefix(
                "imagegen: skipping 1 line whose files exist (--skip-existing)\n"
                    + "imagegen: batch done: 1 line, 1 image written, 1 line skipped, cost $"))
        #expect(scratch.contents("2.png") == [1, 2, 3])
        let again = InProcessRun(arguments) { _, _ in .openAIImages([Self.png]) }
        #expect(again.status == 0)
        #expect(again.sent.isEmpty)
        #expect(
            again.stderr == "imagegen: skipping 2 lines whose files exist (--skip-existing)\n"
                + "imagegen: batch done: 0 lines, 0 images written, 2 lines skipped\n")
    }

    @Test func skipExistingNeedsEveryFileOfAGeneration() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("a-kite-1.png", [1])
        let arguments = ["-m", "gpt-image-2", "-n", "2", "--skip-existing", "-o", scratch.path + "/", "a kite"]
        let partly = InProcessRun(arguments) { _, _ in .openAIImages([Self.png, Self.png]) }
        #expect(partly.sent.count == 1)
        scratch.write("a-kite-2.png", [2])
        let whole = InProcessRun(arguments) { _, _ in .openAIImages([Self.png, Self.png]) }
        #expect(whole.status == 0)
        #expect(whole.sent.isEmpty)
        #expect(whole.stdout.isEmpty)
        #expect(whole.stderr == "imagegen: nothing sent: its files exist (--skip-existing)\n")
    }

    @Test func aDryRunWritesNoLog() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array("one\n".utf8))
        let run = Self.run(scratch, ["--dry-run"])
        #expect(run.status == 0)
        #expect(scratch.contents("log.jsonl") == nil)
    }
}
