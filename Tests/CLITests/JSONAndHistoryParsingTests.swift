import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenOutput

/// `--json` with and without a field list, and `imagegen history`'s options.
@Suite struct JSONAndHistoryParsingTests {
    private func usageMessage(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        do {
            let command = try CommandLineParser.parse(arguments)
            Issue.record("expected a usage error for \(arguments), got \(command)", sourceLocation: sourceLocation)
            return nil
        } catch {
            #expect(error.exitCode == 2, sourceLocation: sourceLocation)
            guard case .usage(let message) = error else { return nil }
            return message
        }
    }

    private func generation(_ arguments: [String]) throws -> (words: [String], options: Options) {
        guard case .generate(let words, let options) = try CommandLineParser.parse(arguments) else {
            Issue.record("expected a generation for \(arguments)")
            return ([], Options())
        }
        return (words, options)
    }

    private func history(_ arguments: [String]) throws -> HistoryQuery {
        guard case .history(let query) = try CommandLineParser.parse(["history"] + arguments) else {
            Issue.record("expected imagegen history for \(arguments)")
            return HistoryQuery()
        }
        return query
    }

    // MARK: - --json

    @Test func plainJSONKeepsTheWholeDocumentAndThePrompt() throws {
        let (words, options) = try generation(["--json", "a", "red", "kite"])
        #expect(words == ["a", "red", "kite"])
        #expect(options.output.json && options.output.fields == nil)
        #expect(try generation(["a kite", "--json"]).options.output.json)
        #expect(usageMessage(["--json=", "a kite"])?.contains("needs FIELD,...") == true)
        #expect(usageMessage(["--json=file,,width", "a kite"])?.contains("needs FIELD,...") == true)
    }

    @Test func fieldsAfterAnEqualsSign() throws {
        let (words, options) = try generation(["--json=file,width", "a kite"])
        #expect(words == ["a kite"])
        #expect(options.output.json)
        #expect(options.output.fields == FieldSelection(["file", "width"]))
        #expect(try generation(["--json=cost_usd", "a kite"]).options.output.fields == FieldSelection(["cost_usd"]))
    }

    @Test func aCommaListOfFieldsIsTakenFromTheNextWord() throws {
        let (words, options) = try generation(["--json", "file,width,height,cost_usd", "a", "kite"])
        #expect(words == ["a", "kite"])
        #expect(options.output.fields == FieldSelection(["file", "width", "height", "cost_usd"]))
    }

    @Test func aWordThatIsNotAFieldListStartsThePrompt() throws {
        for prompt in ["a", "files,of,paper", "file,", "width,height?", "-"] {
            let (words, options) = try generation(["--json", prompt])
            #expect(words == [prompt])
            #expect(options.output.fields == nil)
        }
    }

