import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenProviders

@Suite struct CostGuardTests {
    @Test func maxCostRefusesAboveTheEstimateAndUnknownPrices() throws {
        let request = GenerationRequest(prompt: "p", parameters: GenerationParameters(n: 3))  // 3 × 0.04: exactly 0.12
        let jobs: [CostGuard.Job] = [
            CostGuard.Job(request, try ModelCatalogue.knowledge(for: Route(provider: .openai, model: "dall-e-3")))
        ]
        try CostGuard.check(jobs, maxCost: nil)
        try CostGuard.check(jobs, maxCost: 0.12)  // no floating-point surprise at the limit
        #expect(throws: ImageGenError.self) { try CostGuard.check(jobs, maxCost: 0.119) }
        do {
            try CostGuard.check(jobs, maxCost: 0.1)
            Issue.record("not refused")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("$0.12") && error.message.contains("--max-cost 0.1"))
            #expect(error.message.contains("nothing was sent"))
        }
        do {
            let flux = try ModelCatalogue.knowledge(for: Route(provider: .openai, model: "flux"))
            try CostGuard.check([CostGuard.Job(request, flux)], maxCost: 100)
            Issue.record("unknown price not refused")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.contains("'flux'") && error.message.contains("drop --max-cost"))
        }
        #expect(CostGuard.estimateLine(jobs) == "estimated cost: $0.12 for 3 images with dall-e-3")
    }
}
