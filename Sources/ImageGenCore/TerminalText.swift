/// Text from the network on its way to a terminal. A server controls its
/// header values and error messages; printed raw, an escape sequence in
/// them could recolour, retitle or clear the screen, move the cursor over
/// earlier lines, or (OSC 52) write to the clipboard.
package enum TerminalText {
    /// `text` without terminal controls: escape sequences are dropped whole
    /// (CSI `ESC [ … final`, OSC `ESC ] … BEL|ST`, DCS, SOS, PM and APC
    /// strings, two- and three-byte `ESC` sequences, and their 8-bit C1
    /// forms), as are C0 controls other than `\n` and `\t`, DEL and the C1
    /// controls U+0080–U+009F. Every other character, any script or emoji,
    /// is kept.
    ///
    /// Dropped rather than shown escaped (`\u{1B}`): a message should read as
    /// the provider's words, and an escaped `\u{1B}[31m` would leave debris
    /// that looks like part of them. (`inspect` escapes instead, since there
    /// the reader asked to see exactly what a file holds.)
    package static func sanitized(_ text: String) -> String {
        // Most text has no control at all: return it as it is, without a copy.
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar.value {
            case 0x1B:
                index = endOfEscape(scalars, from: index)
            case 0x9B:  // CSI
                index = endOfControlSequence(scalars, from: index)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:  // DCS, SOS, OSC, PM, APC
                index = endOfControlString(scalars, from: index)
            default:
                if !isControl(scalar) { out.append(scalar) }
            }
        }
        return String(out)
    }

    /// Whether `scalar` is a control the result never holds.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        default: return false
        }
    }

    /// Past the sequence whose `ESC` came just before `start`.
    private static func endOfEscape(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        guard start < scalars.count else { return start }
        switch scalars[start].value {
        case 0x5B:  // [
            return endOfControlSequence(scalars, from: start + 1)
        case 0x50, 0x58, 0x5D, 0x5E, 0x5F:  // P X ] ^ _
            return endOfControlString(scalars, from: start + 1)
        default:
            // ECMA-35/48: intermediates 0x20–0x2F, then one final 0x30–0x7E.
            var index = start
            while index < scalars.count, (0x20...0x2F).contains(scalars[index].value) { index += 1 }
            if index < scalars.count, (0x30...0x7E).contains(scalars[index].value) { index += 1 }
            return index
        }
    }

    /// Past a CSI's parameters (0x30–0x3F), intermediates (0x20–0x2F) and
    /// final byte (0x40–0x7E). Anything else ends it where it stands, as a
    /// terminal would abort it, and is then read as ordinary text.
    private static func endOfControlSequence(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count, (0x20...0x3F).contains(scalars[index].value) { index += 1 }
        if index < scalars.count, (0x40...0x7E).contains(scalars[index].value) { index += 1 }
        return index
    }

    /// Past a control string's terminator: BEL, ST (`ESC \` or U+009C). An
    /// unterminated string ends at a newline (kept), so one bad line of a
    /// multi-line text does not swallow the lines after it, or at an `ESC`
    /// that starts another sequence, as a terminal would end it; else at the
    /// end of the text.
    private static func endOfControlString(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            switch scalars[index].value {
            case 0x07, 0x9C: return index + 1
            case 0x0A: return index
            case 0x1B:
                // ST, or a new sequence that aborts this one (read from its ESC).
                return index + 1 < scalars.count && scalars[index + 1] == "\\" ? index + 2 : index
            default: index += 1
            }
        }
        return index
    }
}
