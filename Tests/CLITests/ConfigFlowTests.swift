import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP

/// A configuration directory of its own (`XDG_CONFIG_HOME`) and a HOME, for
/// in-process runs of the whole command line.
private final class ConfigWorld {
    let scratch = ScratchDirectory()
    var config: String { scratch.sub("xdg/imagegen/config") }
    var keys: String { scratch.sub("xdg/imagegen/keys") }

    init(config text: String? = nil) {
        try! FileManager.default.createDirectory(atPath: scratch.sub("xdg/imagegen"), withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(atPath: scratch.sub("home"), withIntermediateDirectories: true)
        if let text { write(config, text) }
    }

    deinit { scratch.remove() }

    func write(_ path: String, _ text: String, mode: Int = 0o600) {
        precondition(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        chmod(path, mode_t(mode))
    }

    func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    }

    /// Only what a test gives, plus where the configuration lives: no real key leaks in.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ["XDG_CONFIG_HOME": scratch.sub("xdg"), "HOME": scratch.sub("home")].merging(extra) { $1 }
    }

    func run(
        _ arguments: [String], env extra: [String: String] = ["OPENAI_API_KEY": InProcessRun.key],
        stdin: String? = nil
    ) -> InProcessRun {
        InProcessRun(arguments, environment: environment(extra), stdin: stdin) { _, _ in
            .openAIImages([Fixtures.bytes("rgb.png")])
        }
    }
}

/// One row of the precedence table: flag > environment > profile > [default] > built-in.
struct PrecedenceCase: Sendable, CustomTestStringConvertible {
    let name: String
    let flag: [String]
    let environment: [String: String]
    let expected: String
    var testDescription: String { name }
}

@Suite struct ConfigFlowTests {
    static let config = """
        # shared by every profile
        [default]
        api-base = https://default.example.com/v1
        model = dall-e-2
        user = default-user

        [profile work]
        api-base = https://work.example.com/v1
        model = dall-e-3
        user = work-user
        concurrency = 2

        [profile bare]
        n = 1

        """

    static let modelRows: [PrecedenceCase] = [
        PrecedenceCase(
            name: "flag", flag: ["--profile", "work", "-m", "gpt-image-1"],
            environment: ["IMAGEGEN_MODEL": "gpt-image-2"], expected: "gpt-image-1"),
        PrecedenceCase(
            name: "environment", flag: ["--profile", "work"], environment: ["IMAGEGEN_MODEL": "gpt-image-2"],
            expected: "gpt-image-2"),
        PrecedenceCase(name: "profile", flag: ["--profile", "work"], environment: [:], expected: "dall-e-3"),
        PrecedenceCase(
            name: "profile from IMAGEGEN_PROFILE", flag: [], environment: ["IMAGEGEN_PROFILE": "work"],
            expected: "dall-e-3"),
        PrecedenceCase(
            name: "--profile beats IMAGEGEN_PROFILE", flag: ["--profile", "bare"],
            environment: ["IMAGEGEN_PROFILE": "work"], expected: "dall-e-2"),
        PrecedenceCase(
            name: "[default] under a profile", flag: ["--profile", "bare"], environment: [:], expected: "dall-e-2"),
        PrecedenceCase(name: "[default]", flag: [], environment: [:], expected: "dall-e-2"),
    ]

