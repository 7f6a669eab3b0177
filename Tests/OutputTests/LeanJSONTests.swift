import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// `--json FIELD,…` and the normalised `usage`.
@Suite struct LeanJSONTests {
    static let png = ImageInfo(format: .png, width: 1024, height: 1024, byteCount: 1_523_311)

    /// A two-image line, the second image failed to write.
    static func report(usage: JSON? = nil) -> LineReport {
        let result = GenerationResult(
            created: 7, model: "gpt-image-2", provider: .openai,
            images: [GeneratedImage(b64JSON: "QUJD"), GeneratedImage(b64JSON: "REVG")], usage: usage)
        return LineReport(
            index: 3, expectedImages: 2, result: result,
            outcomes: [
                .success(SavedImage(destination: .file("out/a.png"), info: png)),
                .failure(.write("cannot write out/a-2.png: No space left on device")),
            ], failures: [], costMicros: 42_000)
    }

    @Test func selectedTopLevelAndItemFieldsKeepTheDocumentsShape() throws {
        let document = ResultDocument.report(
            Self.report(), index: nil, redactor: Redactor(), fields: FieldSelection(["file", "width", "cost_usd"]))
        // The failure stays: a selection never hides that something went wrong.
        #expect(
            document.text
                == #"{"data":[{"file":"out/a.png","width":1024},{"error":{"type":"write","message":"cannot write out/a-2.png: No space left on device","status":null}}],"cost_usd":0.042,"error":{"type":"write","message":"cannot write out/a-2.png: No space left on device","status":null,"provider":"openai"}}"#
        )
    }

    @Test func aBatchLineKeepsItsIndex() {
        let document = ResultDocument.report(
            Self.report(), index: 3, redactor: Redactor(), fields: FieldSelection(["model"]))
        #expect(document["index"] == .int(3))
        #expect(document["model"] == .string("gpt-image-2"))
        #expect(document["data"] == nil)
        #expect(document["usage"] == nil)
    }

    @Test func namingTheListKeepsItsItemsWhole() throws {
        let document = ResultDocument.report(
            Self.report(), index: nil, redactor: Redactor(), fields: FieldSelection(["data"]))
        let items = try #require(document["data"]?.arrayValue)
        // Written: no b64_json. Failed to write: the data is kept, nothing paid for is lost.
        #expect(items[0]["b64_json"] == nil)
        #expect(items[0]["file"] == .string("out/a.png"))
        #expect(items[1]["b64_json"] == .string("REVG"))
    }

    @Test func b64JSONNamedIsKeptForWrittenImages() throws {
        let document = ResultDocument.report(
            Self.report(), index: nil, redactor: Redactor(), fields: FieldSelection(["b64_json"]))
        let items = try #require(document["data"]?.arrayValue)
        #expect(items[0] == .object([("b64_json", .string("QUJD"))]))
    }

    @Test func withoutFieldsTheWholeDocumentLessWrittenImageData() throws {
        let document = ResultDocument.report(Self.report(), index: nil, redactor: Redactor())
        let keys: [String]
        if case .object(let members) = document { keys = members.map(\.0) } else { keys = [] }
        #expect(keys == ["created", "model", "provider", "data", "usage", "cost_usd", "error"])
        let items = try #require(document["data"]?.arrayValue)
        #expect(items[0]["b64_json"] == nil && items[0]["url"] == .null && items[0]["revised_prompt"] == .null)
    }

    @Test func catalogueCheckNamesTheFields() throws {
        try FieldCatalogue.result.check(FieldSelection(["file", "index", "error", "b64_json", "seed"]))
        #expect(throws: ImageGenError.self) { try FieldCatalogue.result.check(FieldSelection(["prompt"])) }
        do {
            try FieldCatalogue.result.check(FieldSelection(["cost"]))
            Issue.record("cost is not a field")
        } catch {
            #expect(
                error.message
                    == "unknown --json field 'cost' (did you mean 'cost_usd'?); the fields are: created, model, "
                    + "provider, data, usage, cost_usd, url, b64_json, revised_prompt, file, format, width, height, "
                    + "bytes, seed, content_filter_results")
        }
    }

    // MARK: - usage

    @Test func gptImageUsageKeepsItsCountsAndDetails() {
        let usage = JSON.object([
            ("total_tokens", .int(4210)), ("input_tokens", .int(50)), ("output_tokens", .int(4160)),
            ("input_tokens_details", .object([("text_tokens", .int(40)), ("image_tokens", .int(10))])),
        ])
        let normalised = UsageSummary.normalised(usage)
        #expect(
            normalised.text
                == #"{"input_tokens":50,"output_tokens":4160,"total_tokens":4210,"provider_usage":{"total_tokens":4210,"input_tokens":50,"output_tokens":4160,"input_tokens_details":{"text_tokens":40,"image_tokens":10}}}"#
        )
    }

    @Test func chatStyleUsageIsRenamed() {
        let usage = JSON.object([("prompt_tokens", .int(12)), ("completion_tokens", .int(30))])
        let normalised = UsageSummary.normalised(usage)
        #expect(normalised["input_tokens"] == .int(12))
        #expect(normalised["output_tokens"] == .int(30))
        #expect(normalised["total_tokens"] == .int(42))  // summed when the provider left it out
        #expect(normalised["provider_usage"] == usage)
    }

    /// dall-e and every Bedrock model send no usage: unknown counts are null, not 0.
    @Test(arguments: [ProviderKind.openai, .bedrock])
    func noUsageIsNullCounts(_ provider: ProviderKind) {
        let result = GenerationResult(created: 1, model: "m", provider: provider, images: [])
        #expect(
            ResultDocument.make(result, outcomes: [])["usage"]?.text
                == #"{"input_tokens":null,"output_tokens":null,"total_tokens":null,"provider_usage":null}"#)
    }

    @Test func countsThatAreNotCountsAreNull() {
        let usage = JSON.object([
            ("input_tokens", .int(-3)), ("output_tokens", .string("many")), ("total_tokens", .number("1.5")),
        ])
        let normalised = UsageSummary.normalised(usage)
        #expect(normalised["input_tokens"] == .null)
        #expect(normalised["output_tokens"] == .null)
        #expect(normalised["total_tokens"] == .null)
        let huge = JSON.object([("input_tokens", .int(Int.max)), ("output_tokens", .int(1))])
        #expect(UsageSummary.normalised(huge)["total_tokens"] == .null)
    }
}
