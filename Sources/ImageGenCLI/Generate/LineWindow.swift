import Synchronization

/// How many lines of a run hold answers in memory: from being started until
/// their files are written (with `--json`, until printed in input order,
/// since the document carries the image data). Lines are let in while the
/// requests of the lines in that state fit under `limit`, so memory stays
/// flat however long the batch is.
final class LineWindow<Line: Sendable>: Sendable {
    private struct State {
        var next = 0
        var inWindow = 0
        var weights: [Int: Int] = [:]
    }

    private let lines: [Line]
    private let limit: Int
    private let weight: @Sendable (Line) -> Int
    private let state = Mutex(State())

    /// `weight` is how many requests a line makes.
    init(_ lines: [Line], limit: Int, weight: @escaping @Sendable (Line) -> Int) {
        self.lines = lines
        self.limit = max(1, limit)
        self.weight = weight
    }

    /// The lines to start now, with their positions. A line heavier than
    /// `limit` is let in alone.
    func admit() -> [(position: Int, line: Line)] {
        state.withLock { state in
            var admitted: [(position: Int, line: Line)] = []
            while state.next < lines.count {
                let weight = max(1, weight(lines[state.next]))
                guard state.inWindow == 0 || state.inWindow + weight <= limit else { break }
                state.weights[state.next] = weight
                state.inWindow += weight
                admitted.append((state.next, lines[state.next]))
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

/// A line of a run as the window holds it until its turn.
enum RunLine: Sendable {
    /// A single generation, prepared once. Boxed, like a failure: an enum is
    /// as wide as its widest case, and a batch keeps one per line.
    indirect case prepared(PreparedGeneration)
    /// A batch line that passed every check. Only its text is kept and it is
    /// prepared again when let in, so however long the batch, no more
    /// requests, plans or edit inputs are in memory than the window holds.
    case checked(BatchFile.Line, requests: Int)
    indirect case failed(LineFailure)

    /// How many requests the line makes: its weight in the window.
    var requests: Int {
        switch self {
        case .prepared(let prepared): prepared.wireRequests.count
        case .checked(_, let requests): requests
        case .failed: 1
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

    convenience init(_ lines: [Line], concurrency: Int) {
        self.init(lines, limit: Self.limit(concurrency: concurrency)) { $0.requests }
    }
}

typealias BatchWindow = LineWindow<RunLine>