    @Test(arguments: modelRows)
    func modelFollowsThePrecedenceTable(_ row: PrecedenceCase) throws {
        let world = ConfigWorld(config: Self.config)
        let run = world.run(
            row.flag + ["-o", "DIR/", "an otter"],
            env: ["OPENAI_API_KEY": InProcessRun.key].merging(row.environment) { $1 })
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try run.body(0)["model"] == .string(row.expected))
    }

    static let apiBaseRows: [PrecedenceCase] = [
        PrecedenceCase(
            name: "flag", flag: ["--profile", "work", "--api-base", "https://flag.example.com/v1"],
            environment: ["OPENAI_API_BASE": "https://env.example.com/v1"], expected: "https://flag.example.com/v1"),
        PrecedenceCase(
            name: "environment", flag: ["--profile", "work"],
            environment: ["OPENAI_API_BASE": "https://env.example.com/v1"], expected: "https://env.example.com/v1"),
        PrecedenceCase(
            name: "profile", flag: ["--profile", "work"], environment: [:], expected: "https://work.example.com/v1"),
        PrecedenceCase(name: "[default]", flag: [], environment: [:], expected: "https://default.example.com/v1"),
    ]

    @Test(arguments: apiBaseRows)
    func apiBaseFollowsThePrecedenceTable(_ row: PrecedenceCase) throws {
        let world = ConfigWorld(config: Self.config)
        let run = world.run(
            row.flag + ["-o", "DIR/", "an otter"],
            env: ["OPENAI_API_KEY": InProcessRun.key].merging(row.environment) { $1 })
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.first?.url == row.expected + "/images/generations")
    }

    @Test func optionsWithoutAVariableTakeTheProfileUnderTheFlag() throws {
        let world = ConfigWorld(config: Self.config)
        let fromProfile = world.run(["--profile", "work", "-o", "DIR/", "an otter"])
        #expect(try fromProfile.body(0)["user"] == .string("work-user"))
        let fromDefault = world.run(["--profile", "bare", "-o", "DIR/", "an otter"])
        #expect(try fromDefault.body(0)["user"] == .string("default-user"))
        let fromFlag = world.run(["--profile", "work", "--user", "me", "-o", "DIR/", "an otter"])
        #expect(try fromFlag.body(0)["user"] == .string("me"))
        let builtIn = ConfigWorld().run([
            "-m", "dall-e-2", "--api-base", InProcessRun.compatibleServer, "-o", "DIR/", "x",
        ])
        #expect(try builtIn.body(0)["user"] == nil)
    }

    @Test func noConfigurationFileIsNoSettings() {
        let run = ConfigWorld().run(["--dry-run", "an otter"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("\"model\": \"gpt-image-2\"") || run.stdout.contains("gpt-image-2"))
    }

    @Test func aBadValueIsExitThreeNamingFileLineAndKey() {
        let world = ConfigWorld(config: "[default]\nmodel = dall-e-3\nconcurrency = lots\n")
        let run = world.run(["an otter"])
        #expect(run.status == 3)
        #expect(
            run.stderr
                == "imagegen: \(world.config) line 3: concurrency expects a whole number from 1 to 1000, got 'lots'\n")
        #expect(run.sent.isEmpty)
    }

    @Test func anUnparsableFileIsExitThreeNamingFileAndLine() {
        for (text, line) in [
            ("[default]\nmodel dall-e-3\n", 2), ("model = x\n", 1), ("[default]\n  indented = 1\n", 2),
            ("[work]\nmodel = x\n", 1),
        ] {
            let world = ConfigWorld(config: text)
            let run = world.run(["an otter"])
            #expect(run.status == 3, "\(text)")
            #expect(run.stderr.hasPrefix("imagegen: \(world.config) line \(line): "), "\(run.stderr)")
        }
    }

    @Test func unknownAndSecretKeysAreRefused() {
        let typo = ConfigWorld(config: "[default]\nmodle = dall-e-3\n").run(["an otter"])
        #expect(typo.status == 3)
        #expect(typo.stderr.contains("line 2: unknown setting 'modle'; did you mean model?"))
        let secret = ConfigWorld(config: "[default]\napi-key = sk-in-a-config-file\n").run(["an otter"])
        #expect(secret.status == 3)
        #expect(secret.stderr.contains("api-key is a secret and is not a setting; keep it with imagegen keys set"))
        #expect(!secret.stderr.contains("sk-in-a-config-file"))
        // Settings another part of imagegen reads are accepted here.
        let history = ConfigWorld(config: "[default]\nhistory = false\n").run(["--dry-run", "an otter"])
        #expect(history.status == 0, "\(history.stderr)")
    }

    @Test func aMissingProfileOrNamedFileIsExitThree() {
        let world = ConfigWorld(config: Self.config)
        let profile = world.run(["--profile", "home", "an otter"])
        #expect(profile.status == 3)
        #expect(
            profile.stderr.contains(
                "--profile names profile 'home', which is not in \(world.config) (its profiles: work, bare)"))
        let file = world.run(["--config", world.scratch.sub("nowhere"), "an otter"])
        #expect(file.status == 3)
        #expect(file.stderr.contains("--config names \(world.scratch.sub("nowhere")), which does not exist"))
        let variable = world.run(
            ["an otter"], env: ["IMAGEGEN_CONFIG": world.scratch.sub("nowhere"), "OPENAI_API_KEY": "k"])
        #expect(variable.status == 3)
        #expect(variable.stderr.contains("IMAGEGEN_CONFIG names"))
    }

    @Test func configFlagPointsElsewhere() throws {
        let world = ConfigWorld(config: "[default]\nmodel = dall-e-2\n")
        world.write(
            world.scratch.sub("other.ini"),
            "[default]\nmodel = gpt-image-1\napi-base = \(InProcessRun.compatibleServer)\n")
        let run = world.run(["--config", world.scratch.sub("other.ini"), "-o", "DIR/", "x"])
        #expect(try run.body(0)["model"] == .string("gpt-image-1"))
    }

    @Test func configSetGetUnsetListKeepCommentsAndOrder() throws {
        let world = ConfigWorld(config: Self.config)
        #expect(world.run(["config", "set", "model", "gpt-image-2"]).status == 0)
        #expect(world.run(["config", "set", "--profile", "work", "output", "~/Pictures/"]).status == 0)
        #expect(world.run(["config", "set", "--profile", "home", "n", "2"]).status == 0)
        #expect(world.run(["config", "unset", "--profile", "work", "concurrency"]).status == 0)
        let expected =
            Self.config
            .replacing("model = dall-e-2\n", with: "model = gpt-image-2\n")
            .replacing("concurrency = 2\n", with: "output = ~/Pictures/\n")
            + "\n[profile home]\nn = 2\n"
        #expect(world.read(world.config) == expected)
        #expect(world.mode(world.config) == 0o600)

        let get = world.run(["config", "get", "--profile", "work", "user"])
        #expect(get.status == 0 && get.stdout == "work-user\n")
        let inherited = world.run(["config", "get", "--profile", "home", "model"])
        #expect(inherited.stdout == "gpt-image-2\n")
        let missing = world.run(["config", "get", "size"])
        #expect(missing.status == 3 && missing.stdout.isEmpty)
        let list = world.run(["config", "list", "--profile", "work"])
        #expect(
            list.stdout
                == "api-base = https://work.example.com/v1\nmodel = dall-e-3\nuser = work-user\noutput = ~/Pictures/\n")
    }

    @Test func configProfilesListsDefaultAndEveryProfile() {
        let world = ConfigWorld(config: Self.config)
        #expect(world.run(["config", "profiles"]).stdout == "default\nwork\nbare\n")
        #expect(ConfigWorld().run(["config", "profiles"]).stdout == "default\n")
    }

    @Test func configSetChecksWithTheFlagsParser() {
        let world = ConfigWorld()
        let bad = world.run(["config", "set", "size", "huge"])
        #expect(bad.status == 2)
        #expect(
            bad.stderr
                == "imagegen: size expects WxH with whole numbers from 1 to 16384 (e.g. 1024x1024) or auto, got 'huge'\n"
                || bad.stderr.contains("size expects"))
        let unknown = world.run(["config", "set", "modle", "x"])
        #expect(unknown.status == 2 && unknown.stderr.contains("did you mean model?"))
        let secret = world.run(["config", "set", "api-key", "sk-never-in-config"])
        #expect(secret.status == 2 && !secret.stderr.contains("sk-never"))
        #expect(world.read(world.config) == nil)
        let other = world.run(["config", "set", "model", "x", "--quality", "hd"])
        #expect(other.status == 2)
    }

    @Test func configSetRefusesToRewriteABrokenFile() {
        let world = ConfigWorld(config: "[default]\nwhat is this\n")
        let run = world.run(["config", "set", "model", "x"])
        #expect(run.status == 3)
        #expect(run.stderr.contains("\(world.config) line 2"))
        #expect(world.read(world.config) == "[default]\nwhat is this\n")
    }

    @Test func configListMasksKeyLikeValues() {
        let world = ConfigWorld(
            config: "[default]\napi-key-command = echo sk-proj-abcdef123456\napi-key-file = /run/secrets/openai\n")
        let list = world.run(["config", "list"])
        #expect(
            list.stdout == "api-key-command = echo [REDACTED]\napi-key-file = /run/secrets/openai\n")
    }
}

