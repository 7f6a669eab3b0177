import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// Every option the parser knows is in `--help`, in the man page and in every
/// shell's completions, and the committed completion files are exactly what
/// the option table generates.
@Suite struct OptionConsistencyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    @Test(arguments: Completions.Shell.allCases)
    func committedCompletionsAreCurrent(_ shell: Completions.Shell) throws {
        let committed = try Self.text("completions/" + shell.fileName)
        #expect(
            committed == Completions.script(shell),
            "completions/\(shell.fileName) is stale: run `make completions` (or imagegen --completions \(shell.rawValue))"
        )
    }

    @Test func everyOptionIsInHelpManPageAndCompletions() throws {
        let help = HelpText.render()
        // In roff source a hyphen in an option name is written \-.
        let manual = try Self.text("man/imagegen.1").replacingOccurrences(of: "\\-", with: "-")
        for spec in OptionTable.all {
            let long = "--" + spec.long
            #expect(
                help.contains(long + " ") || help.contains(long + "\n") || help.contains(long + "[="),
                "--help lacks \(long)")
            #expect(Self.mentions(manual, long), "man page lacks \(long)")
            // Its own entry: a .TP (or .TQ) paragraph tag naming it.
            #expect(
                manual.replacingOccurrences(of: ".TQ\n", with: ".TP\n")
                    .components(separatedBy: ".TP\n").dropFirst().contains {
                        Self.mentions(String($0.prefix { $0 != "\n" }), long)
                    }, "man page has no .TP entry for \(long)")
            if let short = spec.short {
                #expect(manual.contains("-\(short)"), "man page lacks -\(short)")
            }
            let bash = Completions.script(.bash)
            let zsh = Completions.script(.zsh)
            let fish = Completions.script(.fish)
            #expect(bash.contains(" " + long + " ") || bash.contains(" " + long + "\""), "bash lacks \(long)")
            #expect(bash.contains(long + ")") || bash.contains(long + "|") || !spec.takesValue)
            #expect(
                zsh.contains(long + "[") || zsh.contains(long + "=[") || zsh.contains(long + "=-[")
                    || zsh.contains(long + "=}")
                    || zsh.contains(long + "}"),
                "zsh lacks \(long)")
            #expect(fish.contains("-l \(spec.long) "), "fish lacks \(long)")
            if let short = spec.short {
                #expect(bash.contains("-\(short) ") && zsh.contains("-\(short)") && fish.contains("-s \(short) "))
            }
            if let environment = spec.environment {
                for variable in environment.split(whereSeparator: { !($0.isUppercase || $0 == "_") })
                where variable.count > 3 {
                    #expect(manual.contains(variable), "man page lacks \(variable) of \(long)")
                }
            }
        }
    }

    /// `--name` as a whole option name (not the start of `--name-more`).
    static func mentions(_ text: String, _ option: String) -> Bool {
        var rest = Substring(text)
        while let range = rest.range(of: option) {
            let next = rest[range.upperBound...].first
            if next.map({ !($0.isLetter || $0 == "-") }) ?? true { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    @Test func fixedValuesAreOffered() {
        let fish = Completions.script(.fish)
        #expect(fish.contains("-l provider -x -a '\(ProviderKind.allCases.map(\.rawValue).joined(separator: " "))'"))
        #expect(fish.contains("-l response-format -x -a 'url b64_json'"))
        #expect(fish.contains("-s o -l output -r -F"))
        #expect(fish.contains("-l cacert -r -F") && fish.contains("-l batch -r -F"))
        #expect(fish.contains("__fish_seen_argument -l inspect"))
        let zsh = Completions.script(.zsh)
        #expect(zsh.hasPrefix("#compdef imagegen\n"))
        #expect(zsh.contains("'--style=[Image style]:s:(vivid natural)'"))
        #expect(zsh.contains("bedrock/stability.sd3-5-large-v1\\:0"))
        // Retired models are not offered.
        #expect(!zsh.contains("nova-canvas") && !zsh.contains("dall-e"))
        #expect(Completions.script(for: "tcsh") == nil)
    }

    @Test func commandWordsAreOfferedFirst() {
        let fish = Completions.script(.fish)
        for word in ["edit", "models", "inspect", "history", "config", "keys", "completions", "help", "version"] {
            #expect(fish.contains("complete -c imagegen -n __fish_use_subcommand -a \(word) -d "), "fish lacks \(word)")
        }
        #expect(fish.contains("complete -c imagegen -n '__fish_seen_subcommand_from completions' -a 'bash zsh fish'"))
        #expect(fish.contains("__fish_seen_subcommand_from inspect' -F"))
        let zsh = Completions.script(.zsh)
        #expect(zsh.contains("'inspect:Print format, size and embedded metadata of images.'"))
        #expect(zsh.contains("'--completions=[Print the completion script for SHELL]:shell:(bash zsh fish)'"))
    }

    @Test func bashCompletesConfigActionsSettingsProvidersAndProfiles() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("imagegen-bash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("imagegen"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "[default]\n[profile work]\n[profile home]\n".write(
            to: root.appendingPathComponent("imagegen/config"), atomically: true, encoding: .utf8)
        let script = root.appendingPathComponent("completion.bash")
        try Completions.script(.bash).write(to: script, atomically: true, encoding: .utf8)
        let outcome = try await ChildProcess.run(
            [
                "/bin/bash", "--norc", "-c",
                """
                source '\(script.path)'
                complete_for() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _imagegen; echo "${COMPREPLY[*]}"; }
                complete_for imagegen config ''
                complete_for imagegen config get mod
                complete_for imagegen keys ''
                complete_for imagegen keys set a
                complete_for imagegen --profile ''
                """,
            ],
            environment: [
                "PATH": Imagegen.binary.deletingLastPathComponent().path + ":/usr/bin:/bin",
                "XDG_CONFIG_HOME": root.path, "HOME": root.path,
            ], within: .seconds(30))
        let lines = String(decoding: outcome.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(outcome.termination == .exited(0))
        #expect(
            lines == [
                "get set unset list profiles", "model moderation", "set unset list", "azure", "default work home",
            ])
    }

    @Test func bashScriptParsesAndCompletes() async throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("imagegen-bash-\(UUID().uuidString)")
        try Completions.script(.bash).write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let outcome = try await ChildProcess.run(
            [
                "/bin/bash", "--norc", "-c",
                """
                source '\(script.path)'
                complete_for() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _imagegen; echo "${COMPREPLY[*]}"; }
                complete_for imagegen --prov
                complete_for imagegen --provider ''
                complete_for imagegen --response-format=b
                complete_for imagegen -m gpt-image-2.6
                complete_for imagegen --no-m
                complete_for imagegen ''
                complete_for imagegen completions ''
                complete_for imagegen --completions ''
                complete_for imagegen -v ''
                complete_for imagegen --json=file,wi
                complete_for imagegen history --json=pr
                """,
            ], within: .seconds(30))
        let lines = String(decoding: outcome.stdout, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(outcome.termination == .exited(0))
        #expect(
            Array(lines.prefix(5)) == [
                "--provider", ProviderKind.allCases.map(\.rawValue).joined(separator: " "), "b64_json",
                "gpt-image-2.6-sunburst gpt-image-2.6-flare",
                "--no-metadata",
            ])
        // A command word only as the first word; a shell after completions.
        #expect(
            Array(lines.dropFirst(5).prefix(4)) == [
                "edit models inspect history config keys completions help version", "bash zsh fish",
                "bash zsh fish", "",
            ])
        // --json=FIELD,...: the command's fields, after the last comma.
        #expect(Array(lines.dropFirst(9).prefix(2)) == ["file,width", "prompt provider"])
    }
}
