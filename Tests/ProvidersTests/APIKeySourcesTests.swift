import Glibc
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenProviders

@Suite struct APIKeySourcesTests {
    private let named = Sourced(value: "/k", source: "OPENAI_API_KEY_FILE /k")

    @Test func onlyTrailingLineEndsAreRemoved() throws {
        #expect(try APIKeySources.key(in: Array("sk-a\n".utf8), source: named, what: "holds") == "sk-a")
        #expect(try APIKeySources.key(in: Array("sk-a\r\n\n".utf8), source: named, what: "holds") == "sk-a")
        #expect(try APIKeySources.key(in: Array(" sk-a ".utf8), source: named, what: "holds") == " sk-a ")
        for bad in ["", "\n", "sk-a\nsk-b", "sk\u{1B}[2J", "sk-\ta"] {
            #expect(throws: ImageGenError.self, "\(bad.debugDescription)") {
                try APIKeySources.key(in: Array(bad.utf8), source: named, what: "holds")
            }
        }
    }

    @Test func aVariableOrItsFileTwinNotBoth() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("key", Array("sk-from-file\n".utf8))
        let file = scratch.sub("key")
        let fromFile = try APIKeySources.fromVariables(
            ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY"], environment: Environment(["AZURE_OPENAI_API_KEY_FILE": file]))
        #expect(fromFile?.value == "sk-from-file" && fromFile?.source == "AZURE_OPENAI_API_KEY_FILE \(file)")
        // The first variable of the list wins, whichever of the pair gives it.
        let first = try APIKeySources.fromVariables(
            ["AZURE_API_KEY", "AZURE_OPENAI_API_KEY"],
            environment: Environment(["AZURE_API_KEY_FILE": file, "AZURE_OPENAI_API_KEY": "sk-second"]))
        #expect(first?.value == "sk-from-file")
        #expect(
            throws: ImageGenError.configuration(
                "OPENAI_API_KEY and OPENAI_API_KEY_FILE are both set; unset one of them")
        ) {
            try APIKeySources.fromVariables(
                ["OPENAI_API_KEY"], environment: Environment(["OPENAI_API_KEY": "k", "OPENAI_API_KEY_FILE": file]))
        }
        #expect(throws: ImageGenError.self) {
            try APIKeySources.fromVariables(
                ["OPENAI_API_KEY"], environment: Environment(["OPENAI_API_KEY_FILE": scratch.path]))
        }
    }

    @Test func theKeysFileMustBeOnlyItsOwnersToReadAndWrite() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("keys", Array("[default]\nopenai = sk-stored\n".utf8))
        let path = scratch.sub("keys")
        var environment = Environment()
        environment.settings.keysFile = path
        for (mode, allowed) in [(0o600, true), (0o400, true), (0o640, false), (0o604, false), (0o620, false)] {
            chmod(path, mode_t(mode))
            if allowed {
                #expect(try APIKeySources.storedKey(.openai, environment: environment)?.value == "sk-stored")
            } else {
                #expect(throws: ImageGenError.self, "mode \(String(mode, radix: 8))") {
                    try APIKeySources.storedKey(.openai, environment: environment)
                }
            }
        }
        chmod(path, 0o600)
        #expect(try APIKeySources.storedKey(.azure, environment: environment) == nil)
        environment.settings.keysSection = "profile work"
        #expect(
            try APIKeySources.storedKey(.openai, environment: environment)?.source == "the keys file \(path) [default]")
    }

    /// The providers after OpenAI, Azure and Bedrock take their keys from the same sources.
    @Test func hostedProvidersReadTheFileTwinsToo() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("bfl", Array("bfl-key-from-file\n".utf8))
        let endpoint = try HostedEndpoint.resolve(
            ConnectionOptions(), environment: Environment(["BLACK_FOREST_LABS_API_KEY_FILE": scratch.sub("bfl")]),
            provider: .blackForestLabs, name: "Black Forest Labs",
            keyVariables: ["BFL_API_KEY", "BLACK_FOREST_LABS_API_KEY"], baseVariables: ["BFL_API_BASE"],
            defaultBase: "https://api.bfl.ai")
        #expect(endpoint.apiKey == "bfl-key-from-file")
        #expect(endpoint.keySource == "BLACK_FOREST_LABS_API_KEY_FILE \(scratch.sub("bfl"))")
        do {
            _ = try HostedEndpoint.resolve(
                ConnectionOptions(), environment: Environment([:]), provider: .nscale, name: "Nscale",
                keyVariables: ["NSCALE_API_KEY"], baseVariables: ["NSCALE_API_BASE"], defaultBase: "https://x.test")
            Issue.record("no key, no error")
        } catch {
            #expect(error.message.hasSuffix("or store it with imagegen keys set nscale"))
        }
    }
}
