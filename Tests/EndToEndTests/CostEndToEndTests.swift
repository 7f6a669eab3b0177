import Foundation
import TestSupport
import Testing

/// `cost_usd` in the JSON document and `--max-cost` refusing before anything is sent.
@Suite struct CostEndToEndTests {
    func cost(_ arguments: [String]) async throws -> (Any?, [String: Any]?) {
        let t = try await E2E()
        let result = try await t.run(["--json"] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return (result.json?["cost_usd"], result.json)
    }

    @Test func pricedModelsReportCostUSD() async throws {
        #expect(try await cost(["-s", "256x256", "-n", "2", "kites"]).0 as? Double == 0.032)
        #expect(try await cost(["-m", "dall-e-3", "--quality", "hd", "-s", "1792x1024", "kites"]).0 as? Double == 0.12)
        // gpt-image-1 from the usage the fake reports: 2 input + 4160 output tokens.
        #expect(try await cost(["-m", "gpt-image-1", "--quality", "high", "two kites"]).0 as? Double == 0.16641)
    }

    @Test func unknownModelsHaveNoCostAtAll() async throws {
        let (value, document) = try await cost(["-m", "openai/my-model", "kites"])
        #expect(value == nil)
        #expect(document?["data"] != nil)
    }

    @Test func maxCostRefusesBeforeSendingAnything() async throws {
        let t = try await E2E()
        let refused = try await t.run(["-m", "dall-e-3", "-n", "3", "--max-cost", "0.10", "kites"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("$0.12") && refused.stderr.contains("--max-cost 0.1"), "\(refused.stderr)")
        #expect(refused.stdout.isEmpty)
        #expect(try await t.fake.requests().isEmpty)
        #expect(t.files().isEmpty)

        let unknown = try await t.run(["-m", "openai/my-model", "--max-cost", "5", "kites"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("my-model"))
        #expect(try await t.fake.requests().isEmpty)

        let allowed = try await t.run(["-m", "dall-e-3", "-n", "3", "--max-cost", "0.12", "kites"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(try await t.fake.generationRequests().count == 3)
    }

    @Test func dryRunShowsTheEstimate() async throws {
        let t = try await E2E()
        let result = try await t.run(["--dry-run", "-m", "dall-e-3", "-n", "2", "kites"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("estimated cost: $0.08 for 2 images"), "\(result.stderr)")
        let quiet = try await t.run(["--dry-run", "--quiet", "-m", "dall-e-3", "kites"])
        #expect(quiet.stderr.isEmpty)
    }
}
