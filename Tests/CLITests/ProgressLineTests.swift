import Synchronization
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// A fake clock and terminal for `ProgressLine`.
final class FakeTerminal: Sendable {
    let now = Mutex(100.0)
    let written = Mutex<[String]>([])

    let shownChanges = Mutex<[Bool]>([])

    func line(colour: Bool = false, columns: Int = 80) -> ProgressLine {
        ProgressLine(
            colour: colour, columns: columns, ticking: false, clock: { self.now.withLock { $0 } },
            shown: { shown in self.shownChanges.withLock { $0.append(shown) } },
            output: { text in self.written.withLock { $0.append(text) } })
    }

    func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
    var writes: [String] { written.withLock { $0 } }
}

@Suite struct ProgressLineTests {
    @Test func drawsOneLineInPlaceAndClearsItAtTheEnd() {
        let terminal = FakeTerminal()
        let line = terminal.line(columns: 120)
        line.begin(images: 16)
        #expect(terminal.writes == ["\rimagegen: 0/16 images · 0 in flight · 0.0 s\u{1B}[K"])
        terminal.advance(2.4)
        for _ in 0..<4 { line.requestStarted() }
        terminal.advance(0.1)
        line.retrying()
        terminal.advance(0.1)
        line.imageFinished(succeeded: true)
        terminal.advance(0.1)
        line.imageFinished(succeeded: true)
        terminal.advance(0.1)
        line.imageFinished(succeeded: false)
        #expect(
            terminal.writes.last
                == "\rimagegen: 3/16 images · 1.1/s · ETA 13 s · 4 in flight · 1 retry · 1 failed · 2.8 s\u{1B}[K")
        line.end()
        #expect(terminal.writes.last == "\r\u{1B}[K")
        // The interrupt handler was told when the line appeared and went.
        #expect(terminal.shownChanges.withLock { $0 } == [true, false])
        #expect(terminal.writes.allSatisfy { !$0.contains("\n") })
        let count = terminal.writes.count
        line.imageFinished(succeeded: true)  // after the end: nothing is drawn
        #expect(terminal.writes.count == count)
    }

    @Test func aStreamedImageShowsItsLatestPartialUntilAnImageIsDone() {
        let terminal = FakeTerminal()
        let line = terminal.line(columns: 120)
        line.begin(images: 1)
        line.requestStarted()
        terminal.advance(0.5)
        line.partialImage(1, of: 2)
        #expect(terminal.writes.last == "\rimagegen: 0/1 image · partial 1/2 · 1 in flight · 0.5 s\u{1B}[K")
        terminal.advance(0.5)
        line.partialImage(2, of: 2)
        #expect(terminal.writes.last == "\rimagegen: 0/1 image · partial 2/2 · 1 in flight · 1.0 s\u{1B}[K")
        terminal.advance(0.5)
        line.requestFinished()
        terminal.advance(0.2)
        line.imageFinished(succeeded: true)
        #expect(terminal.writes.last == "\rimagegen: 1/1 image · 35/min · 0 in flight · 1.7 s\u{1B}[K")
        line.end()
    }

    @Test func livePreviewTakesBackTheHalfBlockPartialBeforeTheNext() {
        let written = Mutex<[String]>([])
        let writer = StreamWriter { bytes in written.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        let live = LivePreview(TerminalPreview(method: .halfBlocks, columns: 4, rows: 4), standardError: writer)
        let png = Fixtures.bytes("rgb.png")
        live.drawPartial(png, format: .png, label: "p1")
        let first = written.withLock { $0 }
        #expect(first.count == 1)
        #expect(first.first?.contains("▀") == true)
        let lines = first.first?.filter { $0 == "\n" }.count ?? 0
        #expect(lines > 0)
        live.drawPartial(png, format: .png, label: "p2")
        #expect(written.withLock { $0.last?.hasPrefix("\u{1B}[\(lines)F\u{1B}[J") } == true)
        live.erasePartial()
        #expect(written.withLock { $0.last } == "\u{1B}[\(lines)F\u{1B}[J")
        live.erasePartial()  // nothing left to take back
        #expect(written.withLock { $0.count } == 3)
    }

    @Test func livePreviewReplacesAKittyPartialByItsID() {
        let written = Mutex<[String]>([])
        let writer = StreamWriter { bytes in written.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        let live = LivePreview(TerminalPreview(method: .kitty, columns: 80, rows: 11), standardError: writer)
        let png = Fixtures.bytes("rgb.png")
        let id = LivePreview.kittyPartialID
        live.drawPartial(png, format: .png, label: "p1")
        let first = written.withLock { $0.last } ?? ""
        // Placed under an id, 10 rows tall, the cursor left in place; then
        // the cursor goes below it, line by line.
        #expect(first.hasPrefix("\u{1B}_Gf=100,a=T,i=\(id),r=10,C=1,q=2,m=0;"))
        #expect(first.hasSuffix("\u{1B}\\" + String(repeating: "\n", count: 10)))
        live.drawPartial(png, format: .png, label: "p2")
        let take = "\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\\u{1B}[10F\u{1B}[J"
        #expect(written.withLock { $0.last?.hasPrefix(take + "\u{1B}_Gf=100,a=T,i=\(id),") } == true)
        live.erasePartial()
        #expect(written.withLock { $0.last } == take)
        live.erasePartial()
        #expect(written.withLock { $0.count } == 3)
        // The final image is drawn as without --stream: no id, no size.
        #expect(TerminalGraphics.kitty(png).hasPrefix("\u{1B}_Gf=100,a=T,m=0;"))
    }

    @Test func livePreviewDrawsAnITerm2PartialFromASavedPlaceAndTakesItBack() {
        let written = Mutex<[String]>([])
        let writer = StreamWriter { bytes in written.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) } }
        let live = LivePreview(TerminalPreview(method: .iTerm2, columns: 80, rows: 9), standardError: writer)
        let png = Fixtures.bytes("rgb.png")
        live.drawPartial(png, format: .png, label: "p1")
        let first = written.withLock { $0.last } ?? ""
        // Eight lines made free below, the place saved, the image eight lines
        // tall, then the cursor restored and moved below it, wherever iTerm2 left it.
        #expect(first.hasPrefix(String(repeating: "\n", count: 8) + "\u{1B}[8A\u{1B}7\u{1B}]1337;File=inline=1;"))
        #expect(first.contains(";height=8;preserveAspectRatio=1:"))
        #expect(first.hasSuffix("\u{07}\u{1B}8\u{1B}[8B\r"))
        live.drawPartial(png, format: .png, label: "p2")
        #expect(written.withLock { $0.last?.hasPrefix("\u{1B}[8F\u{1B}[J\n") } == true)
        live.erasePartial()
        #expect(written.withLock { $0.last } == "\u{1B}[8F\u{1B}[J")
        #expect(TerminalGraphics.iTerm2(png).hasSuffix("\u{07}\n"), "the final image is drawn as without --stream")
    }

    @Test func ratesAndTimesLeftReadAtAGlance() {
        #expect(ProgressLine.format(rate: 42.4) == "42/s")
        #expect(ProgressLine.format(rate: 2.46) == "2.5/s")
        #expect(ProgressLine.format(rate: 0.25) == "15/min")
        #expect(ProgressLine.format(remaining: 12.1) == "13 s")
        #expect(ProgressLine.format(remaining: 187) == "3:07")
        #expect(ProgressLine.format(remaining: 7387) == "2:03:07")
        #expect(ProgressLine.format(remaining: .infinity) == "99:59:59")
    }

    @Test func redrawsAtMostTenTimesASecond() {
        let terminal = FakeTerminal()
        let line = terminal.line()
        line.begin(images: 1000)
        for _ in 0..<1000 {
            line.imageFinished(succeeded: true)
            terminal.advance(0.001)  // one second of events in all
        }
        #expect(terminal.writes.count <= 11)
        #expect(terminal.writes.count >= 9)
    }

    @Test func colourOnlyWhenAskedAndNeverWithNoColor() {
        let terminal = FakeTerminal()
        terminal.line(colour: true).begin(images: 2)
        #expect(terminal.writes.last?.contains("\u{1B}[1m0/2 images\u{1B}[0m") == true)
        let plain = FakeTerminal()
        plain.line(colour: false).begin(images: 2)
        #expect(plain.writes.last?.contains("\u{1B}[1m") == false)
    }

    @Test func aRunOnATerminalColoursTheLineUnlessNoColor() throws {
        let bold = "\u{1B}[1m0/1 image\u{1B}[0m"
        let coloured = try generateOnce(environment: [:])
        #expect(coloured.status == 0, "\(coloured.standardError)")
        #expect(coloured.standardError.contains("\rimagegen: " + bold))
        // Only a non-empty NO_COLOR counts (no-color.org).
        let empty = try generateOnce(environment: ["NO_COLOR": ""])
        #expect(empty.standardError.contains("\rimagegen: " + bold))
        let plain = try generateOnce(environment: ["NO_COLOR": "1"])
        #expect(plain.status == 0, "\(plain.standardError)")
        #expect(plain.standardError.contains("\rimagegen: 0/1 image · "))
        #expect(!plain.standardError.contains("\u{1B}[1m"))
    }

    @Test func fitsANarrowTerminal() {
        let terminal = FakeTerminal()
        let line = terminal.line(columns: 40)
        line.begin(images: 16)
        line.retrying()
        let drawn = terminal.writes.last!.dropFirst().dropLast(3)
        #expect(drawn.count < 40)
        #expect(drawn.hasPrefix("imagegen: 0/16 images"))
    }

    @Test func messagesGoAboveTheLine() {
        let terminal = FakeTerminal()
        let line = terminal.line()
        line.begin(images: 1)
        terminal.advance(0.5)
        line.printingAside { terminal.written.withLock { $0.append("kite.png\n") } }
        #expect(
            Array(terminal.writes.suffix(3)) == [
                "\r\u{1B}[K", "kite.png\n",
                "\rimagegen: 0/1 image · 0 in flight · 0.5 s\u{1B}[K",
            ])
    }

    @Test func elapsedTime() {
        #expect(ProgressLine.format(elapsed: 0) == "0.0 s")
        #expect(ProgressLine.format(elapsed: 2.46) == "2.4 s")
        #expect(ProgressLine.format(elapsed: 59.96) == "59.9 s")
        #expect(ProgressLine.format(elapsed: 187) == "3:07")
    }

    @Test func notDrawnWhenStandardErrorIsNotATerminalOrQuiet() throws {
        let drawn = try generateOnce(environment: [:])
        #expect(drawn.status == 0, "\(drawn.standardError)")
        #expect(drawn.standardError.contains("\rimagegen: "))
        let cases: [(environment: [String: String], arguments: [String], terminal: Bool)] = [
            ([:], [], false),
            ([:], ["--quiet"], true),
            (["TERM": "dumb"], [], true),
            ([:], ["-v"], true),  // -v's messages would tear the line
        ]
        for (environment, arguments, terminal) in cases {
            let run = try generateOnce(environment: environment, arguments: arguments, terminal: terminal)
            #expect(run.status == 0, "\(run.standardError)")
            #expect(!run.standardError.contains("\r"), "\(environment) \(arguments) terminal: \(terminal)")
            #expect(!run.standardError.contains("in flight"), "\(environment) \(arguments) terminal: \(terminal)")
        }
    }

    /// One image generated in-process against a scripted OpenAI answer, with
    /// standard error on a (pretend) terminal unless `terminal` is false.
    func generateOnce(
        environment: [String: String], arguments: [String] = [], terminal: Bool = true
    ) throws
        -> (status: Int32, standardError: String)
    {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let png = Base64.encode(Fixtures.bytes("rgb.png"))
        let transport = ScriptedTransport { _, _ in
            .status(200, json: #"{"created": 1703658209, "data": [{"b64_json": "\#(png)"}]}"#)
        }
        let captured = CapturedIO(
            terminal: TerminalFacts(
                standardErrorIsTerminal: terminal,
                standardErrorSize: TerminalSize(columns: 100, rows: 30)))
        let status = CommandLineTool.main(
            arguments: ["-o", scratch.path + "/", "--no-metadata"] + arguments + ["an otter"],
            environment: Environment(
                ["OPENAI_API_KEY": "sk-test", "TERM": "xterm-256color"]
                    .merging(environment) { _, given in given }),
            io: captured.io, makeTransport: { _ in transport })
        #expect(scratch.listing().count == 1, "\(scratch.listing())")
        return (status, captured.standardError)
    }

    @Test func tasksWaitingForTheirNextPollAreShown() {
        let terminal = FakeTerminal()
        let line = terminal.line(columns: 120)
        line.begin(images: 2)
        line.waitStarted()
        line.waitStarted()
        terminal.advance(0.2)
        line.requestStarted()
        #expect(terminal.writes.last?.contains("1 in flight · 2 waiting") == true, "\(terminal.writes)")
        line.waitEnded()
        line.waitEnded()
        terminal.advance(0.2)
        line.requestFinished()
        #expect(terminal.writes.last?.contains("waiting") == false)
    }
}
