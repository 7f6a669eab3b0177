import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP

/// A model's life cycle at the moment of use, with the date faked through
/// `IMAGEGEN_TODAY`: retired models are refused on the provider's own
/// endpoint, deprecated ones warned about, active ones silent, and a
/// compatible server is never gated.
@Suite struct ModelLifecycleFlowTests {
    static let png = Fixtures.bytes("rgb.png")

    func run(_ arguments: [String], today: String, base: String? = nil) -> InProcessRun {
        var environment = ["OPENAI_API_KEY": InProcessRun.key, "IMAGEGEN_TODAY": today]
        if let base { environment["OPENAI_API_BASE"] = base }
        return InProcessRun(arguments + ["-o", "DIR/", "a heron"], environment: environment) { _, _ in
            .openAIImages([Self.png])
        }
    }

    @Test func aRetiredModelIsRefusedOnOpenAIBeforeSending() {
        let run = run(["-m", "gpt-image-1"], today: "2026-11-29")
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(
            run.stderr == "imagegen: gpt-image-1 was retired by OpenAI on 2026-10-23; use gpt-image-2.5-sunburst "
                + "instead; a compatible server that still serves it: -m openai/gpt-image-1 --api-base URL (nothing was sent)\n"
        )
    }

    @Test func theSameModelWorkedTheDayBefore() {
        let run = run(["-m", "gpt-image-1"], today: "2026-10-22")
        #expect(run.status == 0)
        #expect(run.sent.count == 1)
        #expect(
            run.stderr == "imagegen: gpt-image-1 is deprecated: OpenAI shuts it down on 2026-10-23; move to "
                + "gpt-image-2.5-sunburst\n")
    }

    @Test func aDeprecatedModelWorksWithOneWarning() {
        let run = run(["-m", "gpt-image-1.5"], today: "2026-11-29")
        #expect(run.status == 0)
        #expect(run.sent.count == 1)
        #expect(
            run.stderr == "imagegen: gpt-image-1.5 is deprecated: OpenAI shuts it down on 2026-12-01; move to "
                + "gpt-image-2.6-sunburst\n")
        let quiet = self.run(["--quiet", "-m", "gpt-image-1.5"], today: "2026-11-29")
        #expect(quiet.stderr.isEmpty)
    }

    @Test func aDeprecatedModelPastItsShutdownIsRetired() {
        let run = run(["-m", "gpt-image-1.5"], today: "2026-12-01")
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("imagegen: gpt-image-1.5 was retired by OpenAI on 2026-12-01"))
    }

    @Test func anActiveModelIsSilent() {
        let run = run(["-m", "gpt-image-2"], today: "2026-11-29")
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
    }

    @Test func aCompatibleServerIsNotGated() {
        let run = run(["-m", "dall-e-3"], today: "2026-11-29", base: "http://localhost:8000/v1")
        #expect(run.status == 0)
        #expect(run.sent.count == 1)
        #expect(run.stderr.isEmpty)
    }

    @Test func theDefaultModelIsTheCataloguesRecommendedOne() throws {
        let run = run([], today: "2026-11-29")
        #expect(run.status == 0)
        #expect(try run.body(0)["model"] == .string("gpt-image-2.6-sunburst"))
    }

    @Test func bedrockRetiresOnItsOwnDates() {
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "HOME": "/nonexistent",
            "IMAGEGEN_TODAY": "2026-11-29",
        ]
        let run = InProcessRun(["-m", "bedrock/amazon.nova-canvas-v1:0", "a heron"], environment: environment) { _, _ in
            .status(500)
        }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(
            run.stderr == "imagegen: amazon.nova-canvas-v1:0 was retired by Bedrock on 2026-09-30; use "
                + "stability.sd3-5-large-v1:0 instead (nothing was sent)\n")
    }

    @Test func azureFollowsAzuresSchedule() {
        let environment = [
            "AZURE_API_KEY": "azure-key-1234", "AZURE_API_BASE": "https://res.openai.azure.com",
            "IMAGEGEN_TODAY": "2026-11-29",
        ]
        // dall-e-3 retired on Azure on 2026-03-04, before OpenAI's own date.
        let retired = InProcessRun(["-m", "azure/dall-e-3", "a heron"], environment: environment) { _, _ in .status(500)
        }
        #expect(retired.status == 2)
        #expect(retired.stderr.hasPrefix("imagegen: dall-e-3 was retired by Azure OpenAI on 2026-03-04"))
        // A deployment with a name of its own gets its model's schedule through --base-model.
        let named = InProcessRun(
            ["-m", "azure/my-images", "--base-model", "gpt-image-1.5", "-o", "DIR/", "a heron"],
            environment: environment
        ) { _, _ in .openAIImages([Self.png]) }
        #expect(named.status == 0)
        #expect(
            named.stderr == "imagegen: my-images is deprecated: Azure OpenAI shuts it down on 2026-12-16; move to "
                + "gpt-image-2\n")
    }
}

