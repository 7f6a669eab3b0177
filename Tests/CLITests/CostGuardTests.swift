import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenProviders

@Suite struct CostGuardTests {
    private func totals(_ lines: [(n: Int, model: String)]) throws -> CostGuard.Totals {
        var totals = CostGuard.Totals()
        for line in lines {
            let request = GenerationRequest(prompt: "p", parameters: GenerationParameters(n: line.n))
            totals.add(request, try ModelCatalogue.knowledge(for: Route(provider: .openai, model: line.model)))
        }
        return totals
    }

    @Test func maxCostRefusesAboveTheEstimateAndUnknownPrices() throws {
        let totals = try totals([(3, "dall-e-3")])  // 3 × 0.04: exactly 0.12
        try CostGuard.check(totals, maxCost: nil)
        try CostGuard.check(totals, maxCost: 0.12)  // no floating-point surprise at the limit
        #expect(throws: ImageGenError.self) { try CostGuard.check(totals, maxCost: 0.119) }
        do {
            try CostGuard.check(totals, maxCost: 0.1)
            Issue.record("not refused")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("$0.12") && error.message.contains("--max-cost 0.1"))
            #expect(error.message.contains("nothing was sent"))
        }
        let unpriced = try self.totals([(1, "dall-e-3"), (3, "flux"), (1, "other")])
        do {
            try CostGuard.check(unpriced, maxCost: 100)
            Issue.record("unknown price not refused")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("'flux'") && error.message.contains("drop --max-cost"))
        }
        #expect(CostGuard.estimateLine(totals) == "estimated cost: $0.12 for 3 images with dall-e-3")
    }

    /// A batch is judged as a whole, however many lines and models it has.
    @Test func linesAddUpAndSeveralModelsAreCountedNotNamed() throws {
        let mixed = try totals([(2, "dall-e-3"), (1, "dall-e-3"), (2, "dall-e-2")])
        #expect(mixed.images == 5)
        #expect(CostGuard.estimateLine(mixed)?.hasSuffix(" for 5 images") == true)
        #expect(CostGuard.estimateLine(try totals([(1, "dall-e-3"), (1, "flux")])) == nil)
        #expect(CostGuard.estimateLine(CostGuard.Totals()) == nil)
        let many = try totals(Array(repeating: (1, "dall-e-3"), count: 1000))
        #expect(CostGuard.estimateLine(many) == "estimated cost: $40.00 for 1000 images with dall-e-3")
    }
}
