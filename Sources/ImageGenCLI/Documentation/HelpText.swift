import ImageGenCore

/// `imagegen --help`, laid out from `OptionTable` so it cannot drift from the
/// parser. Plain ASCII, at most 80 columns.
package enum HelpText {
    package static let width = 80
    /// Where option descriptions start; longer option names put theirs on the next line.
    static let descriptionColumn = 28

    package static let usage = """
        Usage: imagegen [OPTIONS] [--] PROMPT...
               imagegen [OPTIONS] --batch FILE
               imagegen COMMAND [ARGS...]
        """

    /// What a bare `imagegen` at a terminal prints (on standard error, exit 2).
    package static let shortUsage =
        usage + "\n\n"
        + #"Example: imagegen --model gpt-image-2 "a cute baby sea otter""# + "\n"
        + "Try 'imagegen --help' for the options, or 'man imagegen' for the manual.\n"

    package static func render() -> String {
        var lines: [String] = []
        lines += wrap(
            "\(ImageGenVersion.line): generate images with OpenAI, Azure OpenAI, "
                + "OpenAI-compatible servers, AWS Bedrock, Google AI Studio and Vertex AI image models.", indent: "")
        lines.append("")
        lines += usage.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.append("")
        lines += wrap(
            "PROMPT words are joined with spaces. With no PROMPT, or PROMPT -, the "
                + "prompt is read from standard input. Each image is written to a file and its "
                + "path printed on standard output, one per line.", indent: "")
        lines.append("")
        lines += wrap(
            "Settings: a flag beats the environment, which beats the configuration file "
                + "(~/.config/imagegen/config: [default] and [profile NAME] sections whose keys are "
                + "the long option names; imagegen config set KEY VALUE), which beats the "
                + "built-in default.", indent: "")
        lines.append("")
        lines.append("Commands (the first word; imagegen -- WORD... makes it a prompt):")
        for command in CommandWord.documented {
            let label = "  " + command.usage
            let padding = String(repeating: " ", count: max(2, descriptionColumn - label.count))
            lines.append(label + padding + command.summary)
        }
        for group in OptionSpec.Group.allCases {
            lines.append("")
            lines.append(group.title)
            for spec in OptionTable.all where spec.group == group {
                lines += describe(spec)
            }
        }
        lines.append("")
        lines.append("Examples:")
        lines += examples.map { "  " + $0 }
        lines.append("")
        lines.append("Exit status:")
        lines += exitStatus.map { "  " + $0 }
        lines.append("")
        lines.append("Full manual: man imagegen")
        return lines.joined(separator: "\n") + "\n"
    }

    static let examples = [
        #"imagegen --model gpt-image-2 "a cute baby sea otter""#,
        #"imagegen -n 3 -s 512x512 -o otters/ "a sea otter holding a rock""#,
        #"imagegen --json -n 2 "a lighthouse at dusk" | jq -r '.data[].file'"#,
        #"imagegen --json=file,cost_usd "a kite" | jq -c ."#,
        #"imagegen history -n 5; imagegen history --cost --since 2026-11-01"#,
        #"imagegen inspect a-cute-baby-sea-otter.png"#,
        #"echo "a watercolor fox" | imagegen -m gpt-image-2.6-flare --quality high"#,
        #"imagegen models --provider openai"#,
        #"imagegen -m openai/my-model --api-base http://localhost:8000/v1 "a red kite""#,
        #"imagegen -m azure/DEPLOYMENT --api-base https://NAME.openai.azure.com "a cat""#,
        #"imagegen -m bedrock/stability.sd3-5-large-v1:0 --seed 7 "a pier""#,
        #"imagegen -m bedrock/stability.stable-image-core-v1:1 --seed 42 "a harbour""#,
        #"imagegen -m gemini/gemini-3.1-flash-image -s 1536x1024 "a fox in snow""#,
        #"imagegen -m vertex_ai/gemini-3-pro-image --vertex-project my-project "a pier""#,
    ]

    static let exitStatus = [
        "0 success            4 rejected by the provider (bad request, auth, policy)",
        "1 internal error     5 provider unavailable after retries",
        "2 usage error        6 network failure or timeout",
        "3 configuration      7 bad response, or a file could not be written",
    ]

    static func describe(_ spec: OptionSpec) -> [String] {
        var label = spec.short.map { "  -\($0), " } ?? "      "
        label += "--" + spec.long
        if let placeholder = spec.placeholder { label += " " + placeholder }
        if let optional = spec.optionalValue { label += "[=" + optional + "]" }

        // Environment and default start their own line so they are easy to spot.
        var sources: [String] = []
        if let environment = spec.environment { sources.append("Env: \(environment).") }
        if let defaultValue = spec.defaultValue { sources.append("Default: \(defaultValue).") }

        let indent = String(repeating: " ", count: descriptionColumn)
        var lines = wrap(spec.help, indent: indent)
        if !sources.isEmpty { lines += wrap(sources.joined(separator: " "), indent: indent) }
        if label.count + 2 <= descriptionColumn {
            let padding = String(repeating: " ", count: descriptionColumn - label.count)
            lines[0] = label + padding + lines[0].dropFirst(descriptionColumn)
        } else {
            lines.insert(label, at: 0)
        }
        return lines
    }

    /// Greedy word wrap to `width`; a word longer than a line gets a line of its own.
    static func wrap(_ text: String, indent: String) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            if line.count > indent.count { line += " " }
            line += word
        }
        lines.append(line)
        return lines
    }
}
