/// Standard-alphabet base64 (RFC 4648 §4) with padding. Images arrive as
/// base64 strings of tens of megabytes, so both directions work on raw UTF-8
/// bytes through lookup tables and write into preallocated arrays.
package enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// 0xFF marks bytes outside the alphabet ("=" included: it is handled apart).
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

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
            valid = decode(input, into: out.baseAddress!)
            initialized = outputCount
        }
        return valid ? decoded : nil
    }

    /// Decodes the base64 text at `range` of `buffer` into the front of
    /// `buffer`, which then holds just the decoded bytes: a 48 MiB image
    /// needs no second buffer. Returns false, leaving `buffer` as it was,
    /// when the text is not valid base64.
    package static func decodeInPlace(_ buffer: inout [UInt8], range: Range<Int>) -> Bool {
        let count: Int? = buffer.withUnsafeBufferPointer { all in
            let input = UnsafeBufferPointer(rebasing: all[range])
            guard let count = decodedCount(input), isValid(input) else { return nil }
            return count
        }
        guard let count else { return false }
        buffer.withUnsafeMutableBufferPointer { all in
            // Output position never passes input position (3 bytes out per 4 in,
            // starting no later), and each quad is read before it is written.
            _ = decode(UnsafeBufferPointer(rebasing: all[range]), into: all.baseAddress!)
        }
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

    private static func isValid(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let count = decodedCount(input) else { return false }
        let padding = input.count / 4 * 3 - count
        return values.withUnsafeBufferPointer { table in
            var bad: UInt8 = 0
            for i in 0..<(input.count - padding) { bad |= table[Int(input[i])] }
            return bad & 0x80 == 0
        }
    }

    /// Writes the decoded bytes of `input` (length already checked) to `out`;
    /// false when a symbol is outside the alphabet.
    private static func decode(_ input: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Bool {
        guard let outputCount = decodedCount(input), outputCount > 0 else { return decodedCount(input) != nil }
        let padding = input.count / 4 * 3 - outputCount
        return values.withUnsafeBufferPointer { table in
            // Full quads first: 4 symbols → 3 bytes, bad symbols detected by OR-ing.
            let fullQuads = input.count / 4 - (padding > 0 ? 1 : 0)
            var i = 0
            var o = 0
            var bad: UInt8 = 0
            for _ in 0..<fullQuads {
                let a = table[Int(input[i])]
                let b = table[Int(input[i + 1])]
                let c = table[Int(input[i + 2])]
                let d = table[Int(input[i + 3])]
                bad |= a | b | c | d
                let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                out[o] = UInt8(truncatingIfNeeded: chunk >> 16)
                out[o + 1] = UInt8(truncatingIfNeeded: chunk >> 8)
                out[o + 2] = UInt8(truncatingIfNeeded: chunk)
                i += 4
                o += 3
            }
            if padding > 0 {
                let a = table[Int(input[i])]
                let b = table[Int(input[i + 1])]
                let c = padding == 1 ? table[Int(input[i + 2])] : 0
                bad |= a | b | c
                let chunk = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                out[o] = UInt8(truncatingIfNeeded: chunk >> 16)
                if padding == 1 { out[o + 1] = UInt8(truncatingIfNeeded: chunk >> 8) }
            }
            // 0xFF is the only table value with the high bit set.
            return bad & 0x80 == 0
        }
    }
}
