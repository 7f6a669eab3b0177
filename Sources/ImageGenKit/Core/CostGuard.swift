/// `--max-cost USD`: a run is refused before anything is sent when its
/// estimated cost is higher, or when its price is unknown (a CI job that asked
/// for a ceiling wants no surprise; the message says how to run it anyway).
public enum CostGuard {
    public static func check(_ request: GenerationRequest, route: Route,
                             maxCost: Double?) throws(ImageGenError) {
        guard let maxCost else { return }
        let limit = PriceTable.micros(dollars: maxCost)
        let images = "\(request.imageCount) image\(request.imageCount == 1 ? "" : "s")"
        guard let estimate = PriceTable.estimate(request, route: route) else {
            throw .usage("--max-cost \(PriceTable.dollarText(limit)) needs a known price, and imagegen has none "
                + "for \(route.provider.rawValue) model '\(route.model)'; nothing was sent "
                + "(drop --max-cost to run it anyway)")
        }
        if estimate > limit {
            throw .usage("the estimated cost of \(images) with \(route.model) is "
                + "$\(PriceTable.dollarText(estimate)), above --max-cost \(PriceTable.dollarText(limit)); "
                + "nothing was sent (raise --max-cost or ask for fewer or smaller images)")
        }
    }

    /// "estimated cost: $0.12 for 3 images", or nil when the price is unknown.
    public static func estimateLine(_ request: GenerationRequest, route: Route) -> String? {
        guard let estimate = PriceTable.estimate(request, route: route) else { return nil }
        let images = "\(request.imageCount) image\(request.imageCount == 1 ? "" : "s")"
        return "estimated cost: $\(PriceTable.dollarText(estimate)) for \(images) with \(route.model)"
    }
}
