import ImageGenCore

/// Where the prompt comes from (SPEC §2): the PROMPT words, or standard input
/// when there are none (or the single word `-`).
package enum PromptInput {
    package static func resolve(
        words: [String], standardInputIsTerminal: Bool, readStandardInput: () -> String?
    ) throws(ImageGenError) -> String {
        if !words.isEmpty && words != ["-"] {
            let prompt = words.joined(separator: " ")
            guard !isBlank(prompt) else {
                throw .usage("the prompt is empty; pass PROMPT words with some text (see imagegen --help)")
            }
            return prompt
        }
        // An explicit `-` reads even from a terminal, as `cat -` does: the user
        // asked for it. With no words at all a terminal means a forgotten prompt.
        if words.isEmpty && standardInputIsTerminal {
            throw .usage("no prompt given; pass PROMPT words or pipe it on standard input (see imagegen --help)")
        }
        guard let text = readStandardInput() else {
            throw .usage("could not read the prompt from standard input; pass PROMPT words instead")
        }
        // A prompt saved on Windows keeps its line breaks, as line feeds.
        let prompt = removingOneLineEnd(TextLines.normalizingLineEnds(TextLines.removingByteOrderMark(text)))
        guard !isBlank(prompt) else {
            throw .usage(
                "no prompt given: standard input was empty; pass PROMPT words or pipe "
                    + "a prompt on standard input (see imagegen --help)")
        }
        return prompt
    }

    /// Only one line end goes: a prompt may deliberately end in blank lines.
    /// Scalars, not Characters, because "\r\n" is a single Character.
    static func removingOneLineEnd(_ text: String) -> String {
        var scalars = text.unicodeScalars[...]
        guard scalars.last == "\n" else { return text }
        scalars.removeLast()
        if scalars.last == "\r" { scalars.removeLast() }
        return String(scalars)
    }

    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}
