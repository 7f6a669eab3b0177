import Testing

@testable import ImageGenCore
@testable import ImageGenImaging
@testable import ImageGenOutput

/// The totals a batch ends with, on standard error and as `--json`'s last line.
@Suite struct BatchSummaryTests {
    static let info = ImageInfo(format: .png, width: 8, height: 8, byteCount: 100)

    static func line(_ index: Int, written: Int, expected: Int, cost: Int?) -> LineReport {
        let result = GenerationResult(
            created: 1, model: "dall-e-3", provider: .openai,
            images: Array(repeating: GeneratedImage(b64JSON: "x"), count: written))
        let outcomes = (0..<written).map {
            ImageOutcome.success(SavedImage(destination: .file("\($0).png"), info: info))
        }
        return LineReport(
            index: index, expectedImages: expected, result: result, outcomes: outcomes, failures: [], costMicros: cost)
    }

    @Test func countsLinesImagesFailuresAndCost() throws {
        var summary = BatchSummary(skippedLines: 40)
        summary.add(Self.line(0, written: 2, expected: 2, cost: 80_000))
        summary.add(Self.line(1, written: 1, expected: 2, cost: 40_000))  // one image short: a failed line
        summary.add(.failed(index: 2, .usage("bad line")))
        #expect(summary.lines == 3 && summary.images == 3 && summary.failedImages == 1 && summary.failedLines == 2)
        #expect(summary.text == "batch done: 3 lines, 3 images written, 2 lines failed, 40 lines skipped, cost $0.12")
        let document = summary.document
        #expect(document["summary"]?["cost_usd"] == .number("0.12"))
        #expect(document["summary"]?["skipped_lines"] == .int(40))
        #expect(document["summary"]?["failed_images"] == .int(1))
    }

    @Test func aLineWithoutAPriceMakesTheCostALowerBound() {
        var summary = BatchSummary()
        summary.add(Self.line(0, written: 1, expected: 1, cost: 40_000))
        summary.add(Self.line(1, written: 1, expected: 1, cost: nil))
        #expect(summary.text == "batch done: 2 lines, 2 images written, cost at least $0.04 (1 line unpriced)")
        #expect(summary.document["summary"]?["unpriced_lines"] == .int(1))
    }

    @Test func nothingRunSaysSoWithoutACost() {
        #expect(BatchSummary(skippedLines: 1).text == "batch done: 0 lines, 0 images written, 1 line skipped")
    }
}
