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

extension LineWindow {
    /// A window over the lines of an array.
    convenience init(_ lines: [Line], limit: Int, weight: @escaping @Sendable (Line) -> Int) {
        let cursor = Cursor(lines)
        self.init(limit: limit, weight: weight, produce: { cursor.next() })
    }
}

/// Hands out an array's items in order. Only the window's lock calls it.
private final class Cursor<Item: Sendable>: @unchecked Sendable {
    private var items: [Item]
    private var position = 0

    init(_ items: [Item]) { self.items = items }

    func next() -> Item? {
        guard position < items.count else { return nil }
        defer { position += 1 }
        return items[position]
    }
}
