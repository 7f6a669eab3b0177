import ImageGenCore
import ImageGenProviders

/// What a batch did, counted as its lines are printed: said on standard
/// error when it ends, and the last line of `--json`'s output, so a script
/// knows the totals without adding up every line.
package struct BatchSummary: Equatable, Sendable {
    /// Lines run (a line that failed before anything was sent counts).
    package var lines = 0
    package var failedLines = 0
    /// Images delivered: written to a file or standard output, or their URL printed.
    package var images = 0
    package var failedImages = 0
    /// Lines not run: in the job log (`--resume`) or their files exist (`--skip-existing`).
    package var skippedLines = 0
    /// Sum of the known line costs, in micro-USD.
    package var costMicros = 0
    /// Lines that made images at a price imagegen does not know.
    package var unpricedLines = 0

    package init(skippedLines: Int = 0) {
        self.skippedLines = skippedLines
    }

    package mutating func add(_ report: LineReport) {
        lines += 1
        let delivered = report.outcomes.filter { $0.savedImage != nil }.count
        images += delivered
        failedImages += max(0, report.expectedImages - delivered)
        if !report.errors.isEmpty { failedLines += 1 }
        if let cost = report.costMicros {
            costMicros += cost
        } else if delivered > 0 {
            unpricedLines += 1
        }
    }

    /// "batch done: 100 lines, 97 images written, 3 lines failed, 40 lines skipped, cost $3.88"
    package var text: String {
        var parts = [plural(lines, "line"), plural(images, "image") + " written"]
        if failedLines > 0 { parts.append(plural(failedLines, "line") + " failed") }
        if skippedLines > 0 { parts.append(plural(skippedLines, "line") + " skipped") }
        if unpricedLines > 0 {
            parts.append(
                "cost at least \(PriceTable.amount(costMicros)) (\(plural(unpricedLines, "line")) unpriced)")
        } else if images > 0 {
            parts.append("cost \(PriceTable.amount(costMicros))")
        }
        return "batch done: " + parts.joined(separator: ", ")
    }

    /// `{"summary": {…}}`: a key no line's document has, so `jq 'select(.summary)'` finds it.
    package var document: JSON {
        .object([
            (
                "summary",
                .object([
                    ("lines", .int(lines)), ("images", .int(images)), ("failed_lines", .int(failedLines)),
                    ("failed_images", .int(failedImages)), ("skipped_lines", .int(skippedLines)),
                    ("cost_usd", PriceTable.dollars(costMicros)), ("unpriced_lines", .int(unpricedLines)),
                ])
            )
        ])
    }

    private func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}
