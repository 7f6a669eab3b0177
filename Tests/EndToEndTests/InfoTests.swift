import Foundation
import TestSupport
import Testing

@Suite struct InfoTests {
    @Test func versionPrintsAVersion() async throws {
        let t = try await E2E()
        let result = try await t.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.contains { $0.isNumber }, "\(result.stdout)")
        #expect(try await t.fake.requests().isEmpty)
    }

    @Test func helpListsTheOptions() async throws {
        let t = try await E2E()
        let result = try await t.run(["--help"])
        #expect(result.status == 0)
        for option in ["--model", "--size", "--output", "--api-key", "--param", "--json", "--dry-run"] {
            #expect(result.stdout.contains(option), "help mentions \(option)")
        }
    }
}
