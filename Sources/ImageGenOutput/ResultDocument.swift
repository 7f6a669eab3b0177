import ImageGenCore
import ImageGenHTTP
import ImageGenProviders

/// The `--json` document of SPEC §2: LiteLLM's result shape plus what the
/// output stage learnt about each image.
package enum ResultDocument {
    /// `costMicros` (millionths of a dollar, from `PriceTable`) becomes
    /// `cost_usd`; nil leaves it out: an unknown price is not a price of zero.
    /// `usage` is `UsageSummary`'s. An image written to a file has no
    /// `b64_json` (its bytes are in the file) unless `keepWrittenImageData`
    /// (`--json b64_json` names it); one whose file failed keeps it, so
    /// nothing paid for is lost.
    package static func make(
        _ result: GenerationResult, outcomes: [ImageOutcome], costMicros: Int? = nil,
        keepWrittenImageData: Bool = false
    ) -> JSON {
        let items = result.images.enumerated().map { index, image in
            item(
                image, outcome: index < outcomes.count ? outcomes[index] : nil,
                keepWrittenImageData: keepWrittenImageData)
        }
        var members: [(String, JSON)] = [
            ("created", .int(result.created)),
            ("model", .string(result.model)),
            ("provider", .string(result.provider.rawValue)),
            ("data", .array(items)),
            ("usage", UsageSummary.normalised(result.usage)),
        ]
        if let costMicros { members.append(("cost_usd", PriceTable.dollars(costMicros))) }
        return .object(members)
    }

    static func item(_ image: GeneratedImage, outcome: ImageOutcome?, keepWrittenImageData: Bool = false) -> JSON {
        var members: [(String, JSON)] = [("url", image.url.map(JSON.string) ?? .null)]
        if keepWrittenImageData || outcome?.savedImage?.file == nil {
            members.append(
                (
                    "b64_json",
                    image.base64.map(JSON.bytes) ?? image.decoded.map { .bytes(Base64.encodedBytes($0)[...]) }
                        ?? .null
                ))
        }
        members.append(("revised_prompt", image.revisedPrompt.map(JSON.string) ?? .null))
        members += image.extra
        switch outcome {
        case .success(let saved):
            if let file = saved.file { members.append(("file", .string(file))) }
            if let info = saved.info {
                members += [
                    ("format", .string(info.format.rawValue)),
                    ("width", .int(info.width)),
                    ("height", .int(info.height)),
                    ("bytes", .int(info.byteCount)),
                ]
            }
        case .failure(let error):
            members.append(("error", ResultDocument.error(error)))
        case nil:
            break
        }
        return .object(members)
    }

    /// The error object of a failed image, run or batch line:
    /// `{"type", "message", "status", "provider"?, "code"?, "attempts"?}`;
    /// `status` is null when no HTTP answer came, the others are left out
    /// when unknown.
    package static func error(
        _ error: ImageGenError, redactor: Redactor = Redactor(), provider: ProviderKind? = nil, attempts: Int? = nil
    ) -> JSON {
        var members: [(String, JSON)] = [
            ("type", .string(error.kind)),
            ("message", .string(redactor.redact(error.message))),
            ("status", error.httpStatus.map(JSON.int) ?? .null),
        ]
        if let provider = error.provider ?? provider { members.append(("provider", .string(provider.rawValue))) }
        if let code = error.providerCode { members.append(("code", .string(redactor.redact(code)))) }
        if let attempts { members.append(("attempts", .int(attempts))) }
        return .object(members)
    }

    /// The document of one generation, in one shape for a single run and
    /// for each `--batch` line: the result when images came back, and
    /// `error` (the first failure) when something failed. A batch line
    /// starts with its `index`. `fields` (`--json FIELD,…`) keeps only those
    /// members, and `index` and `error` always.
    package static func report(
        _ report: LineReport, index: Int?, redactor: Redactor, fields: FieldSelection? = nil
    ) -> JSON {
        var members: [(String, JSON)] = index.map { [("index", .int($0))] } ?? []
        if let result = report.result, !result.images.isEmpty,
            case .object(let document) = make(
                result, outcomes: report.outcomes, costMicros: report.costMicros,
                keepWrittenImageData: fields?.contains("b64_json") ?? false)
        {
            members += document
        }
        if let failure = report.errors.first {
            members.append(
                (
                    "error",
                    error(failure, redactor: redactor, provider: report.result?.provider, attempts: report.attempts)
                ))
        }
        return FieldCatalogue.result.apply(fields, to: .object(members))
    }
}
