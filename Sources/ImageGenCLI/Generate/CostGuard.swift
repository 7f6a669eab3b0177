import ImageGenCore
import ImageGenProviders

/// `--max-cost USD`: a run is refused before anything is sent when its
/// estimated cost is higher, or when a price it needs is unknown (a CI job
/// that asked for a ceiling wants no surprise; the message says how to run it
/// anyway). A `--batch` run is judged as a whole: the sum of its lines.
package enum CostGuard {
    /// What the guard needs of one generation, worked out when the line is
    /// checked: a long batch keeps this, not its requests.
    package struct Job: Sendable {
        /// In micro-USD; nil when the price is unknown.
        let estimate: Int?
        let images: Int
        let route: Route

        package init(_ request: GenerationRequest, _ knowledge: ModelKnowledge) {
            estimate = PriceTable.estimate(request, knowledge: knowledge)
            images = request.imageCount
            route = knowledge.route
        }
    }

    package static func check(_ jobs: [Job], maxCost: Double?) throws(ImageGenError) {
        guard let maxCost else { return }
        let limit = PriceTable.micros(dollars: maxCost)
        if let unpriced = jobs.first(where: { $0.estimate == nil }) {
            throw .usage(
                "--max-cost \(PriceTable.dollarText(limit)) needs a known price, and imagegen has none "
                    + "for \(unpriced.route.provider.rawValue) model '\(unpriced.route.model)'; nothing was sent "
                    + "(drop --max-cost to run it anyway)")
        }
        guard let estimate = total(jobs), estimate > limit else { return }
        throw .usage(
            "the estimated cost of \(describe(jobs)) is \(PriceTable.amount(estimate)), above "
                + "--max-cost \(PriceTable.dollarText(limit)); nothing was sent (raise --max-cost or ask for fewer "
                + "or smaller images)")
    }

    /// "estimated cost: $0.12 for 3 images with dall-e-3", or nil when a price is unknown.
    package static func estimateLine(_ jobs: [Job]) -> String? {
        guard !jobs.isEmpty, let estimate = total(jobs) else { return nil }
        return "estimated cost: \(PriceTable.amount(estimate)) for \(describe(jobs))"
    }

    static func total(_ jobs: [Job]) -> Int? {
        var sum = 0
        for job in jobs {
            guard let estimate = job.estimate else { return nil }
            sum += estimate
        }
        return sum
    }

    /// "3 images with dall-e-3", or just "5 images" when several models are involved.
    static func describe(_ jobs: [Job]) -> String {
        let count = jobs.map(\.images).reduce(0, +)
        let images = "\(count) image\(count == 1 ? "" : "s")"
        let models = Set(jobs.map(\.route.model))
        return models.count == 1 ? "\(images) with \(models.first!)" : images
    }
}
