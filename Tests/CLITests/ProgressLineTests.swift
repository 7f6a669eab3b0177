import Synchronization
import Testing
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenCLI
import TestSupport

/// A fake clock and terminal for `ProgressLine`.
final class FakeTerminal: Sendable {
    let now = Mutex(100.0)
    let written = Mutex<[String]>([])

    func line(colour: Bool = false, columns: Int = 80) -> ProgressLine {
        ProgressLine(colour: colour, columns: columns, ticking: false,
                     clock: { self.now.withLock { $0 } }, output: { text in self.written.withLock { $0.append(text) } })
    }

    func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
    var writes: [String] { written.withLock { $0 } }
}

@Suite struct ProgressLineTests {
    @Test func drawsOneLineInPlaceAndClearsItAtTheEnd() {
        let terminal = FakeTerminal()
        let line = terminal.line()
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
        #expect(terminal.writes.last == "\rimagegen: 3/16 images · 4 in flight · 1 retry · 1 failed · 2.8 s\u{1B}[K")
        line.end()
        #expect(terminal.writes.last == "\r\u{1B}[K")
        #expect(terminal.writes.allSatisfy { !$0.contains("\n") })
        let count = terminal.writes.count
        line.imageFinished(succeeded: true)  // after the end: nothing is drawn
        #expect(terminal.writes.count == count)
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

        #expect(ProgressLine.wantsColour(Environment([:])))
        #expect(ProgressLine.wantsColour(Environment(["NO_COLOR": ""])))  // only a non-empty value counts
        #expect(!ProgressLine.wantsColour(Environment(["NO_COLOR": "1"])))
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
        #expect(Array(terminal.writes.suffix(3)) == ["\r\u{1B}[K", "kite.png\n",
                                                     "\rimagegen: 0/1 image · 0 in flight · 0.5 s\u{1B}[K"])
    }

    @Test func elapsedTime() {
        #expect(ProgressLine.format(elapsed: 0) == "0.0 s")
        #expect(ProgressLine.format(elapsed: 2.46) == "2.4 s")
        #expect(ProgressLine.format(elapsed: 59.96) == "59.9 s")
        #expect(ProgressLine.format(elapsed: 187) == "3:07")
    }

    @Test func notCreatedWhenStandardErrorIsNotATerminalOrQuiet() {
        // The test runner's standard error is a pipe or a file, never our terminal here;
        // under a terminal, the end-to-end tests cover it.
        #expect(ProgressLine.forStandardError(quiet: true, environment: Environment([:])) == nil)
        #expect(ProgressLine.forStandardError(quiet: false, environment: Environment(["TERM": "dumb"])) == nil)
    }
}
