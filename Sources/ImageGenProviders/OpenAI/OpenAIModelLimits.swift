import ImageGenCore
import ImageGenHTTP
/// The local checks of SPEC §3 for OpenAI's own models: broken limits are
/// refused before any request (exit 2), with the allowed values named.
package struct OpenAIModelLimits: Sendable {
    let model: String
    let counts: ClosedRange<Int>?
    let sizes: [String]
    let qualities: [String]
    let styles: [String]
    let acceptsResponseFormat: Bool
    /// dall-e-3 makes one image per request; `-n K` becomes K requests.
    let oneImagePerRequest: Bool

    static func forModel(_ model: String) -> OpenAIModelLimits? {
        switch model {
        case "dall-e-2":
            return OpenAIModelLimits(model: model, counts: 1...10,
                                     sizes: ["256x256", "512x512", "1024x1024"],
                                     qualities: [], styles: [], acceptsResponseFormat: true,
                                     oneImagePerRequest: false)
        case "dall-e-3":
            return OpenAIModelLimits(model: model, counts: nil,
                                     sizes: ["1024x1024", "1792x1024", "1024x1792"],
                                     qualities: ["standard", "hd"], styles: ["vivid", "natural"],
                                     acceptsResponseFormat: true, oneImagePerRequest: true)
        case "gpt-image-1", "gpt-image-1-mini":
            return OpenAIModelLimits(model: model, counts: 1...10,
                                     sizes: ["1024x1024", "1536x1024", "1024x1536", "auto"],
                                     qualities: ["low", "medium", "high", "auto"], styles: [],
                                     acceptsResponseFormat: false, oneImagePerRequest: false)
        default:
            return nil
        }
    }

    func check(_ request: GenerationRequest) throws(ImageGenError) {
        if let n = request.n, let counts, !counts.contains(n) {
            throw .usage("\(model) makes \(counts.lowerBound) to \(counts.upperBound) images per request; "
                + "-n \(n) is out of range")
        }
        try checkValue(request.size, option: "--size", allowed: sizes)
        try checkValue(request.quality, option: "--quality", allowed: qualities)
        try checkValue(request.style, option: "--style", allowed: styles)
        if request.responseFormat != nil && !acceptsResponseFormat {
            throw .usage("\(model) always answers with b64_json and rejects response_format; "
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
