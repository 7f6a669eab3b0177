import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenProviders

/// `imagegen models` without `--live`: the built-in catalogue on a given
/// day, as a table for people and as JSON for scripts, with nothing sent.
@Suite struct ModelsListingTests {
    static func run(_ arguments: [String], today: String = "2026-11-29") -> InProcessRun {
        InProcessRun(arguments, environment: ["IMAGEGEN_TODAY": today]) { request, _ in
            Issue.record("nothing should be sent, got \(request.method) \(request.url)")
            return .status(500)
        }
    }

    /// The aligned line of `id` in the table, split into its columns.
    static func columns(_ table: String, _ id: String) -> [String]? {
        table.split(separator: "\n").first { $0.hasPrefix(id + " ") }
            .map {
                $0.split(separator: "  ", omittingEmptySubsequences: true).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            }
    }

    @Test func theTableHasEveryRowWithStatusAndPriceWithin100Columns() throws {
        let run = Self.run(["models"])
        #expect(run.status == 0)
        #expect(run.sent.isEmpty)
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.first?.split(separator: " ") == ["MODEL", "PROVIDER", "STATUS", "PRICE"])
        for line in lines { #expect(line.count <= 100, "too wide (\(line.count)): \(line)") }
        for entry in ModelCatalogue.entries {
            #expect(Self.columns(run.stdout, entry.id) != nil, "no line for \(entry.id)")
        }
        #expect(Self.columns(run.stdout, "gpt-image-2") == ["gpt-image-2", "openai", "active", "$5/M in, $30/M out"])
        #expect(
            Self.columns(run.stdout, "gpt-image-1.5")
                == ["gpt-image-1.5", "openai", "deprecated 2026-12-01", "$0.009-0.20/image"])
        #expect(
            Self.columns(run.stdout, "dall-e-3") == ["dall-e-3", "openai", "retired 2026-05-12", "$0.04-0.12/image"])
        #expect(
            Self.columns(run.stdout, "stability.stable-image-ultra-v1:1")
                == ["stability.stable-image-ultra-v1:1", "bedrock", "active", "$0.14/image"])
        #expect(
            run.stdout.contains(
                "  use gpt-image-2.5-sunburst instead; sizes: 1024x1024, 1792x1024, 1024x1792; qualities: standard,"))
        #expect(run.stderr.contains("checked on \(ModelCatalogue.checked)"))
    }

    @Test func statusIsTodays() {
        let before = Self.run(["models"], today: "2026-11-30")
        let after = Self.run(["models"], today: "2026-12-01")
        #expect(Self.columns(before.stdout, "gpt-image-1-mini")?[2] == "deprecated 2026-12-01")
        #expect(Self.columns(after.stdout, "gpt-image-1-mini")?[2] == "retired 2026-12-01")
    }

    @Test func longSizeListsAreCutAndRulesDescribed() {
        let run = Self.run(["models", "--provider", "bedrock"])
        #expect(run.status == 0)
        // Wrapping breaks at any space: compare the text with line breaks undone.
        let unwrapped = run.stdout.replacing("\n    ", with: " ")
        #expect(unwrapped.contains("576x384, 768x1280 and 17 more (--json lists them all)"))
        #expect(!run.stdout.contains("1173x640"))
        #expect(
            unwrapped.contains(
                "sizes: WxH, sides multiples of 16 from 320 to 4096, 102,400 to 4,194,304 pixels, at most 4:1"))
        #expect(!run.stdout.contains("gpt-image"))
    }

    @Test func jsonHasTheSameStableKeysOnEveryObject() throws {
        let run = Self.run(["models", "--json"], today: "2026-09-01")
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let rows = try #require(try JSON.parse(Array(run.stdout.utf8)).arrayValue)
        #expect(rows.compactMap { $0["id"]?.stringValue } == ModelCatalogue.entries.map(\.id))
        let keys = [
            "id", "aliases", "provider", "family", "status", "shutdown_date", "retired_date", "replacement", "sizes",
            "aspect_ratios", "qualities", "edit_tasks", "stream", "price", "source", "in_catalogue",
            "listed_by_provider",
        ]
        for row in rows {
            guard case .object(let members) = row else {
                Issue.record("not an object: \(row)")
                continue
            }
            #expect(members.map(\.0) == keys)
        }
        func row(_ id: String) throws -> JSON { try #require(rows.first { $0["id"] == .string(id) }) }

        #expect(try row("stability.stable-image-inpaint-v1:0")["edit_tasks"] == .array([.string("inpaint")]))
        #expect(try row("dall-e-2")["edit_tasks"] == .array([.string("edit"), .string("variation")]))
        #expect(try row("dall-e-3")["edit_tasks"] == .array([]))
        #expect(try row("dall-e-3")["stream"] == .bool(false))
        #expect(try row("gpt-image-2")["stream"] == .bool(true))
        #expect(try row("amazon.nova-canvas-v1:0")["stream"] == .bool(false))
        let canvas = try row("amazon.nova-canvas-v1:0")
        #expect(canvas["status"] == .string("deprecated"))
        #expect(canvas["shutdown_date"] == .string("2026-09-30"))
        #expect(canvas["retired_date"] == .null)
        #expect(canvas["listed_by_provider"] == .null)
        #expect(canvas["in_catalogue"] == .bool(true))

        let dallE3 = try row("dall-e-3")
        #expect(dallE3["status"] == .string("retired"))
        #expect(dallE3["retired_date"] == .string("2026-05-12"))
        #expect(dallE3["replacement"] == .string("gpt-image-2.5-sunburst"))
        #expect(dallE3["qualities"] == .array([.string("standard"), .string("hd")]))
        #expect(dallE3["sizes"] == .array(["1024x1024", "1792x1024", "1024x1792"].map(JSON.string)))
        #expect(dallE3["price"]?["text"] == .string("$0.04-0.12/image"))
        #expect(dallE3["price"]?["min_usd"] == .number("0.04"))
        #expect(dallE3["price"]?["tiers"]?.arrayValue?.first?["quality"] == .string("hd"))
        #expect(
            dallE3["source"]?["url"]
                == .string("https://developers.openai.com/api/reference/resources/images/methods/generate"))
        #expect(dallE3["source"]?["checked"] == .string("2026-11-29"))

        let gptImage2 = try row("gpt-image-2")
        #expect(gptImage2["aliases"] == .array([.string("gpt-image-2-2026-04-21")]))
        #expect(gptImage2["family"] == .string("GPT image"))
        #expect(gptImage2["sizes"]?["multiple_of"] == .int(16))
        #expect(gptImage2["sizes"]?["max_pixels"] == .int(8_294_400))
        #expect(gptImage2["sizes"]?["keywords"] == .array([.string("auto")]))
        #expect(gptImage2["price"]?["unit"] == .string("token"))
        #expect(gptImage2["price"]?["image_output_usd_per_million"] == .int(30))

        let titan = try row("amazon.titan-image-generator-v2:0")
        #expect(titan["sizes"]?.arrayValue?.count == 25)
        #expect(try row("stability.sd3-large-v1:0")["sizes"] == .null)
        #expect(try row("stability.stable-diffusion-xl-v1")["qualities"] == .array([]))
    }

    @Test func azureListsTheOpenAIRowsItsDeploymentsServe() {
        let run = Self.run(["models", "--provider", "azure"])
        #expect(run.status == 0)
        #expect(Self.columns(run.stdout, "gpt-image-2")?[1] == "openai")
        #expect(!run.stdout.contains("bedrock"))
        #expect(run.stderr.contains("Azure's own schedule; imagegen models --live --provider azure"))
    }

    @Test func modelsIsACommandWordAndLiveBelongsToIt() throws {
        var live = Options()
        live.live = true
        live.provider = .bedrock
        #expect(try CommandLineParser.parse(["models", "--live", "--provider", "bedrock"]) == .models(live))
        for arguments in [
            ["--live", "a", "fox"], ["--live", "--batch", "prompts.txt"], ["inspect", "--live", "a.png"],
        ] {
            #expect(
                throws: ImageGenError.usage(
                    "--live is an option of imagegen models: imagegen models --live [--provider NAME]")
            ) { try CommandLineParser.parse(arguments) }
        }
        #expect(throws: ImageGenError.usage("a batch line cannot use --live")) {
            try CommandLineParser.parseBatchLine(["--live", "a", "fox"])
        }
        #expect(
            throws: ImageGenError.usage(
                "models takes no words, got 'openai'; to pick a provider: imagegen models --provider NAME")
        ) { try CommandLineParser.parse(["models", "openai"]) }
        #expect(
            try CommandLineParser.parse(["--", "models", "of", "ships"])
                == .generate(promptWords: ["models", "of", "ships"], Options()))
    }

    @Test func theManualSaysHowOldTheBuiltInTableIs() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let manual = try String(contentsOf: root.appendingPathComponent("man/imagegen.1"), encoding: .utf8)
            .replacingOccurrences(of: "\\-", with: "-").replacingOccurrences(of: "\n", with: " ")
        #expect(
            manual.contains(
                "The built-in table was last checked against the providers' pages on \(ModelCatalogue.checked)"))
        #expect(manual.contains(".B imagegen models .RB [ --live ]"))
        #expect(manual.contains("imagegen/models-PROVIDER.json"))
    }

    @Test func helpDocumentsTheCommandAndItsOption() {
        let help = HelpText.render()
        #expect(help.contains("\n  models [--live] [--json]  List the models, their status and prices.\n"))
        #expect(help.contains("      --live "))
        #expect(Completions.script(.fish).contains("-a models -d "))
    }
}