@Suite struct KeySourceFlowTests {
    static let key = "sk-from-a-file-0123456789"

    private func authorization(_ run: InProcessRun) -> String? { run.sent.first?.header("authorization") }

    @Test func apiKeyFileFlagAndVariableReadTheFileWithoutItsNewline() {
        let world = ConfigWorld()
        world.write(world.scratch.sub("key"), Self.key + "\n")
        let flag = world.run(["--api-key-file", world.scratch.sub("key"), "-o", "DIR/", "x"], env: [:])
        #expect(flag.status == 0, "\(flag.stderr)")
        #expect(authorization(flag) == "Bearer \(Self.key)")
        let variable = world.run(["-o", "DIR/", "x"], env: ["OPENAI_API_KEY_FILE": world.scratch.sub("key")])
        #expect(authorization(variable) == "Bearer \(Self.key)")
        let both = world.run(["x"], env: ["OPENAI_API_KEY_FILE": world.scratch.sub("key"), "OPENAI_API_KEY": "sk-x"])
        #expect(both.status == 3)
        #expect(both.stderr == "imagegen: OPENAI_API_KEY and OPENAI_API_KEY_FILE are both set; unset one of them\n")
        let twoFlags = world.run(["--api-key", "sk-abc", "--api-key-file", world.scratch.sub("key"), "x"])
        #expect(twoFlags.status == 2)
    }

