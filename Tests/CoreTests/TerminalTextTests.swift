import Testing

@testable import ImageGenCore

/// What a server's text may not do to the terminal it is printed on.
@Suite struct TerminalTextTests {
    static let esc = "\u{1B}"

    @Test func plainTextAnyScriptIsKept() {
        for text in [
            "", "image/png", "Rate limit reached. Please try again in 1s.", "tab\tand\nnewline\n",
            "Übergröße — 画像 🦦 ﷺ", "right\u{202E}to-left and zero\u{200B}width", "\u{A0}no-break\u{A0}",
        ] {
            #expect(TerminalText.sanitized(text) == text, "\(text.debugDescription)")
        }
    }

    @Test func controlSequencesAreDroppedWhole() {
        let e = Self.esc
        let cases: [(String, String)] = [
            // CSI: colours, cursor movement, clearing, private modes, intermediates.
            ("\(e)[31mred\(e)[0m", "red"),
            ("a\(e)[2J\(e)[Hb", "ab"),
            ("\(e)[?1049hx\(e)[?25l", "x"),
            ("\(e)[1;2 qy", "y"),
            ("line\(e)[1A\(e)[2Kforged", "lineforged"),
            // 8-bit CSI.
            ("\u{9B}31mred", "red"),
            // OSC ended by BEL, by ST, by 8-bit ST; a clipboard write (OSC 52).
            ("\(e)]0;pwned\u{07}title", "title"),
            ("\(e)]8;;http://evil.example\(e)\\link\(e)]8;;\(e)\\", "link"),
            ("\u{9D}2;t\u{9C}ok", "ok"),
            ("\(e)]52;c;ZXZpbA==\u{07}after", "after"),
            // DCS, SOS, PM, APC strings.
            ("\(e)P1$r0m\(e)\\x", "x"),
            ("\(e)Xsos\(e)\\a\(e)^pm\(e)\\b\(e)_apc\u{07}c", "abc"),
            ("\u{90}dcs\u{9C}d", "d"),
            // Other ESC sequences: charset designations, keypad modes, reset, save cursor.
            ("\(e)(0q\(e)(B", "q"),
            ("\(e)=\(e)>k", "k"),
            ("\(e)cz", "z"),
            ("\(e)7s\(e)8", "s"),
            ("\(e)#8w", "w"),
        ]
        for (input, expected) in cases {
            #expect(TerminalText.sanitized(input) == expected, "\(input.debugDescription)")
        }
    }

    @Test func loneControlsAreDroppedButNewlinesAndTabsStay() {
        #expect(TerminalText.sanitized("a\u{00}b\u{07}c\u{08}d\re\u{7F}f") == "abcdef")
        #expect(TerminalText.sanitized("over\rwrite") == "overwrite")
        let c1 = (0x80...0x9F).map { Character(Unicode.Scalar($0)!) }
        #expect(
            TerminalText.sanitized(
                "x" + String(c1.filter { !"\u{90}\u{98}\u{9B}\u{9D}\u{9E}\u{9F}".contains($0) }) + "y") == "xy")
        #expect(TerminalText.sanitized("keep\n\tindent\n") == "keep\n\tindent\n")
    }

    @Test func unfinishedSequencesLeaveNoControlBehind() {
        let e = Self.esc
        #expect(TerminalText.sanitized("end\(e)") == "end")
        #expect(TerminalText.sanitized("end\(e)[") == "end")
        #expect(TerminalText.sanitized("end\(e)[12;") == "end")
        // A CSI broken by a character that cannot be in it ends there; the rest is text.
        #expect(TerminalText.sanitized("\(e)[1;é ok") == "é ok")
        // An unterminated string stops at a newline, or at the ESC of the next sequence.
        #expect(TerminalText.sanitized("\(e)]0;title\nnext line") == "\nnext line")
        #expect(TerminalText.sanitized("\(e)]0;title\(e)[31mred") == "red")
        #expect(TerminalText.sanitized("\(e)]0;title never ends") == "")
    }

    @Test func theResultNeverHoldsAControlAndIsStable() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] =
            [
                "\u{1B}", "[", "]", "\\", "\u{07}", "\u{9B}", "\u{9C}", "\u{9D}", "\u{90}", "P", ";", "0", "m", "a",
                "\n", "\t", "\r", "é", "\u{7F}", " ",
            ]
        for _ in 0..<2_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &generator) {
                text.append(alphabet.randomElement(using: &generator)!)
            }
            let clean = TerminalText.sanitized(String(text))
            let controls = clean.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value)
            }
            #expect(controls.isEmpty, "\(String(text).debugDescription) gave \(clean.debugDescription)")
            #expect(TerminalText.sanitized(clean) == clean)
        }
    }
}
