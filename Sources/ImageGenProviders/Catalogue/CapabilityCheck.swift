import ImageGenCore

/// The local checks of SPEC §3: a value the model does not accept is
/// refused before any request (exit 2), naming the allowed values.
extension Capabilities {
    func check(_ request: GenerationRequest, model: String) throws(ImageGenError) {
        let parameters = request.parameters
        func refuse(_ option: String) -> ImageGenError {
            .usage("\(model) " + (hints[option] ?? "does not take --\(option); drop it"))
        }
        func check(_ value: String?, _ option: String, _ choice: Choice) throws(ImageGenError) {
            guard let value else { return }
            let allowed: [String]
            switch choice {
            case .none: throw refuse(option)
            case .any: return
            case .only(let values): allowed = values
            }
            guard allowed.contains(value) else {
                throw .usage(
                    "\(model) does not support --\(option) \(value); use one of: \(allowed.joined(separator: ", "))")
            }
        }
        if let n = parameters.n, let counts, !counts.contains(n) {
            throw .usage(
                "\(model) makes \(counts.lowerBound) to \(counts.upperBound) images per request; -n \(n) is out of range"
            )
        }
        if let size = parameters.size { try checkSize(size, model: model, refuse: refuse("size")) }
        try check(parameters.quality, "quality", qualities)
        try check(parameters.style, "style", styles)
        try check(parameters.responseFormat, "response-format", responseFormats)
        try check(parameters.background, "background", backgrounds)
        try check(parameters.outputFormat, "output-format", outputFormats)
        try check(parameters.moderation, "moderation", moderation)
        if parameters.user != nil && !acceptsUser { throw refuse("user") }
        if let compression = parameters.outputCompression {
            guard let range = outputCompression else { throw refuse("output-compression") }
            guard range.contains(compression) else {
                throw .usage("\(model) takes --output-compression from \(range.lowerBound) to \(range.upperBound)")
            }
            guard parameters.outputFormat == "jpeg" || parameters.outputFormat == "webp" else {
                throw .usage("--output-compression applies to jpeg and webp; add --output-format jpeg or webp")
            }
        }
        if parameters.background == "transparent", let format = parameters.outputFormat, format == "jpeg" {
            throw .usage("a transparent background needs --output-format png or webp; jpeg has no transparency")
        }
        if let seed = parameters.seed {
            guard let seeds else { throw refuse("seed") }
            guard seeds.contains(seed) else {
                throw .usage("\(model) takes --seed from \(seeds.lowerBound) to \(seeds.upperBound)")
            }
        }
        if let partials = request.partialImages {
            guard let range = partialImages else {
                throw .usage(
                    "\(model) does not stream partial images; drop --stream "
                        + "(the GPT image models stream: imagegen models lists them)")
            }
            guard range.contains(partials) else {
                throw .usage("\(model) takes --partial-images from \(range.lowerBound) to \(range.upperBound)")
            }
        }
        if let limit = promptMaxLength, request.prompt.count > limit {
            throw .usage(
                "the prompt has \(request.prompt.count) characters and \(model) takes at most \(limit); shorten it")
        }
    }

    private func checkSize(_ size: String, model: String, refuse: ImageGenError) throws(ImageGenError) {
        switch sizes {
        case .any:
            return
        case .notAccepted:
            throw refuse
        case .list(let allowed):
            guard !allowed.contains(size) else { return }
            throw .usage("\(model) does not support --size \(size); use one of: \(allowed.joined(separator: ", "))")
        case .constrained(let multiple, let edges, let pixels, let maxAspect, let keywords):
            if keywords.contains(size) { return }
            let rule =
                "sides that are multiples of \(multiple) from \(edges.lowerBound) to \(edges.upperBound), "
                + "\(pixels.lowerBound) to \(pixels.upperBound) pixels in all, at most \(Self.ratio(maxAspect)):1 "
                + "long to short" + (keywords.isEmpty ? "" : ", or " + keywords.joined(separator: ", "))
            guard let pixelSize = ImageSize(size) else {
                throw .usage("\(model) does not support --size \(size); it takes \(rule)")
            }
            let (long, short) = (max(pixelSize.width, pixelSize.height), min(pixelSize.width, pixelSize.height))
            let fits =
                pixelSize.width % multiple == 0 && pixelSize.height % multiple == 0
                && edges.contains(pixelSize.width) && edges.contains(pixelSize.height)
                && pixels.contains(pixelSize.pixelCount) && Double(long) <= maxAspect * Double(short)
            guard fits else { throw .usage("\(model) does not support --size \(size); it takes \(rule)") }
        }
    }

    /// `3` for 3.0, `2.5` otherwise.
    private static func ratio(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