/// Names people get wrong get "did you mean" instead of a paid request.
@Suite struct ModelNameFlowTests {
    @Test(arguments: [
        ("gpt-image2", "gpt-image-2"), ("dall-e3", "dall-e-3"), ("DALL-E-3", "dall-e-3"),
        ("bedrok/amazon.titan-image-generator-v2:0", "bedrock/amazon.titan-image-generator-v2:0"),
    ])
    func aCloseNameOnOpenAIIsRefusedWithASuggestion(_ typed: String, _ suggested: String) {
        let run = InProcessRun(["-m", typed, "a heron"]) { _, _ in .status(500) }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.contains("did you mean \(suggested)?"))
    }

    @Test func aBedrockNicknameGetsTheModelsName() {
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "HOME": "/nonexistent",
        ]
        let run = InProcessRun(["-m", "bedrock/stability.sdxl", "a heron"], environment: environment) { _, _ in
            .status(500)
        }
        #expect(run.status == 2)
        #expect(run.stderr.contains("did you mean bedrock/stability.stable-diffusion-xl-v1?"))
    }

    @Test func aCompatibleServersModelNotFoundGetsTheSuggestionAppended() {
        let run = InProcessRun(
            ["--api-base", InProcessRun.compatibleServer, "-m", "gpt-image2", "a heron"]
        ) { _, _ in .openAIError(404, message: "The model `gpt-image2` does not exist", code: "model_not_found") }
        #expect(run.status == 4)
        #expect(run.stderr.hasSuffix("(model_not_found); did you mean gpt-image-2?\n"))
    }
}

/// The first-class options reach the wire under each provider's names.
@Suite struct ModelOptionFlowTests {
    static let png = Fixtures.bytes("rgb.png")

    @Test func gptImageOptionsAreSentAndTheExtensionFollowsTheFormat() throws {
        let run = InProcessRun(
            [
                "-m", "gpt-image-2", "--background", "transparent", "--output-format", "webp", "--output-compression",
                "80", "--moderation", "low", "-o", "DIR/picture", "a heron",
            ]
        ) { _, _ in .openAIImages([Self.png]) }
        #expect(run.status == 0)
        let body = try run.body(0)
        #expect(body["background"] == .string("transparent"))
        #expect(body["output_format"] == .string("webp"))
        #expect(body["output_compression"] == .int(80))
        #expect(body["moderation"] == .string("low"))
    }

    @Test(
        arguments: [
            (["--seed", "7"], "gpt-image-2 does not take --seed; OpenAI's image models have no seed"),
            (
                ["--output-compression", "50"],
                "--output-compression applies to jpeg and webp; add --output-format jpeg or webp"
            ),
            (
                ["--background", "transparent", "--output-format", "jpeg"],
                "a transparent background needs --output-format png or webp; jpeg has no transparency"
            ),
            (
                ["-s", "1000x1000"],
                "gpt-image-2 does not support --size 1000x1000; it takes sides that are multiples of 16"
            ),
            (["--quality", "max"], "gpt-image-2 does not support --quality max; use one of: low, medium, high, auto"),
        ] as [([String], String)])
    func optionsAModelDoesNotTakeAreRefusedBeforeSending(_ options: [String], _ message: String) {
        let run = InProcessRun(options + ["-m", "gpt-image-2", "a heron"]) { _, _ in .status(500) }
        #expect(run.status == 2)
        #expect(run.sent.isEmpty)
        #expect(run.stderr.hasPrefix("imagegen: " + message))
    }

    @Test func aBedrockSeedGoesWhereEachFamilyWantsIt() throws {
        let environment = [
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "HOME": "/nonexistent",
            "IMAGEGEN_TODAY": "2026-06-01",
        ]
        let titan = InProcessRun(
            ["--dry-run", "-m", "bedrock/amazon.titan-image-generator-v2:0", "--seed", "42", "a heron"],
            environment: environment
        ) { _, _ in .status(500) }
        #expect(titan.status == 0)
        #expect(titan.stdout.contains(#""imageGenerationConfig":{"seed":42}"#))
        let stability = InProcessRun(
            [
                "--dry-run", "-m", "bedrock/stability.sd3-5-large-v1:0", "--seed", "42", "--output-format", "jpeg",
                "a heron",
            ], environment: environment
        ) { _, _ in .status(500) }
        #expect(stability.stdout.contains(#"{"prompt":"a heron","seed":42,"output_format":"jpeg"}"#))
    }

    @Test func aProviderFieldTypedAsAnOptionSaysToUseParam() {
        let run = InProcessRun(["--negative-prompt", "blurry", "a heron"]) { _, _ in .status(500) }
        #expect(run.status == 2)
        #expect(
            run.stderr == "imagegen: unknown option '--negative-prompt'; it is a provider field: pass it with "
                + "--param negative_prompt=VALUE (see imagegen --help)\n")
    }

    @Test func anAzureDeploymentWithItsOwnNameIsCheckedAndPricedThroughItsBaseModel() throws {
        let environment = ["AZURE_API_KEY": "azure-key-1234", "AZURE_API_BASE": "https://res.openai.azure.com"]
        let refused = InProcessRun(
            ["-m", "azure/my-images", "--base-model", "gpt-image-2", "--style", "vivid", "a heron"],
            environment: environment
        ) { _, _ in .status(500) }
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("imagegen: my-images does not take --style"))
        let priced = InProcessRun(
            ["--dry-run", "--max-cost", "0.01", "-m", "azure/my-images", "--base-model", "gpt-image-2", "a heron"],
            environment: environment
        ) { _, _ in .status(500) }
        #expect(priced.status == 2)
        #expect(priced.stderr.contains("above --max-cost 0.01"))
    }
}
