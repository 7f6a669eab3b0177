import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct HelpTextTests {
    let help = HelpText.render()
    var lines: [Substring] { help.split(separator: "\n", omittingEmptySubsequences: false) }

    @Test func everyOptionInTheTableIsDescribed() {
        for spec in OptionTable.all {
            var label = spec.short.map { "-\($0), " } ?? "    "
            label += "--" + spec.long
            if let placeholder = spec.placeholder { label += " " + placeholder }
            if let optional = spec.optionalValue { label += "[=" + optional + "]" }
            #expect(
                lines.contains { $0.hasPrefix("  " + label + " ") || $0 == "  " + label },
                "no help line for \(label)")
            // Every environment variable and default is shown (wrapping splits only at spaces).
            for word in ((spec.environment ?? "") + " " + (spec.defaultValue ?? "")).split(separator: " ") {
                #expect(help.contains(word), "--\(spec.long): \(word)")
            }
        }
    }

    @Test func linesFitEightyColumnsInPlainASCII() {
        for line in lines {
            #expect(line.count <= 80, "too long (\(line.count)): \(line)")
            let ascii = line.unicodeScalars.allSatisfy { $0.isASCII }
            #expect(ascii, "not ASCII: \(line)")
            #expect(!line.hasSuffix(" "), "trailing space: \(line)")
        }
        #expect(help.hasSuffix("\n"))
    }

    @Test func groupsComeInOrderMostCommonFirst() throws {
        let titles = OptionSpec.Group.allCases.map(\.title)
        let positions = titles.compactMap { title in lines.firstIndex { $0 == title } }
        #expect(positions.count == titles.count)
        #expect(positions == positions.sorted())
        #expect(OptionTable.all.first?.long == "model")
        // The table itself is grouped, so help order is table order.
        let groups = OptionTable.all.map(\.group)
        let firstOfEach = OptionSpec.Group.allCases.compactMap { g in groups.firstIndex(of: g) }
        #expect(firstOfEach == firstOfEach.sorted())
    }

    @Test func tableEntriesAreUnambiguous() {
        let longs = OptionTable.all.map(\.long)
        #expect(Set(longs).count == longs.count)
        let shorts = OptionTable.all.compactMap(\.short)
        #expect(Set(shorts).count == shorts.count)
        #expect(Set(shorts) == ["m", "n", "s", "o", "v", "h"])
        for spec in OptionTable.all {
            #expect(!spec.long.hasPrefix("-") && spec.long == spec.long.lowercased())
            #expect(spec.help.hasSuffix("."), "--\(spec.long) help should be a sentence")
        }
    }

    @Test func showsUsageExamplesExitCodesAndTheManual() {
        #expect(help.hasPrefix("imagegen 0.1.0"))
        #expect(help.contains(HelpText.usage))
        #expect(HelpText.usage.contains("imagegen [OPTIONS] [--] PROMPT..."))
        #expect(HelpText.usage.contains("--batch FILE"))
        #expect(help.contains(#"  imagegen --model gpt-image-2 "a cute baby sea otter""#))
        #expect(help.contains("imagegen --json -n 2 "))
        #expect(help.contains("| jq -r '.data[].file'"))
        #expect(lines.contains { $0.contains("-m openai/") && $0.contains("--api-base http") })
        #expect(help.contains("Exit status:"))
        for code in 0...7 { #expect(help.contains("  \(code) ") || help.contains("   \(code) ")) }
        #expect(help.contains("man imagegen"))
    }

    @Test func listsTheCommandWords() throws {
        #expect(HelpText.usage.contains("imagegen COMMAND [ARGS...]"))
        let title = "Commands (the first word; imagegen -- WORD... makes it a prompt):"
        let start = try #require(lines.firstIndex { $0 == title })
        let listed = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(
            listed.map { $0.split(separator: " ").first.map(String.init) ?? "" }
                == ["edit", "models", "inspect", "history", "config", "keys", "completions", "help", "version"])
        #expect(listed.allSatisfy { $0.hasPrefix("  ") })
    }

    @Test func wrapBreaksAtSpacesOnly() {
        let lines = HelpText.wrap(String(repeating: "word ", count: 40), indent: "    ")
        #expect(lines.count > 1)
        for line in lines {
            #expect(line.count <= HelpText.width)
            #expect(line.hasPrefix("    word"))
        }
        let long = String(repeating: "x", count: 90)
        #expect(HelpText.wrap("a " + long + " b", indent: "") == ["a", long, "b"])
    }
}
