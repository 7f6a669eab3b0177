import Foundation
import TestSupport
import Testing

/// Keys, api bases and organisations from flags and the environment.
@Suite struct ConnectionTests {
    @Test func apiKeyFlagBeatsTheEnvironment() async throws {
        let t = try await E2E()
        let env = ["OPENAI_API_KEY": "sk-env-key-that-is-wrong", "OPENAI_API_BASE": t.fake.baseURL]
        let result = try await t.run(["--api-key", t.fake.apiKey, "a fox"], env: env)
        #expect(result.status == 0, "\(result.stderr)")
        expectAuthorised(try await t.fake.generationRequests().first)
    }

    @Test func apiBaseFromFlagAndEnvironmentInPrecedenceOrder() async throws {
        let t = try await E2E()
        let key = ["OPENAI_API_KEY": t.fake.apiKey]
        let a = t.fake.origin + "/a/v1"
        let b = t.fake.origin + "/b/v1"
        let c = t.fake.origin + "/c/v1"
        let runs: [(arguments: [String], env: [String: String])] = [
            (["a fox"], key.merging(["OPENAI_BASE_URL": b]) { $1 }),
            (["a fox"], key.merging(["OPENAI_API_BASE": a]) { $1 }),
            (["a fox"], key.merging(["OPENAI_API_BASE": a, "OPENAI_BASE_URL": b]) { $1 }),
            (["--api-base", c, "a fox"], key.merging(["OPENAI_API_BASE": a, "OPENAI_BASE_URL": b]) { $1 }),
        ]
        for run in runs {
            let result = try await t.run(run.arguments, env: run.env)
            #expect(result.status == 0, "\(run): \(result.stderr)")
        }
        #expect(
            try await t.fake.generationRequests().map(\.path)
                == ["/b/v1", "/a/v1", "/a/v1", "/c/v1"].map { $0 + "/images/generations" })
    }

    @Test func organizationHeaderFromEnvironmentAndFlag() async throws {
        let t = try await E2E(organization: "org-e2e")
        let env = t.standardEnvironment.merging(["OPENAI_ORGANIZATION": "org-e2e"]) { $1 }
        let fromEnv = try await t.run(["a fox"], env: env)
        #expect(fromEnv.status == 0, "\(fromEnv.stderr)")
        let fromFlag = try await t.run(["--organization", "org-other", "a fox"], env: env)
        #expect(fromFlag.status == 4, "the fake refuses a mismatched organization: \(fromFlag.stderr)")
        #expect(fromFlag.stderr.contains("OpenAI-Organization header should match organization"))

        let posts = try await t.fake.generationRequests()
        #expect(posts.map { $0.headers["openai-organization"] } == ["org-e2e", "org-other"])
    }

    @Test func noOrganizationHeaderUnlessOneIsSet() async throws {
        let t = try await E2E()
        let result = try await t.run(["a fox"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await t.fake.generationRequests().first?.headers["openai-organization"] == nil)
    }

    @Test func missingKeyIsAConfigurationErrorAndNothingIsSent() async throws {
        let t = try await E2E()
        let result = try await t.run(["a fox"], env: ["OPENAI_API_BASE": t.fake.baseURL])
        #expect(result.status == 3)
        #expect(result.stderr.hasPrefix("imagegen: "))
        #expect(result.stderr.contains("OPENAI_API_KEY"))
        #expect(result.stdout.isEmpty)
        #expect(try await t.fake.requests().isEmpty)
        #expect(t.files().isEmpty)
    }

    @Test func dryRunPrintsTheRequestWithTheKeyRedactedAndSendsNothing() async throws {
        let t = try await E2E()
        let result = try await t.run([
            "--dry-run", "--model", "dall-e-3", "--size", "1024x1792",
            "--organization", "org-dry", "a dry fox",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("POST"))
        #expect(result.stdout.contains(t.fake.baseURL + "/images/generations"))
        #expect(result.stdout.lowercased().contains("authorization"))
        #expect(result.stdout.contains("org-dry"))
        #expect(result.stdout.contains("a dry fox"))
        #expect(result.stdout.contains("1024x1792"))
        #expect(try await t.fake.requests().isEmpty)
        #expect(t.files().isEmpty)
    }

    @Test func verboseSummariesNeverShowTheKey() async throws {
        let t = try await E2E()
        // Imagegen.run fails the test if the key shows up on stdout or stderr.
        let result = try await t.run(["-v", "--api-key", t.fake.apiKey, "--model", "dall-e-3", "a fox"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("/images/generations"))
        #expect(result.lines.count == 1)
    }

    @Test func unreachableServerIsANetworkError() async throws {
        let t = try await E2E()
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let result = try await t.run(["--max-retries", "0", "--api-base", "http://127.0.0.1:1/v1", "a fox"])
        #expect(result.status == 6, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("imagegen: "))
        #expect(t.files().isEmpty)
    }
}
