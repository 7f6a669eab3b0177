import Synchronization

/// How many lines of a run hold answers in memory: from being started until
/// their files are written (with `--json`, until printed in input order,
/// since the document carries the image data). Lines are let in while the
/// requests of the lines in that state fit under `limit`, so memory stays
/// flat however long the batch is.
final class LineWindow<Line: Sendable>: Sendable {
    private struct State {
        /// The line read and not let in yet: it did not fit.
        var waiting: Line?
        var ended = false
        var next = 0
        var inWindow = 0
        var weights: [Int: Int] = [:]
    }

    private let produce: @Sendable () -> Line?
    private let limit: Int
    private let weight: @Sendable (Line) -> Int
    private let state = Mutex(State())

    /// `produce` gives the lines in order, nil after the last; it is only
    /// called under the window's lock. `weight` is how many requests a line makes.
    init(limit: Int, weight: @escaping @Sendable (Line) -> Int, produce: @escaping @Sendable () -> Line?) {
        self.produce = produce
        self.limit = max(1, limit)
        self.weight = weight
    }

    /// The lines to start now, with their positions. A line heavier than
    /// `limit` is let in alone.
    func admit() -> [(position: Int, line: Line)] {
        state.withLock { state in
            var admitted: [(position: Int, line: Line)] = []
            while true {
                if state.waiting == nil, !state.ended {
                    state.waiting = produce()
                    state.ended = state.waiting == nil
                }
                guard let line = state.waiting else { break }
                let weight = max(1, weight(line))
                guard state.inWindow == 0 || state.inWindow + weight <= limit else { break }
                state.waiting = nil
                state.weights[state.next] = weight
                state.inWindow += weight
                admitted.append((state.next, line))
                state.next += 1
            }
            return admitted
        }
    }

    /// Gives back the room of the lines printed.
    func finished(_ positions: Range<Int>) {
        state.withLock { state in
            for position in positions {
                state.inWindow -= state.weights.removeValue(forKey: position) ?? 0
            }
        }
    }
}

extension LineWindow where Line == RunLine {
    /// Every transfer busy, and two answers waiting for the workers that
    /// decode and write them (a few milliseconds each, against a transfer's
    /// hundreds): more would only wait longer, in memory. At --concurrency 16 with 1.4 MB images, 24 lines
    /// peaked at 72 MiB, 20 at 63 MiB and 18 at 58 MiB, all in the same time.
    static func limit(concurrency: Int) -> Int {
        let concurrency = max(1, concurrency)
        return concurrency + 2
    }

    convenience init(_ lines: RunLines, concurrency: Int) {
        self.init(limit: Self.limit(concurrency: concurrency), weight: { $0.requests }, produce: { lines.next() })
    }
}

typealias BatchWindow = LineWindow<RunLine>
