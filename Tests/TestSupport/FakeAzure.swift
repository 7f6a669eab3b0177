import Foundation

/// Test worlds around the strict fake Azure OpenAI resource (Fakes/fake_azure.py).
extension E2E {
    package static let azureKey = "test-azure-key"
    package static let azureToken = "test-entra-token-4711"

    package static func azure() async throws -> E2E {
        try E2E(
            fake: await FakeOpenAIServer(
                script: "fake_azure.py", arguments: [azureKey, azureToken],
                apiKey: azureKey))
    }

    /// Key and base, no version: the default api-version applies.
    package var azureEnvironment: [String: String] {
        ["AZURE_API_KEY": E2E.azureKey, "AZURE_API_BASE": fake.origin]
    }
}

/// The path a generation for `deployment` must arrive at (as sent: percent-encoded).
package func azurePath(_ encodedDeployment: String) -> String {
    "/openai/deployments/\(encodedDeployment)/images/generations"
}
