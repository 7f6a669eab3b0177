import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import Synchronization

/// Prints results in input order however they finish: standard output gets
/// paths or JSON, standard error the errors, and the exit status is the
/// first failure's in input order (SPEC §2).
package final class ResultEmitter: Sendable {
    enum Style: Sendable {
        /// One generation: a pretty JSON document or paths; errors as `imagegen: …`.
        case single
        /// `--batch`: JSON Lines with `index`, or paths; errors as `imagegen: line N: …`.
        case batch
    }

    private struct State: Sendable {
        var next = 0
        var waiting: [Int: LineReport] = [:]
        var exitCode: Int32 = 0
    }

    private let style: Style
    private let json: Bool
    private let redactor: Redactor
    private let progress: (any ProgressObserver)?
    /// `--preview` on a terminal: each image drawn after its line.
    private let preview: TerminalPreview?
    private let state = Mutex(State())

    init(style: Style, json: Bool, redactor: Redactor, progress: (any ProgressObserver)?,
         preview: TerminalPreview? = nil) {
        self.style = style
        self.json = json
        self.redactor = redactor
        self.progress = progress
        self.preview = preview
    }

    var exitCode: Int32 { state.withLock { $0.exitCode } }

    /// Takes the report at `position` and prints every report now in order.
    func deliver(_ position: Int, _ report: LineReport) {
        state.withLock { state in
            state.waiting[position] = report
            while let ready = state.waiting.removeValue(forKey: state.next) {
                let code = print(ready)
                if state.exitCode == 0 { state.exitCode = code }
                state.next += 1
            }
        }
    }

    private func print(_ report: LineReport) -> Int32 {
        let errors = report.errors
        let succeeded = report.outcomes.filter { $0.savedImage != nil }.count
        if let progress {
            for _ in 0..<succeeded { progress.imageFinished(succeeded: true) }
            for _ in 0..<max(0, report.expectedImages - succeeded) { progress.imageFinished(succeeded: false) }
        }
        let emit = {
        if self.json {
            switch self.style {
            case .single:
                if let result = report.result, !result.images.isEmpty || errors.isEmpty {
                    ResultDocument.make(result, outcomes: report.outcomes,
                                        costMicros: report.costMicros).write(pretty: true) {
                        StandardStreams.writeOutput($0)
                    }
                    StandardStreams.writeOutput("\n")
                }
            case .batch:
                let document = ResultDocument.batchLine(index: report.index, result: report.result,
                                                        outcomes: report.outcomes, failure: errors.first,
                                                        redactor: self.redactor, costMicros: report.costMicros)
                document.write(pretty: false) { StandardStreams.writeOutput($0) }
                StandardStreams.writeOutput("\n")
            }
            if let preview = self.preview {
                for case .success(let saved) in report.outcomes { preview.draw(saved) }
            }
        } else {
            for outcome in report.outcomes {
                for line in OutputStage.plainLines([outcome]) { StandardStreams.writeOutput(line + "\n") }
                if let preview = self.preview, case .success(let saved) = outcome { preview.draw(saved) }
            }
        }
        let prefix = self.style == .batch ? "line \(report.index + 1): " : ""
        for (error, count) in ResultEmitter.collapse(errors) {
            let repeats = count > 1 ? " (\(count) times)" : ""
            StandardStreams.writeError("imagegen: " + prefix + self.redactor.redact(error.message) + repeats + "\n")
        }
        }
        if let progress { progress.printingAside(emit) } else { emit() }
        return errors.first?.exitCode ?? 0
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
