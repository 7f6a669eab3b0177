import Foundation

/// Test worlds around the strict fakes of Black Forest Labs (Fakes/fake_bfl.py),
/// OpenRouter (fake_openrouter.py) and the OpenAI-compatible presets (fake_compatible.py).
extension E2E {
    package static let bflKey = "test-bfl-key-4711"
    package static let openRouterKey = "test-openrouter-key-4711"
    package static let compatibleKey = "test-compatible-key-4711"

    package static func blackForestLabs() async throws -> E2E {
        try E2E(fake: await FakeOpenAIServer(script: "fake_bfl.py", arguments: [bflKey], apiKey: bflKey))
    }

    package static func openRouter() async throws -> E2E {
        try E2E(
            fake: await FakeOpenAIServer(
                script: "fake_openrouter.py", arguments: [openRouterKey], apiKey: openRouterKey))
    }

    /// `flavour` is recraft, nscale or xinference; a nil key starts a server that takes none.
    package static func compatible(_ flavour: String, key: String? = compatibleKey) async throws -> E2E {
        try E2E(
            fake: await FakeOpenAIServer(
                script: "fake_compatible.py", arguments: [flavour, key ?? "none"], apiKey: key ?? ""))
    }

    package var bflEnvironment: [String: String] { ["BFL_API_KEY": E2E.bflKey, "BFL_API_BASE": fake.origin] }
}
