import Testing

@testable import ImageGenCLI

/// The window that keeps a batch's memory flat: lines are let in while
/// their requests fit, and room comes back only when lines are printed.
struct LineWindowTests {
    @Test func linesAreLetInUntilTheirRequestsFillTheLimit() {
        let window = LineWindow([1, 1, 2, 1, 1], limit: 4) { $0 }
        #expect(window.admit().map(\.position) == [0, 1, 2])
        #expect(window.admit().isEmpty)
        window.finished(0..<1)
        #expect(window.admit().map(\.position) == [3])
        window.finished(1..<3)
        #expect(window.admit().map(\.position) == [4])
        #expect(window.admit().isEmpty)
    }

    @Test func aLineHeavierThanTheLimitIsLetInAloneOnceTheWindowIsEmpty() {
        let window = LineWindow([1, 10, 1], limit: 4) { $0 }
        #expect(window.admit().map(\.position) == [0])
        window.finished(0..<1)
        #expect(window.admit().map(\.position) == [1])
        #expect(window.admit().isEmpty)
        window.finished(1..<2)
        #expect(window.admit().map(\.line) == [1])
    }

    @Test func roomForPositionsNeverLetInIsNotGivenBack() {
        let window = LineWindow([1, 1, 1], limit: 1) { $0 }
        #expect(window.admit().map(\.position) == [0])
        window.finished(5..<9)
        #expect(window.admit().isEmpty)
    }

    @Test func theLimitKeepsEveryTransferBusyWithRoomToSpare() {
        #expect(BatchWindow.limit(concurrency: 1) == 3)
        #expect(BatchWindow.limit(concurrency: 16) == 18)
        #expect(BatchWindow.limit(concurrency: 64) == 66)
    }

}
