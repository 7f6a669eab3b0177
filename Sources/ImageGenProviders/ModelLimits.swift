import ImageGenCore

/// The local checks of SPEC §3 for OpenAI's own models (and Azure
/// deployments named after them): broken limits are refused before any
/// request (exit 2), with the allowed values named.
package struct ModelLimits: Sendable {
    let model: String
    let counts: ClosedRange<Int>?
    let sizes: [String]
    let qualities: [String]
    let styles: [String]
    let acceptsResponseFormat: Bool
    /// dall-e-3 makes one image per request; `-n K` becomes K requests.
    let oneImagePerRequest: Bool

    /// OpenAI's image API reference, as of 2025: one row per model.
    static let openAI: [ModelLimits] = [
        ModelLimits(
            model: "dall-e-2", counts: 1...10, sizes: ["256x256", "512x512", "1024x1024"],
            qualities: [], styles: [], acceptsResponseFormat: true, oneImagePerRequest: false),
        ModelLimits(
            model: "dall-e-3", counts: nil, sizes: ["1024x1024", "1792x1024", "1024x1792"],
            qualities: ["standard", "hd"], styles: ["vivid", "natural"], acceptsResponseFormat: true,
            oneImagePerRequest: true),
        ModelLimits(
            model: "gpt-image-1", counts: 1...10, sizes: ["1024x1024", "1536x1024", "1024x1536", "auto"],
            qualities: ["low", "medium", "high", "auto"], styles: [], acceptsResponseFormat: false,
            oneImagePerRequest: false),
        ModelLimits(
            model: "gpt-image-1-mini", counts: 1...10,
            sizes: ["1024x1024", "1536x1024", "1024x1536", "auto"],
            qualities: ["low", "medium", "high", "auto"], styles: [], acceptsResponseFormat: false,
            oneImagePerRequest: false),
    ]

    func check(_ parameters: GenerationParameters) throws(ImageGenError) {
        if let n = parameters.n, let counts, !counts.contains(n) {
            throw .usage(
                "\(model) makes \(counts.lowerBound) to \(counts.upperBound) images per request; "
                    + "-n \(n) is out of range")
        }
        try checkValue(parameters.size, option: "--size", allowed: sizes)
        try checkValue(parameters.quality, option: "--quality", allowed: qualities)
        try checkValue(parameters.style, option: "--style", allowed: styles)
        if parameters.responseFormat != nil && !acceptsResponseFormat {
            throw .usage(
                "\(model) always answers with b64_json and rejects response_format; "
                    + "drop --response-format")
        }
    }

    private func checkValue(_ value: String?, option: String, allowed: [String]) throws(ImageGenError) {
        guard let value, !allowed.contains(value) else { return }
        if allowed.isEmpty {
            throw .usage("\(model) does not take \(option); drop it")
        }
        throw .usage("\(model) does not support \(option) \(value); use one of: \(allowed.joined(separator: ", "))")
    }
}
