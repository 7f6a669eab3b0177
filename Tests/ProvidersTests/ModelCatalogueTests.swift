import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenProviders

/// The catalogue is data; these keep it coherent as rows are added.
@Suite struct ModelCatalogueTests {
    @Test func everyNameIsUniqueWithinItsProvider() {
        for provider in [ProviderKind.openai, .bedrock] {
            let names = ModelCatalogue.entries.filter { $0.provider == provider }.flatMap(\.names)
            #expect(Set(names).count == names.count, "\(provider)")
        }
    }

    @Test func everyRowHasASourceCheckedByTheTablesDate() {
        for row in ModelCatalogue.entries {
            #expect(row.source.url.hasPrefix("https://"), "\(row.id)")
            #expect(row.source.checked <= ModelCatalogue.checked, "\(row.id)")
        }
    }

    @Test func exactlyOneRecommendedModelAndItIsActive() {
        let recommended = ModelCatalogue.entries.filter(\.recommended)
        #expect(recommended.map(\.id) == [ModelCatalogue.defaultModel])
        #expect(recommended.first?.lifecycle.on(ModelCatalogue.checked) == .active)
        #expect(recommended.first?.provider == .openai)
    }

    @Test func everyActiveModelHasAPriceOrSaysWhyNot() {
        for row in ModelCatalogue.entries where row.lifecycle.on(ModelCatalogue.checked) == .active {
            #expect(row.price != nil || row.source.note?.contains("price") == true, "\(row.id)")
        }
    }

    @Test func anUnlistedGPTImageNameGetsTheFamilysRules() throws {
        let knowledge = try ModelCatalogue.knowledge(for: Route(provider: .openai, model: "gpt-image-3"))
        #expect(knowledge.listed == false)
        #expect(knowledge.price == nil)
        #expect(
            throws: ImageGenError.usage(
                "gpt-image-3 always answers with b64_json and rejects response_format; drop --response-format")
        ) {
            try knowledge.check(GenerationRequest(prompt: "p", parameters: GenerationParameters(responseFormat: "url")))
        }
        // Values it may take are not second-guessed.
        try knowledge.check(GenerationRequest(prompt: "p", parameters: GenerationParameters(quality: "ultra")))
    }

    @Test func crossRegionProfilesAndARNsFindTheirRow() throws {
        for id in [
            "us.amazon.nova-canvas-v1:0",
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-canvas-v1:0",
        ] {
            let knowledge = try ModelCatalogue.knowledge(for: Route(provider: .bedrock, model: id))
            #expect(knowledge.listed)
            #expect(knowledge.entry?.id == "amazon.nova-canvas-v1:0")
        }
    }

    @Test func lifecycleFollowsTheDate() {
        let deprecated = Lifecycle.deprecated(shutdown: CalendarDate(2026, 12, 1), replacement: "x")
        #expect(deprecated.on(CalendarDate(2026, 11, 30)) == deprecated)
        #expect(deprecated.on(CalendarDate(2026, 12, 1)) == .retired(on: CalendarDate(2026, 12, 1), replacement: "x"))
        let scheduled = Lifecycle.scheduled(retirement: CalendarDate(2027, 4, 21), replacement: nil)
        #expect(scheduled.on(CalendarDate(2026, 11, 29)) == .active)
        #expect(scheduled.on(CalendarDate(2027, 4, 21)) == .retired(on: CalendarDate(2027, 4, 21), replacement: nil))
        let retired = Lifecycle.retired(on: CalendarDate(2026, 10, 23), replacement: nil)
        #expect(
            retired.on(CalendarDate(2026, 10, 22))
                == .deprecated(shutdown: CalendarDate(2026, 10, 23), replacement: nil))
    }

    @Test func theTodayOverrideIsADateOrIgnored() {
        #expect(CalendarDate.today(Environment(["IMAGEGEN_TODAY": "2026-12-01"])) == CalendarDate(2026, 12, 1))
        #expect(
            CalendarDate.today(Environment(["IMAGEGEN_TODAY": "soon"])) == CalendarDate(unixSeconds: Int(Clock.now())))
    }

    @Test(arguments: [
        ("gpt-image2", "gpt-image-2"), ("GPT-IMAGE-2", "gpt-image-2"),
        ("gpt-image-2.6-sunbrst", "gpt-image-2.6-sunburst"),
        ("bedrock/stability.sdxl", "bedrock/stability.stable-diffusion-xl-v1"),
        ("stability.sd3.5", "bedrock/stability.sd3-5-large-v1:0"),
    ])
    func suggestionsForCommonSlips(_ typed: String, _ expected: String) {
        #expect(ModelCatalogue.suggestion(for: typed) == expected)
    }

    @Test func farFetchedNamesGetNoSuggestion() {
        #expect(ModelCatalogue.suggestion(for: "midjourney-v7") == nil)
        #expect(ModelCatalogue.suggestion(for: "gpt-image-2") == nil)
    }
}
