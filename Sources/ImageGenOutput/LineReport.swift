import ImageGenCore

/// Everything known about one generation (one `--batch` line) once it is over.
package struct LineReport: Sendable {
    /// 0-based line number for `--batch`, 0 otherwise.
    package let index: Int
    package let expectedImages: Int
    package let result: GenerationResult?
    package let outcomes: [ImageOutcome]
    package let failures: [ImageGenError]
    /// `cost_usd` in micro-USD, nil when the price is unknown.
    package var costMicros: Int?
    /// How many attempts the first failed request took, when one failed.
    package var attempts: Int?

    package init(
        index: Int, expectedImages: Int, result: GenerationResult?, outcomes: [ImageOutcome],
        failures: [ImageGenError], costMicros: Int? = nil, attempts: Int? = nil
    ) {
        self.index = index
        self.expectedImages = expectedImages
        self.result = result
        self.outcomes = outcomes
        self.failures = failures
        self.costMicros = costMicros
        self.attempts = attempts
    }

    /// A line that failed before anything was sent.
    package static func failed(index: Int, _ error: ImageGenError) -> LineReport {
        LineReport(index: index, expectedImages: 0, result: nil, outcomes: [], failures: [error])
    }

    /// Request failures first, then image failures, then a short answer.
    package var errors: [ImageGenError] {
        var errors = failures + outcomes.compactMap(\.error)
        if failures.isEmpty, let result, result.images.count < expectedImages {
            errors.append(
                .badResponse(
                    provider: result.provider,
                    message: "asked for \(expectedImages) images, got \(result.images.count)"))
        }
        return errors
    }
}