    @Test func aKeyFileWithAControlCharacterIsRefusedUnshown() {
        let world = ConfigWorld()
        world.write(world.scratch.sub("key"), "sk-first\nsk-second\n")
        let run = world.run(["x"], env: ["OPENAI_API_KEY_FILE": world.scratch.sub("key")])
        #expect(run.status == 3)
        #expect(run.stderr.contains("a control character inside the key"))
        #expect(!run.stderr.contains("sk-first") && !run.stderr.contains("sk-second"))
        #expect(run.sent.isEmpty)
    }

    @Test func apiKeyCommandIsRunOnceAndItsOutputIsTheKey() {
        let world = ConfigWorld()
        let counter = world.scratch.sub("runs")
        world.write(
            world.config,
            "[default]\napi-base = \(InProcessRun.compatibleServer)\nmodel = dall-e-2\n"
                + "api-key-command = echo run >> \(counter); printf '%s\\n' \(Self.key)\n")
        world.write(world.scratch.sub("batch.txt"), "one\ntwo\nthree\n")
        let run = world.run(["--batch", world.scratch.sub("batch.txt"), "-o", "DIR/"], env: [:])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.sent.count == 3)
        #expect(run.sent.allSatisfy { $0.header("authorization") == "Bearer \(Self.key)" })
        #expect(world.read(counter) == "run\n")
    }

    @Test func aFailingKeyCommandShowsItsStatusNotItsOutput() {
        let world = ConfigWorld(config: "[default]\napi-key-command = echo sk-leaked-by-mistake-42; exit 7\n")
        let run = world.run(["x"], env: [:])
        #expect(run.status == 3)
        #expect(run.stderr.contains("api-key-command (\(world.config) line 2) exited with status 7"))
        #expect(!run.stderr.contains("sk-leaked"))
        let control = ConfigWorld(config: "[default]\napi-key-command = printf 'sk-a\\033[2Jb'\n").run(["x"], env: [:])
        #expect(control.status == 3 && control.stderr.contains("a control character inside the key"))
        let empty = ConfigWorld(config: "[default]\napi-key-command = true\n").run(["x"], env: [:])
        #expect(empty.status == 3 && empty.stderr.contains("printed no key"))
    }

    @Test func aProviderSpecificKeySettingBeatsTheGenericOneAndTheEnvironmentBeatsBoth() {
        let world = ConfigWorld(
            config: "[default]\napi-key-command = echo sk-generic-key\nopenai-api-key-command = echo sk-openai-key\n")
        #expect(authorization(world.run(["-o", "DIR/", "x"], env: [:])) == "Bearer sk-openai-key")
        #expect(
            authorization(world.run(["-o", "DIR/", "x"], env: ["OPENAI_API_KEY": "sk-env-key"])) == "Bearer sk-env-key")
    }

    @Test func keysSetFromStandardInputWritesAPrivateFileTheRunReads() {
        let world = ConfigWorld()
        let set = world.run(["keys", "set", "openai"], env: [:], stdin: Self.key + "\n")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stderr == "imagegen: stored the openai key in \(world.keys) [default]\n")
        #expect(world.read(world.keys) == "[default]\nopenai = \(Self.key)\n")
        #expect(world.mode(world.keys) == 0o600)
        let run = world.run(["-v", "-o", "DIR/", "x"], env: [:])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(authorization(run) == "Bearer \(Self.key)")
        #expect(run.stderr.contains("imagegen: openai credentials from the keys file \(world.keys) [default]"))
        #expect(!run.stderr.contains(Self.key))
        let list = world.run(["keys", "list"], env: [:])
        #expect(list.stdout == "openai [default]\n")
        #expect(world.run(["keys", "unset", "openai"], env: [:]).status == 0)
        #expect(world.read(world.keys) == "[default]\n")
    }

    @Test func aKeysFileOthersMayReadIsRefused() {
        let world = ConfigWorld()
        world.write(world.keys, "[default]\nopenai = \(Self.key)\n", mode: 0o644)
        let run = world.run(["x"], env: [:])
        #expect(run.status == 3)
        #expect(run.stderr.contains("the keys file \(world.keys) may be read or written by others (mode 0644)"))
        #expect(run.stderr.contains("chmod 600 \(world.keys)"))
        #expect(!run.stderr.contains(Self.key))
        // A key from the environment does not need the keys file.
        #expect(world.run(["-o", "DIR/", "x"]).status == 0)
        let set = world.run(["keys", "set", "azure"], env: [:], stdin: "k\n")
        #expect(set.status == 3)
    }

    @Test func keysSetAtATerminalReadsWithoutEcho() {
        let world = ConfigWorld()
        let captured = CapturedIO(terminal: TerminalFacts(standardInputIsTerminal: true))
        var io = captured.io
        let prompts = PromptLog()
        io.readSecretLine = { prompt in
            prompts.append(prompt)
            return Array((Self.key + "\r").utf8)
        }
        let status = CommandLineTool.main(
            arguments: ["keys", "set", "--profile", "work", "bedrock"], environment: Environment(world.environment()),
            io: io)
        #expect(status == 0, "\(captured.standardError)")
        #expect(prompts.all == ["imagegen: bedrock API key (not shown as you type): "])
        #expect(world.read(world.keys) == "[profile work]\nbedrock = \(Self.key)\n")
        #expect(!captured.standardError.contains(Self.key) && !captured.standardOutput.contains(Self.key))
    }

    @Test func bedrockAndAzureTakeTheirKeysFromTheConfigurationToo() {
        let world = ConfigWorld()
        world.write(world.keys, "[default]\nbedrock = bedrock-api-key-from-file\n")
        let bedrock = world.run(
            ["-m", "bedrock/stability.sd3-5-large-v1:0", "--aws-region", "us-west-2", "--dry-run", "x"],
            env: ["AWS_EC2_METADATA_DISABLED": "true"])
        #expect(bedrock.status == 0, "\(bedrock.stderr)")
        #expect(bedrock.stdout.contains("Authorization: Bearer [REDACTED]"))
        #expect(!bedrock.stdout.contains("bedrock-api-key-from-file"))
        // The environment's AWS keys come first.
        let signed = world.run(
            ["-m", "bedrock/stability.sd3-5-large-v1:0", "--aws-region", "us-west-2", "--dry-run", "x"],
            env: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-example"])
        #expect(signed.stdout.contains("AWS4-HMAC-SHA256"))

        world.write(
            world.config,
            "[default]\nazure-api-key-command = echo azure-key-from-command\n"
                + "api-key-command = echo not-for-azure\n")
        let azure = world.run(
            ["-m", "azure/my-deployment", "--base-model", "gpt-image-2", "--dry-run", "x"],
            env: ["AZURE_API_BASE": "https://r.openai.azure.com"])
        #expect(azure.status == 0, "\(azure.stderr)")
        #expect(azure.stdout.contains("api-key: [REDACTED]"))
        #expect(!azure.stdout.contains("azure-key-from-command"))
    }

    @Test func anApiKeyFileSettingIsReadAfterTheVariables() {
        let world = ConfigWorld()
        world.write(world.scratch.sub("key"), Self.key)
        world.write(world.config, "[default]\napi-key-file = \(world.scratch.sub("key"))\n")
        let run = world.run(["-v", "-o", "DIR/", "x"], env: [:])
        #expect(authorization(run) == "Bearer \(Self.key)")
        #expect(run.stderr.contains("openai credentials from api-key-file (\(world.config) line 2)"))
    }
}