    /// `--json model of a ship`: a field, or a prompt? Guessing either way
    /// could pay for an image nobody wanted, so nothing is sent.
    @Test func oneFieldNameAfterJSONIsAmbiguousAndRefused() throws {
        let message = usageMessage(["--json", "model", "of", "a", "ship"])
        #expect(
            message
                == "'model' after --json could be a field to print or the first word of the prompt; to print "
                + "that field write --json=model, for a prompt write --json -- model ...")
        // Both ways out work.
        #expect(try generation(["--json=model", "of a ship"]).options.output.fields == FieldSelection(["model"]))
        #expect(try generation(["--json", "--", "model", "of", "a", "ship"]).words == ["model", "of", "a", "ship"])
        #expect(try generation(["model", "of", "a", "ship", "--json"]).words == ["model", "of", "a", "ship"])
    }

    @Test func anUnknownFieldIsRefusedNamingEveryField() {
        let message = usageMessage(["--json=file,widht", "a kite"])
        #expect(message?.hasPrefix("unknown --json field 'widht' (did you mean 'width'?); the fields are: ") == true)
        #expect(message?.hasSuffix(FieldCatalogue.result.available.joined(separator: ", ")) == true)
        // A field of another command's document: known to the parser, not to a generation.
        #expect(
            usageMessage(["--json", "prompt,sha256", "a kite"])?.hasPrefix("unknown --json field 'prompt'") == true)
        #expect(usageMessage(["--batch", "f.txt", "--json=bogus"])?.hasPrefix("unknown --json field") == true)
    }

    @Test func inspectSelectsItsOwnFields() throws {
        #expect(
            try CommandLineParser.parse(["inspect", "--json=width,metadata", "a.png"])
                == .inspect(files: ["a.png"], json: true, fields: FieldSelection(["width", "metadata"])))
        #expect(
            usageMessage(["inspect", "--json=cost_usd", "a.png"])?.hasPrefix("unknown imagegen inspect --json") == true)
        #expect(usageMessage(["models", "--json=model"])?.contains("takes no FIELD list") == true)
    }

    // MARK: - imagegen history

    @Test func historyTakesItsFilters() throws {
        #expect(try history([]) == HistoryQuery())
        var expected = HistoryQuery()
        expected.limit = 5
        expected.since = 1_795_910_400  // 2026-11-29T00:00:00Z
        expected.model = "gpt-image-2"
        expected.provider = .openai
        expected.json = true
        expected.quiet = true
        #expect(
            try history([
                "-n", "5", "--since", "2026-11-29", "-m", "gpt-image-2", "--provider", "openai", "--json", "--quiet",
            ]) == expected)
        #expect(try history(["-n5"]).limit == 5)
        #expect(try history(["--cost"]).cost)
    }

    @Test func sinceTakesADayOrATime() throws {
        #expect(try history(["--since", "2026-11-29"]).since == 1_795_910_400)
        #expect(try history(["--since=2026-11-29T10:30:00Z"]).since == 1_795_910_400 + 37_800)
        #expect(try history(["--since", "2026-11-29T11:30+01:00"]).since == 1_795_910_400 + 37_800)
        for bad in ["yesterday", "2026-13-01", "2026-02-30", "2026-11-29T25:00Z", "29/11/2026", "2026-11-29T10"] {
            #expect(
                usageMessage(["history", "--since", bad])?.hasPrefix("option '--since' expects a date, YYYY-MM-DD")
                    == true, "\(bad)")
        }
    }

    @Test func historyJSONFieldsAreARecordsFields() throws {
        #expect(try history(["--json", "prompt"]).fields == FieldSelection(["prompt"]))
        #expect(try history(["--json", "prompt,cost_usd"]).fields == FieldSelection(["prompt", "cost_usd"]))
        #expect(try history(["--cost", "--json=day,cost_usd"]).fields == FieldSelection(["day", "cost_usd"]))
        #expect(
            usageMessage(["history", "--json=b64_json"])?.hasPrefix("unknown imagegen history --json field") == true)
        #expect(
            usageMessage(["history", "--cost", "--json=prompt"])?.hasPrefix(
                "unknown imagegen history --cost --json field 'prompt'") == true)
    }

    @Test func historyRefusesWordsAndOtherOptions() {
        #expect(
            usageMessage(["history", "of", "hats"])?.hasPrefix("imagegen history takes no words, got 'of'") == true)
        #expect(usageMessage(["history", "--size", "512x512"])?.hasPrefix("imagegen history takes only -n N") == true)
        #expect(usageMessage(["history", "--no-history"])?.hasPrefix("imagegen history takes only") == true)
    }

    @Test func sinceAndCostBelongToHistory() {
        #expect(
            usageMessage(["--since", "2026-11-01", "a kite"])
                == "--since is an option of imagegen history: imagegen history --since 2026-11-01")
        #expect(
            usageMessage(["--cost", "a kite"]) == "--cost is an option of imagegen history: imagegen history --cost")
    }

    @Test func noHistoryIsAGenerationSwitch() throws {
        #expect(try generation(["a kite"]).options.history)
        #expect(try !generation(["--no-history", "a kite"]).options.history)
    }
}
