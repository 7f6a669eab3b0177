/// Lines of text files people write anywhere: LF, CRLF or a lone CR end a
/// line, and a leading UTF-8 byte order mark is not text. Works on Unicode
/// scalars, because Swift's Characters make "\r\n" one character that
/// splitting on "\n" never finds.
package enum TextLines {
    /// The lines of `text`; a final line end does not start an empty line.
    package static func split(_ text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var afterCR = false
        for scalar in removingByteOrderMark(text).unicodeScalars {
            if afterCR && scalar == "\n" {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if scalar == "\n" || scalar == "\r" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    /// `text` without a leading U+FEFF.
    package static func removingByteOrderMark(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
    }

    /// `text` with every CRLF and lone CR turned into LF, nothing else changed.
    package static func normalizingLineEnds(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            if afterCR && scalar == "\n" { continue }
            out.append(scalar == "\r" ? "\n" : scalar)
        }
        return String(out)
    }
}