private final class PromptLog: @unchecked Sendable {
    private let lock = NSLock()
    private var prompts: [String] = []
    func append(_ prompt: String) { lock.withLock { prompts.append(prompt) } }
    var all: [String] { lock.withLock { prompts } }
}

@Suite struct ConfigJSONTests {
    @Test func aConfigurationErrorStillPrintsTheJSONErrorDocument() throws {
        let world = ConfigWorld(config: "[default]\nn = none\n")
        let run = world.run(["--json", "an otter"])
        #expect(run.status == 3)
        let document = try JSON.parse(Array(run.stdout.utf8))
        #expect(document["error"]?["type"] == .string("configuration"))
    }
}

@Suite struct SettingKeysTests {
    @Test func aValueIsCheckedByItsOptionsParser() throws {
        guard case .options(let apply) = try SettingKeys.check("concurrency", "8", home: nil) else {
            Issue.record("concurrency has no variable: it goes under the flags")
            return
        }
        var options = Options()
        apply(&options)
        #expect(options.concurrency == 8)
        #expect(throws: SettingKeys.Problem.self) { try SettingKeys.check("concurrency", "0", home: nil) }
        guard case .afterEnvironment(let value) = try SettingKeys.check("cacert", "~/ca.pem", home: "/home/u") else {
            Issue.record("cacert has variables: it comes after them")
            return
        }
        #expect(value == "/home/u/ca.pem")
    }

