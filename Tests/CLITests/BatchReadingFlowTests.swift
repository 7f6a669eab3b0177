import ImageGenCore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A batch is checked whole, then read again line by line as the lines are
/// sent, from a copy taken when it was read.
@Suite struct BatchReadingFlowTests {
    static let png = Fixtures.bytes("rgb.png")

    @Test func editingTheBatchFileDuringTheRunChangesNothingOfIt() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let prompts = (1...30).map { "prompt \($0)" }
        scratch.write("prompts.txt", Array(prompts.map { $0 + "\n" }.joined().utf8))
        let run = InProcessRun([
            "-m", "gpt-image-2", "--concurrency", "1", "--batch", scratch.sub("prompts.txt"), "-o", "DIR/",
        ]) { _, number in
            // Once the first request is out, the file is rewritten, then cut short.
            if number == 0 { scratch.write("prompts.txt", Array("other\n".utf8)) }
            if number == 1 { _ = truncate(scratch.sub("prompts.txt"), 0) }
            return .openAIImages([Self.png])
        }
        #expect(run.status == 0)
        // Two workers may let lines in at once: the order they are sent in may differ.
        let sent = try (0..<run.sent.count).map { try run.body($0)["prompt"]?.stringValue ?? "" }
        #expect(sent.sorted() == prompts.sorted())
        #expect(run.files.count == 30)
    }

    @Test func aBatchFromAPipeIsReadOnceAndSentWhole() throws {
        let prompts = (1...40).map { "piped \($0)" }
        let run = InProcessRun(
            ["-m", "gpt-image-2", "--concurrency", "2", "--batch", "-", "-o", "DIR/"],
            stdin: "\u{FEFF}" + prompts.joined(separator: "\r\n")
        ) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 0)
        let sent = try (0..<40).map { try run.body($0)["prompt"]?.stringValue ?? "" }
        #expect(sent.sorted() == prompts.sorted())
        #expect(run.files.count == 40)
    }

    /// No copy is left behind in TMPDIR, and none is needed where TMPDIR
    /// cannot be written: the batch is then kept in memory.
    @Test func theCopyLeavesNothingBehindAndAnUnwritableTMPDIRIsNoObstacle() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("prompts.txt", Array("one\ntwo\n".utf8))
        for directory in [scratch.sub("tmp"), scratch.sub("missing")] {
            mkdir(scratch.sub("tmp"), 0o700)
            let run = InProcessRun(
                ["-m", "gpt-image-2", "--batch", scratch.sub("prompts.txt"), "-o", "DIR/"],
                environment: ["OPENAI_API_KEY": InProcessRun.key, "TMPDIR": directory]
            ) { _, _ in .openAIImages([Self.png]) }
            #expect(run.status == 0)
            #expect(run.files == ["one.png", "two.png"])
        }
        #expect(scratch.listing("tmp").isEmpty)
    }

    /// A failed line's error is not kept from the check but found again in
    /// its turn; if the line passes then, it is still not sent.
    @Test func aLineThatFailedItsCheckIsNeverSentEvenIfItWouldPassNow() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("taken.png", Self.png)
        let lines = (1...8).map { #"{"prompt": "line \#($0)"}"# } + [#"{"prompt": "late", "output": "TAKEN"}"#]
        scratch.write(
            "prompts.jsonl",
            Array(lines.joined(separator: "\n").replacing("TAKEN", with: scratch.sub("taken.png")).utf8))
        let run = InProcessRun([
            "-m", "gpt-image-2", "--concurrency", "1", "--batch", scratch.sub("prompts.jsonl"), "-o", "DIR/",
        ]) { _, number in
            if number == 0 { unlink(scratch.sub("taken.png")) }
            return .openAIImages([Self.png])
        }
        #expect(run.status == 2)
        #expect(run.sent.count == 8)
        #expect(
            run.stderr.contains(
                "imagegen: line 9: the line failed its check before the run, but not when checked again (did a file "
                    + "change?); nothing was sent for it\n"))
        #expect(scratch.contents("taken.png") == nil)
    }
}
