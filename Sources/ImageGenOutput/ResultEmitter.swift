import ImageGenCore
import Synchronization

/// Prints results in input order however they finish: standard output gets
/// paths or JSON, the reporter the errors, and the exit status is the
/// first failure's in input order (SPEC §2).
package final class ResultEmitter: Sendable {
    package enum Style: Sendable {
        /// One generation: a pretty JSON document or paths; errors as `imagegen: …`.
        case single
        /// `--batch`: JSON Lines with `index`, or paths; errors as `imagegen: line N: …`.
        case batch
    }

    private struct State: Sendable {
        var next = 0
        var waiting: [Int: LineReport] = [:]
        var exitCode: Int32 = 0
        var summary = BatchSummary()
    }

    private let style: Style
    private let json: Bool
    /// `--json FIELD,…`: the members each document keeps.
    private let fields: FieldSelection?
    private let standardOutput: StreamWriter
    private let reporter: Reporter
    private let progress: (any ProgressObserver)?
    /// Runs after each image's line is printed (`--preview` draws it).
    private let afterImage: (@Sendable (SavedImage) -> Void)?
    /// Every document on one line, even a single one: `--json --stream`
    /// prints event lines before it, and JSON Lines stay JSON Lines.
    private let oneLine: Bool
    private let state = Mutex(State())

    package init(
        style: Style, json: Bool, fields: FieldSelection? = nil, standardOutput: StreamWriter, reporter: Reporter,
        progress: (any ProgressObserver)? = nil, afterImage: (@Sendable (SavedImage) -> Void)? = nil,
        oneLine: Bool = false
    ) {
        self.style = style
        self.oneLine = oneLine
        self.json = json
        self.fields = fields
        self.standardOutput = standardOutput
        self.reporter = reporter
        self.progress = progress
        self.afterImage = afterImage
    }

    package var exitCode: Int32 { state.withLock { $0.exitCode } }

    /// The totals of the lines printed so far.
    package var summary: BatchSummary { state.withLock { $0.summary } }

    /// Takes the report at `position` and prints every report now in order;
    /// returns the positions it printed.
    @discardableResult
    package func deliver(_ position: Int, _ report: LineReport) -> Range<Int> {
        // Counted now, as its files are written, not when its turn to print
        // comes: a slow first line must not freeze the progress line.
        if let progress {
            let succeeded = report.outcomes.filter { $0.savedImage != nil }.count
            for _ in 0..<succeeded { progress.imageFinished(succeeded: true) }
            for _ in 0..<max(0, report.expectedImages - succeeded) { progress.imageFinished(succeeded: false) }
        }
        return state.withLock { state in
            state.waiting[position] = report
            let first = state.next
            while let ready = state.waiting.removeValue(forKey: state.next) {
                let code = print(ready)
                state.summary.add(ready)
                if state.exitCode == 0 { state.exitCode = code }
                state.next += 1
            }
            return first..<state.next
        }
    }

    private func print(_ report: LineReport) -> Int32 {
        let errors = report.errors
        let emit = {
            if self.json {
                self.printDocument(report)
                for case .success(let saved) in report.outcomes { self.afterImage?(saved) }
            } else {
                for outcome in report.outcomes {
                    if let line = OutputStage.plainLine(outcome) { self.standardOutput.write(line + "\n") }
                    if case .success(let saved) = outcome { self.afterImage?(saved) }
                }
            }
            let context = self.style == .batch ? "line \(report.index + 1)" : nil
            for (error, count) in ResultEmitter.collapse(errors) {
                self.reporter.error(error, context: context, repeats: count)
            }
        }
        if let progress { progress.printingAside(emit) } else { emit() }
        return errors.first?.exitCode ?? 0
    }

    private func printDocument(_ report: LineReport) {
        let document = ResultDocument.report(
            report, index: style == .batch ? report.index : nil, redactor: reporter.redactor, fields: fields)
        document.write(pretty: style == .single && !oneLine) { standardOutput.write($0) }
        standardOutput.write("\n")
    }

    /// Sixteen fan-out requests refused for one bad key make one line, not sixteen.
    static func collapse(_ errors: [ImageGenError]) -> [(ImageGenError, Int)] {
        var collapsed: [(ImageGenError, Int)] = []
        for error in errors {
            if let i = collapsed.firstIndex(where: { $0.0 == error }) {
                collapsed[i].1 += 1
            } else {
                collapsed.append((error, 1))
            }
        }
        return collapsed
    }
}