    @Test func flagsTakeTrueOrFalseAndSecretsAreNoSettings() throws {
        guard case .options = try SettingKeys.check("no-metadata", "true", home: nil) else {
            Issue.record("no-metadata = true sets the flag")
            return
        }
        guard case SettingKeys.Effect.none = try SettingKeys.check("quiet", "false", home: nil) else {
            Issue.record("quiet = false does nothing")
            return
        }
        for (name, value) in [("quiet", "yes"), ("json", "true"), ("api-key", "sk-x"), ("aws-secret-access-key", "x")] {
            #expect(throws: SettingKeys.Problem.self, "\(name)") { try SettingKeys.check(name, value, home: nil) }
        }
        #expect(SettingKeys.names.contains("api-key-command") && SettingKeys.names.contains("bedrock-api-key-file"))
        #expect(!SettingKeys.names.contains("api-key") && !SettingKeys.names.contains("image"))
    }

    @Test func listedValuesHideWhatLooksLikeAKey() {
        #expect(ConfigCommand.masked("pass show openai/work") == "pass show openai/work")
        #expect(ConfigCommand.masked("echo sk-proj-abc123def456") == "echo [REDACTED]")
        #expect(ConfigCommand.masked("printf %s AKIAIOSFODNN7EXAMPLE1") == "printf %s [REDACTED]")
        #expect(ConfigCommand.masked("/run/secrets/openai-api-key") == "/run/secrets/openai-api-key")
    }
}
