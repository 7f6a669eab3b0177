import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import ImageGenOutput
/// A prepared generation's cost and the metadata its
/// PNGs carry.
extension PreparedGeneration {
    var route: Route { Route(provider: provider.kind, model: provider.model) }

    var costJob: CostGuard.Job { (request, route) }

    /// The text chunks for this line's PNGs; nil with `--no-metadata`.
    func metadata(for result: GenerationResult) -> ImageMetadata? {
        guard !output.noMetadata else { return nil }
        return ImageMetadata(prompt: request.prompt, model: result.model, provider: result.provider,
                             parameters: ImageMetadata.parameters(of: request), created: result.created)
    }

    /// `cost_usd` in micro-USD for what came back; nil when the price is unknown.
    func costMicros(of result: GenerationResult) -> Int? {
        PriceTable.cost(of: result, request: request, route: route)
    }
}
