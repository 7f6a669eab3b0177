import ImageGenCore

/// What images cost, in millionths of a US dollar (integers, so a sum of
/// prices compares exactly against `--max-cost`), computed from the
/// catalogue's `Price` of each model. Estimates before sending assume the
/// dearest choice where the provider picks (`auto` quality or size), so
/// `--max-cost` never lets through a run that could cost more.
package enum PriceTable {
    /// The estimated cost of a whole request before sending; nil when the
    /// model's price is unknown.
    package static func estimate(_ request: GenerationRequest, knowledge: ModelKnowledge) -> Int? {
        guard let price = knowledge.price else { return nil }
        switch price {
        case .perImage(let rows):
            return imagePrice(rows, request.parameters).map { request.imageCount * $0 }
        case .perToken(let tokens):
            // One prompt per request however many images it makes.
            guard let perImage = outputTokens(tokens, request.parameters) else { return nil }
            return micros(tokens: request.imageCount * perImage, perMillion: tokens.imageOutputPerMillion)
                + micros(tokens: promptTokenBound(request.prompt), perMillion: tokens.textInputPerMillion)
        }
    }

    /// What the images that came back cost: from the provider's token
    /// counts when it reports them, else the price per image. Nil when the
    /// price is unknown, or the reported counts are absurd.
    package static func cost(
        of result: GenerationResult, request: GenerationRequest, knowledge: ModelKnowledge
    )
        -> Int?
    {
        if let charged = reportedCharge(result.usage, provider: result.provider) { return charged }
        guard let price = knowledge.price else { return nil }
        switch price {
        case .perImage(let rows):
            return imagePrice(rows, request.parameters).map { result.images.count * $0 }
        case .perToken(let tokens):
            if let usage = result.usage, usage["output_tokens"] != nil {
                return reportedCost(usage, tokens)
            }
            var made = request
            made.parameters.n = result.images.count
            return result.images.isEmpty ? 0 : estimate(made, knowledge: knowledge)
        }
    }

    /// What the provider says it charged, where it says so: OpenRouter's
    /// `usage.cost`, in its credits of one US dollar, in every answer
    /// (https://openrouter.ai/docs/use-cases/usage-accounting, checked
    /// 2026-11-29); Black Forest Labs' `cost` in credits of $0.01
    /// (https://docs.bfl.ai/quick_start/pricing, same day). Nil when absent
    /// or absurd (negative, not finite, a million dollars or more).
    static func reportedCharge(_ usage: JSON?, provider: ProviderKind) -> Int? {
        let microsPerUnit: Double
        switch provider {
        case .openrouter: microsPerUnit = 1_000_000
        case .blackForestLabs: microsPerUnit = 10_000
        default: return nil
        }
        guard case .number(let text)? = usage?["cost"], let value = Double(text), value.isFinite, value >= 0 else {
            return nil
        }
        let micros = (value * microsPerUnit).rounded()
        return micros < 1e12 ? Int(micros) : nil
    }

    /// The provider's numbers, checked: an absurd count leaves the cost
    /// unknown rather than trapping or printing a wrapped-around sum.
    static func reportedCost(_ usage: JSON, _ price: TokenPrice) -> Int? {
        guard let input = usage["input_tokens"]?.intValue, let output = usage["output_tokens"]?.intValue,
            input >= 0, output >= 0
        else { return nil }
        let (inputCost, inputOverflow) = input.multipliedReportingOverflow(by: price.textInputPerMillion)
        let (outputCost, outputOverflow) = output.multipliedReportingOverflow(by: price.imageOutputPerMillion)
        let (total, totalOverflow) = inputCost.addingReportingOverflow(outputCost)
        guard !(inputOverflow || outputOverflow || totalOverflow) else { return nil }
        return (total + 500_000) / 1_000_000
    }

    /// The first row whose conditions `parameters` meet.
    static func imagePrice(_ rows: [ImagePrice], _ parameters: GenerationParameters) -> Int? {
        let size = parameters.pixelSize
        let steps = parameters.extra("steps")?.intValue
        return rows.first { row in
            if let quality = row.quality, quality != (parameters.quality ?? "standard") { return false }
            if let square = row.square, square != (size?.isSquare ?? true) { return false }
            // No size given: the providers' default, 1024x1024.
            if let maxPixels = row.maxPixels, (size?.pixelCount ?? 1024 * 1024) > maxPixels { return false }
            if let minSteps = row.minSteps, (steps ?? 0) < minSteps { return false }
            return true
        }?.micros
    }

    /// Output tokens of one image: the table's count for its quality and
    /// shape, scaled up for sizes above a megapixel; nil for a quality the
    /// table has no count for.
    static func outputTokens(_ price: TokenPrice, _ parameters: GenerationParameters) -> Int? {
        let quality =
            parameters.quality == nil || parameters.quality == "auto" ? price.dearestQuality : parameters.quality!
        guard let row = price.outputTokens[quality] else { return nil }
        guard let size = parameters.pixelSize else { return max(row.square, row.portrait, row.landscape) }
        let base = size.isSquare ? row.square : size.height > size.width ? row.portrait : row.landscape
        let megapixel = 1024 * 1536
        return size.pixelCount <= megapixel ? base : (base * size.pixelCount + megapixel - 1) / megapixel
    }

    /// No tokenizer here: one token per UTF-8 byte is a bound no prompt
    /// exceeds (real prompts use about a quarter of that).
    static func promptTokenBound(_ prompt: String) -> Int { prompt.utf8.count }

    static func micros(tokens: Int, perMillion: Int) -> Int {
        (tokens * perMillion + 500_000) / 1_000_000
    }

    /// Micro-USD as a JSON number of dollars with at most six decimals (`0.04`).
    package static func dollars(_ micros: Int) -> JSON {
        .number(dollarText(micros))
    }

    /// For people to read: `$4.80`, `$5.00`, `$0.016325`. Whole cents always,
    /// and the fractions of a cent that per-image prices have.
    package static func amount(_ micros: Int) -> String {
        let text = dollarText(micros)
        let decimals = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 }
        switch decimals {
        case nil: return "$\(text).00"
        case 1?: return "$\(text)0"
        default: return "$\(text)"
        }
    }

    /// `0.04`, `1.2`, `0`: as JSON writes it, and as `--max-cost` was given.
    package static func dollarText(_ micros: Int) -> String {
        let whole = micros / 1_000_000
        var fraction = String(micros % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)" : "\(whole).\(fraction)"
    }

    /// `--max-cost` in micro-USD, rounded to the nearest.
    package static func micros(dollars: Double) -> Int {
        let micros = (dollars * 1_000_000).rounded()
        return micros < Double(Int.max) ? Int(micros) : Int.max
    }
}
