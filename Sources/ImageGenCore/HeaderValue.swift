/// Values that end up in an HTTP header (keys, tokens, the organization,
/// AWS key material) must not hold control characters: a CR or LF would add
/// header lines of their own to the request. They are refused before
/// anything is built, and the message names where the value came from but
/// never shows it.
package enum HeaderValue {
    package static func check(_ value: Sourced<String>) throws(ImageGenError) {
        guard let bad = value.value.unicodeScalars.first(where: isControl) else { return }
        var text = "\(value.source) contains a control character, which cannot be sent in an HTTP header"
        if bad == "\r" || bad == "\n" {
            let what = bad == "\r" ? "a carriage return" : "a line feed"
            text +=
                " (\(what): was it read from a file"
                + (bad == "\r" ? " with Windows line ends? strip it with tr -d '\\r')" : "? strip the line end)")
        }
        throw value.invalid(text)
    }

    /// Like `check`, for a value and the name of its source.
    package static func check(_ value: String, source: String) throws(ImageGenError) {
        try check(Sourced(value: value, source: source))
    }

    /// C0 controls, DEL and C1 controls; a tab is a control here too.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
