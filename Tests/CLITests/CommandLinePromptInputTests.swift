import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct CommandLinePromptInputTests {
    /// Resolves with a fake standard input, recording whether it was read.
    func resolve(
        _ words: [String], terminal: Bool = false, stdin: String? = nil
    )
        throws(ImageGenError) -> (prompt: String, readStdin: Bool)
    {
        var read = false
        let prompt = try PromptInput.resolve(words: words, standardInputIsTerminal: terminal) {
            read = true
            return stdin
        }
        return (prompt, read)
    }

    func usageMessage(_ words: [String], terminal: Bool = false, stdin: String? = nil) -> String? {
        do {
            _ = try resolve(words, terminal: terminal, stdin: stdin)
            Issue.record("expected a usage error")
            return nil
        } catch {
            #expect(error.exitCode == 2)
            guard case .usage(let message) = error else { return nil }
            return message
        }
    }

    @Test func wordsAreJoinedWithSingleSpaces() throws {
        let result = try resolve(["a", "cute  baby", "sea otter"], stdin: "ignored")
        #expect(result.prompt == "a cute  baby sea otter")
        #expect(!result.readStdin)
        #expect(try resolve(["-", "otter"]).prompt == "- otter")
        #expect(try resolve(["otter\n"]).prompt == "otter\n")
    }

    @Test(arguments: [
        ("a cute otter\n", "a cute otter"),
        ("a cute otter\r\n", "a cute otter"),
        ("a cute otter", "a cute otter"),
        ("line one\nline two\n", "line one\nline two"),
        ("otter\n\n", "otter\n"),
        ("otter\r\n\r\n", "otter\n"),
        ("otter\r", "otter"),
        ("one\r\ntwo\rthree\r\n", "one\ntwo\nthree"),
        ("\u{FEFF}otter\n", "otter"),
        ("  otter  \n", "  otter  "),
        ("🦦 otter\n", "🦦 otter"),
    ])
    func standardInputLosesOneLineEnd(_ input: String, _ expected: String) throws {
        let piped = try resolve([], terminal: false, stdin: input)
        #expect(piped.prompt == expected)
        #expect(piped.readStdin)
        #expect(try resolve(["-"], terminal: false, stdin: input).prompt == expected)
    }

    @Test func explicitDashReadsEvenATerminal() throws {
        let result = try resolve(["-"], terminal: true, stdin: "typed otter\n")
        #expect(result.prompt == "typed otter" && result.readStdin)
    }

    @Test func noWordsOnATerminalIsAUsageError() throws {
        #expect(
            usageMessage([], terminal: true, stdin: "never read")
                == "no prompt given; pass PROMPT words or pipe it on standard input (see imagegen --help)")
    }

    @Test func emptyPromptsAreUsageErrors() {
        let emptyStdin =
            "no prompt given: standard input was empty; pass PROMPT words or pipe "
            + "a prompt on standard input (see imagegen --help)"
        for input in ["", "\n", "\r\n", "  \t\n", "\n\n"] {
            #expect(usageMessage([], stdin: input) == emptyStdin, "\(input.debugDescription)")
            #expect(usageMessage(["-"], stdin: input) == emptyStdin, "\(input.debugDescription)")
        }
        let emptyWords = "the prompt is empty; pass PROMPT words with some text (see imagegen --help)"
        for words in [[""], ["", ""], ["  ", "\t"]] {
            #expect(usageMessage(words) == emptyWords, "\(words)")
        }
    }

    @Test func unreadableStandardInput() {
        #expect(
            usageMessage([], stdin: nil)
                == "could not read the prompt from standard input; pass PROMPT words instead")
    }
}
