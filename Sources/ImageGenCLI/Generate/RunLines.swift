import ImageGenCore

/// A line of a run as the window lets it in.
enum RunLine: Sendable {
    /// A single generation, prepared once.
    case prepared(PreparedGeneration)
    /// A batch line that passed every check, read again from the spool and
    /// prepared again when let in, so however long the batch, no more lines,
    /// requests, plans or edit inputs are in memory than the window holds.
    case checked(BatchFile.Line, requests: Int)
    case failed(LineFailure)

    /// How many requests the line makes: its weight in the window.
    var requests: Int {
        switch self {
        case .prepared(let prepared): prepared.wireRequests.count
        case .checked(_, let requests): requests
        case .failed: 1
        }
    }
}

/// The lines of a run in order: a batch's lines read again from its spool,
/// each with what its check found, or a single generation. Called by one
/// thread at a time: under the window's lock, or by the dry run's loop.
final class RunLines: @unchecked Sendable {
    private var single: PreparedGeneration?
    private var reader: BatchFile.LineReader?
    private let verdicts: [UInt16]
    /// A failed line's error, found by checking it again.
    private let failure: @Sendable (BatchFile.Line) -> LineFailure
    private let onLine: (@Sendable (BatchFile.Line) -> Void)?
    /// The number of the next line in the file.
    private var nextIndex = 0
    /// Why the spool could not be read to the end: every line left fails with it.
    private var broken: ImageGenError?

    init(
        single: PreparedGeneration?, reader: BatchFile.LineReader?, verdicts: [UInt16],
        failure: @escaping @Sendable (BatchFile.Line) -> LineFailure, onLine: (@Sendable (BatchFile.Line) -> Void)?
    ) {
        self.single = single
        self.reader = reader
        self.verdicts = verdicts
        self.failure = failure
        self.onLine = onLine
    }

    func next() -> RunLine? {
        if let single {
            self.single = nil
            return .prepared(single)
        }
        while nextIndex < verdicts.count {
            if let broken {
                defer { nextIndex += 1 }
                guard verdicts[nextIndex] != 0 else { continue }
                return .failed(LineFailure(index: nextIndex, error: broken))
            }
            // Taken out and put back, not copied: a copy would copy its buffer.
            guard var lines = reader.take() else { return nil }
            let read: BatchFile.Line?
            do throws(ImageGenError) {
                read = try BatchFile.next(&lines)
            } catch {
                broken = error
                continue
            }
            reader = lines
            guard let line = read else { return nil }
            nextIndex = line.index + 1
            guard line.index < verdicts.count else { return nil }
            switch verdicts[line.index] {
            case 0: continue
            case BatchCheck.failedLine:
                onLine?(line)
                return .failed(failure(line))
            case let requests:
                onLine?(line)
                return .checked(line, requests: Int(requests))
            }
        }
        return nil
    }
}
