import Foundation
import TestSupport
import Testing

/// Credentials never appear in anything imagegen prints, whatever the run does:
/// a dry run, verbose success, refusals, retries, a provider that echoes the key back,
/// usage errors, and providers whose credentials live in other variables.
@Suite struct SecretsTests {
    static let openAIKey = "sk-sweep-openai-7c1e9d2f"
    static let flagKey = "sk-sweep-flag-4b2a11e0"
    static let awsSecretFlag = "sweepAwsSecretFlag/9f3K+q"
    static let awsTokenFlag = "sweepAwsSessionTokenFlag0Zx8"
    static let environmentSecrets = [
        "OPENAI_API_KEY": openAIKey,
        "AZURE_API_KEY": "sweep-azure-key-5d0c7a",
        "AZURE_OPENAI_API_KEY": "sweep-azure-openai-key-81ab",
        "AZURE_AD_TOKEN": "sweep-azure-ad-token-e6f4",
        "AWS_ACCESS_KEY_ID": "AKIASWEEPEXAMPLE0001",
        "AWS_SECRET_ACCESS_KEY": "sweepAwsSecretEnv/wJalrXUtn+FEMI",
        "AWS_SESSION_TOKEN": "sweepAwsSessionTokenEnvIQoJb3JpZ2lu",
        "AWS_BEARER_TOKEN_BEDROCK": "sweep-bedrock-bearer-3c9d",
    ]
    static var allSecrets: [String] {
        Array(environmentSecrets.values) + [flagKey, awsSecretFlag, awsTokenFlag]
    }

    /// (arguments, expected exit code or nil when another provider's readiness decides it)
    static let invocations: [([String], Int32?)] = [
        (["--dry-run", "a fox"], 0),
        (["--dry-run", "--api-key", flagKey, "a fox"], 0),
        (["--dry-run", "--api-key=\(flagKey)", "--model", "dall-e-3", "-n", "2", "a fox"], 0),
        (["-v", "a fox"], 0),
        (["-v", "--json", "--response-format", "b64_json", "a fox"], 0),
        (["-v", "--api-key", flagKey, "a fox"], 4),  // 401
        (["-v", "--max-retries", "2", "a fox [[500]]"], 5),  // retried, then given up
        (["-v", "a fox [[echo-key]]"], 4),  // provider quotes the env key
        (["-v", "--api-key", flagKey, "a fox [[echo-key]]"], 4),  // provider quotes the flag key
        (["-v", "--api-key", flagKey, "--frobnicate", "a fox"], 2),  // usage error
        (["--api-key", flagKey, "--max-retries", "0", "--api-base", "http://127.0.0.1:1/v1", "a fox"], 6),
        (["--dry-run", "-v", "--model", "azure/sweep-deployment", "a fox"], nil),
        (
            [
                "--dry-run", "-v", "--model", "bedrock/amazon.titan-image-generator-v2:0",
                "--aws-secret-access-key", awsSecretFlag, "--aws-session-token", awsTokenFlag, "a fox",
            ], nil
        ),
        (
            [
                "-v", "--model", "bedrock/stability.sd3-large-v1:0", "--aws-region", "us-west-2",
                "--aws-secret-access-key", awsSecretFlag, "a fox",
            ], nil
        ),
    ]

    @Test func noSecretAppearsInAnyOutput() async throws {
        let t = try await E2E(apiKey: Self.openAIKey)
        var environment = Self.environmentSecrets
        environment["OPENAI_API_BASE"] = t.fake.baseURL
        environment["IMAGEGEN_MODEL"] = "dall-e-2"
        // Bedrock runs (once that provider exists) go to the fake too, never to AWS.
        environment["AWS_BEDROCK_RUNTIME_ENDPOINT"] = t.fake.origin
        environment["AZURE_API_BASE"] = t.fake.origin
        for (arguments, expected) in Self.invocations {
            let result = try await t.run(arguments, env: environment)
            if let expected {
                #expect(result.status == expected, "\(arguments): \(result.stderr)")
            }
            #expect(result.status != 1 && result.status < 128, "\(arguments): \(result.stderr)")
            for secret in Self.allSecrets {
                #expect(!result.stdout.contains(secret), "\(arguments): \(secret) on stdout")
                #expect(!result.stderr.contains(secret), "\(arguments): \(secret) on stderr")
                // A secret must not survive in pieces either (e.g. split by a line break).
                #expect(!result.stderr.contains(secret.prefix(12)), "\(arguments): start of \(secret) on stderr")
            }
        }
        // The sweep is not vacuous: the key really went out, and was masked where it would show.
        let requests = try await t.fake.generationRequests()
        #expect(requests.contains { $0.headers["authorization"] == "Bearer \(Self.openAIKey)" })
        #expect(requests.contains { $0.headers["authorization"] == "Bearer \(Self.flagKey)" })
        let dryRun = try await t.run(["--dry-run", "a fox"], env: environment)
        #expect(dryRun.stdout.contains("Authorization: Bearer [REDACTED]"), "\(dryRun.stdout)")
        let echoed = try await t.run(["a fox [[echo-key]]"], env: environment)
        #expect(echoed.stderr.contains("credentials 'Bearer [REDACTED]' (api key [REDACTED])"), "\(echoed.stderr)")
    }
}
