import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Settings and keys through the built binary: a configuration directory in a
/// scratch XDG_CONFIG_HOME, the key reaching the loopback fake's Authorization
/// header from a file, a command or the keys file, and never standard error.
@Suite struct ConfigEndToEndTests {
    static let key = "sk-e2e-config-key-5f1c0a9b"

    /// `t.root/xdg/imagegen`, with the environment that points at it and at the fake.
    private static func world(_ t: E2E) throws -> (directory: URL, env: [String: String]) {
        let directory = t.root.appendingPathComponent("xdg/imagegen")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, ["XDG_CONFIG_HOME": t.root.appendingPathComponent("xdg").path])
    }

    private static func write(_ text: String, to url: URL, mode: Int = 0o600) throws {
        try Data(text.utf8).write(to: url)
        chmod(url.path, mode_t(mode))
    }

    private static func mode(_ url: URL) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions]) as? Int
    }

    private static func expectNoKey(_ result: RunResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.stderr.contains(key), "key on stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stdout.contains(key), "key on stdout", sourceLocation: sourceLocation)
    }

    @Test func thePrecedenceTableRowByRow() async throws {
        let t = try await E2E(apiKey: Self.key)
        let (directory, env) = try Self.world(t)
        let keyFile = t.root.appendingPathComponent("openai.key")
        try Self.write(Self.key + "\n", to: keyFile)
        try Self.write(
            """
            # settings for the end-to-end test
            [default]
            api-base = \(t.fake.baseURL)
            model = dall-e-2
            api-key-file = \(keyFile.path)

            [profile big]
            model = dall-e-3

            [profile hd]
            model = dall-e-3
            quality = hd

            """, to: directory.appendingPathComponent("config"))
        // (row, arguments, environment, the model sent, the quality sent)
        let rows: [(String, [String], [String: String], String, String?)] = [
            ("flag", ["--profile", "big", "-m", "dall-e-2"], ["IMAGEGEN_MODEL": "gpt-image-1"], "dall-e-2", nil),
            ("environment", ["--profile", "big"], ["IMAGEGEN_MODEL": "gpt-image-1"], "gpt-image-1", nil),
            ("profile", ["--profile", "big"], [:], "dall-e-3", nil),
            ("profile by IMAGEGEN_PROFILE", [], ["IMAGEGEN_PROFILE": "big"], "dall-e-3", nil),
            ("[default]", [], [:], "dall-e-2", nil),
            (
                "flag over a profile's quality", ["--profile", "hd", "--quality", "standard"], [:], "dall-e-3",
                "standard"
            ),
            ("a profile's quality", ["--profile", "hd"], [:], "dall-e-3", "hd"),
        ]
        for (row, arguments, extra, model, quality) in rows {
            let result = try await t.run(arguments + ["-v", "an otter"], env: env.merging(extra) { $1 })
            #expect(result.status == 0, "\(row): \(result.stderr)")
            #expect(result.stderr.contains("imagegen: openai credentials from api-key-file ("), "\(row)")
            Self.expectNoKey(result)
            let sent = try await t.fake.generationRequests().last
            expectAuthorised(sent, key: Self.key)
            #expect(sent?.bodyObject?["model"] as? String == model, "\(row)")
            #expect(sent?.bodyObject?["quality"] as? String == quality, "\(row)")
        }
        #expect(try await t.fake.generationRequests().count == rows.count)
    }

    @Test func aBrokenConfigurationIsExitThreeNamingFileAndLine() async throws {
        let t = try await E2E(apiKey: Self.key)
        let (directory, env) = try Self.world(t)
        let config = directory.appendingPathComponent("config")
        try Self.write("[default]\nmodel = dall-e-2\nn = many\n", to: config)
        let bad = try await t.run(["an otter"], env: env.merging(["OPENAI_API_KEY": Self.key]) { $1 })
        #expect(bad.status == 3)
        #expect(bad.stderr == "imagegen: \(config.path) line 3: n expects a whole number from 1 to 10000, got 'many'\n")
        try Self.write("[default]\nthis is not ini\n", to: config)
        let broken = try await t.run(["an otter"], env: env.merging(["OPENAI_API_KEY": Self.key]) { $1 })
        #expect(broken.status == 3)
        #expect(broken.stderr.hasPrefix("imagegen: \(config.path) line 2: expected [default]"))
        #expect(try await t.fake.generationRequests().isEmpty)
    }

    @Test func theFileVariableAndTheKeyCommandReachTheAuthorizationHeader() async throws {
        let t = try await E2E(apiKey: Self.key)
        let (directory, env) = try Self.world(t)
        let keyFile = t.root.appendingPathComponent("secret")
        try Self.write(Self.key, to: keyFile)
        let base = env.merging(["OPENAI_API_BASE": t.fake.baseURL, "IMAGEGEN_MODEL": "dall-e-2"]) { $1 }
        let fromFile = try await t.run(
            ["-v", "an otter"], env: base.merging(["OPENAI_API_KEY_FILE": keyFile.path]) { $1 })
        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromFile.stderr.contains("imagegen: openai credentials from OPENAI_API_KEY_FILE \(keyFile.path)"))
        Self.expectNoKey(fromFile)

        try Self.write(
            "[default]\napi-key-command = cat '\(keyFile.path)'\n", to: directory.appendingPathComponent("config"))
        let fromCommand = try await t.run(["-v", "--dry-run", "an otter"], env: base)
        #expect(fromCommand.status == 0, "\(fromCommand.stderr)")
        #expect(fromCommand.stdout.contains("Authorization: Bearer [REDACTED]"))
        Self.expectNoKey(fromCommand)
        let sent = try await t.run(["-v", "an otter"], env: base)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stderr.contains("imagegen: openai credentials from api-key-command ("))
        Self.expectNoKey(sent)
        let requests = try await t.fake.generationRequests()
        #expect(requests.count == 2)
        for request in requests { expectAuthorised(request, key: Self.key) }

        try Self.write(
            "[default]\napi-key-command = printf '%s' '\(Self.key)' >&2; exit 3\n",
            to: directory.appendingPathComponent("config"))
        let failing = try await t.run(["an otter"], env: base)
        #expect(failing.status == 3)
        #expect(failing.stderr.contains("exited with status 3; imagegen does not show what it printed"))
        Self.expectNoKey(failing)
    }

    @Test func keysSetFromStandardInputThenAPermissiveFileIsRefused() async throws {
        let t = try await E2E(apiKey: Self.key)
        let (directory, env) = try Self.world(t)
        let keys = directory.appendingPathComponent("keys")
        let set = try await t.run(["keys", "set", "openai"], env: env, stdin: Self.key + "\n")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stderr == "imagegen: stored the openai key in \(keys.path) [default]\n")
        #expect(Self.mode(keys) == 0o600)
        Self.expectNoKey(set)

        let base = env.merging(["OPENAI_API_BASE": t.fake.baseURL, "IMAGEGEN_MODEL": "dall-e-2"]) { $1 }
        let run = try await t.run(["-v", "an otter"], env: base)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("imagegen: openai credentials from the keys file \(keys.path) [default]"))
        Self.expectNoKey(run)
        expectAuthorised(try await t.fake.generationRequests().first, key: Self.key)

        chmod(keys.path, 0o644)
        let refused = try await t.run(["an otter"], env: base)
        #expect(refused.status == 3)
        #expect(
            refused.stderr
                == "imagegen: the keys file \(keys.path) may be read or written by others (mode 0644); like ssh "
                + "with a private key, imagegen will not use it: chmod 600 \(keys.path)\n")
        Self.expectNoKey(refused)
        #expect(try await t.fake.generationRequests().count == 1)
    }

    @Test func keysSetAtAPseudoTerminalDoesNotEcho() async throws {
        let t = try await E2E(apiKey: Self.key)
        let (directory, env) = try Self.world(t)
        let terminal = try PseudoTerminalPair()
        defer { terminal.close() }
        let slave = URL(fileURLWithPath: terminal.slaveName)
        let child = try ChildProcess(
            [Imagegen.binary.path, "keys", "set", "azure"],
            environment: ["PATH": "/usr/bin:/bin", "HOME": t.home.path].merging(env) { $1 }, cwd: t.cwd,
            stdin: .file(slave), stdout: .file(slave), stderr: .file(slave))
        defer { child.stop() }
        let prompt = "imagegen: azure API key (not shown as you type): "
        let shown = await terminal.read(until: prompt, within: .seconds(20))
        try #require(shown.contains(prompt), "no prompt; the terminal showed: \(shown.debugDescription)")
        #expect(terminal.echoIsOn == false)
        terminal.type(Self.key + "\n")
        let rest = await terminal.read(until: "[default]\r\n", within: .seconds(20))
        let outcome = try await child.finish(within: .seconds(20))
        #expect(outcome.termination == .exited(0), "\(shown)\(rest)")
        #expect(!(shown + rest).contains(Self.key), "the key was echoed: \((shown + rest).debugDescription)")
        #expect(rest.contains("stored the azure key in \(directory.path)/keys [default]"))
        #expect(terminal.echoIsOn == true)
        let keys = directory.appendingPathComponent("keys")
        #expect(
            String(decoding: (try? Data(contentsOf: keys)) ?? Data(), as: UTF8.self)
                == "[default]\nazure = \(Self.key)\n")
        #expect(Self.mode(keys) == 0o600)
    }
}
