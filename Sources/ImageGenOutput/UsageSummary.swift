import ImageGenCore

/// `usage` in one shape whatever the model: a script reads
/// `.usage.total_tokens` the same for every provider.
///
///     {"input_tokens": 50, "output_tokens": 4160, "total_tokens": 4210,
///      "provider_usage": {…the provider's own object, as it sent it…}}
///
/// The GPT-image models count `input_tokens`/`output_tokens` (with
/// `input_tokens_details`); chat-style servers `prompt_tokens`/
/// `completion_tokens`; dall-e and Bedrock send no usage at all, and then
/// every count is null, not 0: a count nobody reported is not zero tokens.
package enum UsageSummary {
    package static func normalised(_ usage: JSON?) -> JSON {
        let input = count(usage, "input_tokens") ?? count(usage, "prompt_tokens")
        let output = count(usage, "output_tokens") ?? count(usage, "completion_tokens")
        var total = count(usage, "total_tokens")
        if total == nil, let input, let output {
            let (sum, overflow) = input.addingReportingOverflow(output)
            total = overflow ? nil : sum
        }
        return .object([
            ("input_tokens", input.map(JSON.int) ?? .null),
            ("output_tokens", output.map(JSON.int) ?? .null),
            ("total_tokens", total.map(JSON.int) ?? .null),
            ("provider_usage", usage ?? .null),
        ])
    }

    /// A whole number of 0 or more; anything else the provider put there is no count.
    private static func count(_ usage: JSON?, _ key: String) -> Int? {
        guard let value = usage?[key]?.intValue, value >= 0 else { return nil }
        return value
    }
}
