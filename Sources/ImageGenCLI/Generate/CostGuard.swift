import ImageGenCore
import ImageGenProviders

/// `--max-cost USD`: a run is refused before anything is sent when its
/// estimated cost is higher, or when a price it needs is unknown (a CI job
/// that asked for a ceiling wants no surprise; the message says how to run it
/// anyway). A `--batch` run is judged as a whole: the sum of its lines.
package enum CostGuard {
    /// What the guard needs of a run, added up as its lines are checked: a
    /// long batch keeps these few figures, not its lines.
    package struct Totals: Sendable {
        /// In micro-USD, of every line (saturating: no sum of prices traps).
        private(set) var estimate = 0
        /// The first generation whose price is unknown.
        private(set) var unpriced: Route?
        private(set) var images = 0
        /// The model, while every generation uses the same one.
        private(set) var model: String?
        private(set) var severalModels = false

        package init() {}

        package mutating func add(_ request: GenerationRequest, _ knowledge: ModelKnowledge) {
            if let price = PriceTable.estimate(request, knowledge: knowledge) {
                let (sum, overflow) = estimate.addingReportingOverflow(price)
                estimate = overflow ? .max : sum
            } else if unpriced == nil {
                unpriced = knowledge.route
            }
            images += request.imageCount
            if model == nil, !severalModels {
                model = knowledge.route.model
            } else if model != knowledge.route.model {
                model = nil
                severalModels = true
            }
        }

        /// The estimate, unless a price is unknown.
        var total: Int? { unpriced == nil ? estimate : nil }
    }

    package static func check(_ totals: Totals, maxCost: Double?) throws(ImageGenError) {
        guard let maxCost else { return }
        let limit = PriceTable.micros(dollars: maxCost)
        if let unpriced = totals.unpriced {
            throw .usage(
                "--max-cost \(PriceTable.dollarText(limit)) needs a known price, and imagegen has none "
                    + "for \(unpriced.provider.rawValue) model '\(unpriced.model)'; nothing was sent "
                    + "(drop --max-cost to run it anyway)")
        }
        guard let estimate = totals.total, estimate > limit else { return }
        throw .usage(
            "the estimated cost of \(describe(totals)) is \(PriceTable.amount(estimate)), above "
                + "--max-cost \(PriceTable.dollarText(limit)); nothing was sent (raise --max-cost or ask for fewer "
                + "or smaller images)")
    }

    /// "estimated cost: $0.12 for 3 images with dall-e-3", or nil when a price is unknown.
    package static func estimateLine(_ totals: Totals) -> String? {
        guard totals.images > 0, let estimate = totals.total else { return nil }
        return "estimated cost: \(PriceTable.amount(estimate)) for \(describe(totals))"
    }

    /// "3 images with dall-e-3", or just "5 images" when several models are involved.
    static func describe(_ totals: Totals) -> String {
        let images = "\(totals.images) image\(totals.images == 1 ? "" : "s")"
        return totals.model.map { "\(images) with \($0)" } ?? images
    }
}
