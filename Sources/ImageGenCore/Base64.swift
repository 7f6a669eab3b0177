/// Standard-alphabet base64 (RFC 4648 §4) with padding. Images arrive as
/// base64 strings of tens of megabytes, so both directions work on raw UTF-8
/// bytes through lookup tables and write into preallocated arrays.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    package static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodedBytes(bytes), as: UTF8.self)
    }

    /// The base64 text as UTF-8 bytes, without building a String.
    package static func encodedBytes(_ bytes: [UInt8]) -> [UInt8] {
        let outputCount = (bytes.count + 2) / 3 * 4
        let encoded = [UInt8](unsafeUninitializedCapacity: outputCount) { out, initialized in
            alphabet.withUnsafeBufferPointer { symbols in
                bytes.withUnsafeBufferPointer { input in
                    var i = 0
                    var o = 0
                    while i + 3 <= input.count {
                        let chunk = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                        out[o] = symbols[Int(chunk >> 18)]
                        out[o + 1] = symbols[Int(chunk >> 12 & 0x3F)]
                        out[o + 2] = symbols[Int(chunk >> 6 & 0x3F)]
                        out[o + 3] = symbols[Int(chunk & 0x3F)]
                        i += 3
                        o += 4
                    }
                    let rest = input.count - i
                    if rest > 0 {
                        let second = rest == 2 ? UInt32(input[i + 1]) : 0
                        let chunk = UInt32(input[i]) << 16 | second << 8
                        out[o] = symbols[Int(chunk >> 18)]
                        out[o + 1] = symbols[Int(chunk >> 12 & 0x3F)]
                        out[o + 2] = rest == 2 ? symbols[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "=")
                        out[o + 3] = UInt8(ascii: "=")
                        o += 4
                    }
                    initialized = o
                }
            }
        }
        return encoded
    }

    /// Each symbol's 6 bits already shifted into place for the four positions
    /// of a quad, so a quad is four lookups OR-ed; bytes outside the alphabet
    /// ("=" included: padding is handled apart) set the top byte, which the
    /// same OR carries to the end of the pass: validation costs no second pass.
    private static let quadTables: [UInt32] = {
        var table = [UInt32](repeating: 0xFF00_0000, count: 4 * 256)
        for (value, byte) in alphabet.enumerated() {
            for position in 0..<4 { table[position * 256 + Int(byte)] = UInt32(value) << (18 - 6 * position) }
        }
        return table
    }()

    /// The decoded bytes, or nil when `text` is not canonical-length padded
    /// base64: a character outside the alphabet (whitespace included), a length
    /// that is not a multiple of 4, or "=" anywhere but the last one or two places.
    package static func decode(_ text: String) -> [UInt8]? {
        var text = text
        // Native strings are contiguous UTF-8 already; this copies only bridged ones.
        return text.withUTF8 { decode(utf8: $0) }
    }

    package static func decode(_ bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { decode(utf8: $0) }
    }

    package static func decode(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { decode(utf8: $0) }
    }

    private static func decode(utf8 input: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard let outputCount = decodedCount(input) else { return nil }
        var valid = true
        let decoded = [UInt8](unsafeUninitializedCapacity: outputCount) { out, initialized in
            valid = decode(input, into: out.baseAddress)
            initialized = outputCount
        }
        return valid ? decoded : nil
    }

    /// Decodes the base64 text at `range` of `buffer` into the front of
    /// `buffer`, which then holds just the decoded bytes: a 48 MiB image
    /// needs no second buffer. One pass, validating as it decodes: returns
    /// false when the text is not valid base64, and `buffer`'s bytes are then
    /// no longer the text (nor an image), for the caller to drop.
    package static func decodeInPlace(_ buffer: inout [UInt8], range: Range<Int>) -> Bool {
        let count: Int? = buffer.withUnsafeMutableBufferPointer { all in
            let input = UnsafeBufferPointer(rebasing: all[range])
            guard let count = decodedCount(input) else { return nil }
            // Output position never passes input position (3 bytes out per 4 in,
            // starting no later), and each quad is read before it is written.
            return decode(input, into: all.baseAddress) ? count : nil
        }
        guard let count else { return false }
        buffer.removeSubrange(count...)
        return true
    }

    /// Decoded length for padded base64 of this length, or nil when the length is impossible.
    private static func decodedCount(_ input: UnsafeBufferPointer<UInt8>) -> Int? {
        guard input.count % 4 == 0 else { return nil }
        if input.isEmpty { return 0 }
        let padding =
            input[input.count - 1] != UInt8(ascii: "=")
            ? 0
            : input[input.count - 2] != UInt8(ascii: "=") ? 1 : 2
        return input.count / 4 * 3 - padding
    }

    /// Writes the decoded bytes of `input` (length already checked) to `out`;
    /// false when a symbol is outside the alphabet or "=" is out of place.
    private static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>?) -> Bool {
        guard let outputCount = decodedCount(input) else { return false }
        guard outputCount > 0, let out, let symbols = input.baseAddress else { return true }
        let padding = input.count / 4 * 3 - outputCount
        return quadTables.withUnsafeBufferPointer { tables in
            let t = tables.baseAddress!
            let fullQuads = input.count / 4 - (padding > 0 ? 1 : 0)
            var i = 0
            var o = 0
            var bad: UInt32 = 0
            for _ in 0..<fullQuads {
                let chunk =
                    t[Int(symbols[i])] | t[256 + Int(symbols[i + 1])] | t[512 + Int(symbols[i + 2])]
                    | t[768 + Int(symbols[i + 3])]
                bad |= chunk
                out[o] = UInt8(truncatingIfNeeded: chunk >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: chunk)
                i += 4
                o += 3
            }
            if padding > 0 {
                let third = padding == 1 ? t[512 + Int(symbols[i + 2])] : 0
                let chunk = t[Int(symbols[i])] | t[256 + Int(symbols[i + 1])] | third
                bad |= chunk
                out[o] = UInt8(truncatingIfNeeded: chunk >> 16)
                if padding == 1 { out[o + 1] = UInt8(truncatingIfNeeded: chunk >> 8) }
            }
            return bad >> 24 == 0
        }
    }
}
