/// A JSON value that keeps object keys in the order they were written, so the
/// documents we print read the way SPEC §2 shows them and request bodies are
/// deterministic (tests compare them byte for byte).
package enum JSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(String)  // kept as written: no precision lost on passthrough
    case string(String)
    /// A string kept as its UTF-8 bytes inside the buffer it was parsed from:
    /// how the parser hands over megabytes of base64 without copying them.
    /// Only escape-free strings become this, so the bytes are the text.
    case bytes(ArraySlice<UInt8>)
    case array([JSON])
    case object([(String, JSON)])

    package static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return JSON.sameNumber(a, b)
        case (.string(let a), .string(let b)): return a == b
        case (.bytes(let a), .bytes(let b)): return a.elementsEqual(b)
        case (.bytes(let a), .string(let b)), (.string(let b), .bytes(let a)): return a.elementsEqual(b.utf8)
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    package static func int(_ value: Int) -> JSON { .number(String(value)) }

    /// `1` equals `1.0` and `1e0`; two integers compare exactly, since
    /// Doubles cannot tell 2^53 + 1 from 2^53.
    static func sameNumber(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if let x = Int(a), let y = Int(b) { return x == y }
        guard let x = Double(a), let y = Double(b) else { return false }
        return x == y
    }

    package subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.0 == key })?.1
    }

    package var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .bytes(let bytes): return String(decoding: bytes, as: UTF8.self)
        default: return nil
        }
    }

    /// A string's UTF-8 bytes, without a copy when the parser kept them as bytes.
    package var utf8Bytes: ArraySlice<UInt8>? {
        switch self {
        case .string(let s): return Array(s.utf8)[...]
        case .bytes(let bytes): return bytes
        default: return nil
        }
    }

    package var intValue: Int? {
        if case .number(let n) = self {
            return Int(n) ?? Double(n).flatMap { $0 == $0.rounded() ? Int(exactly: $0) : nil }
        }
        return nil
    }

    package var arrayValue: [JSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    package var isNull: Bool { self == .null }
}

// MARK: - Serialisation

extension JSON {
    /// Compact JSON text, as sent on the wire.
    package var text: String {
        var out = ""
        write(to: &out, indent: nil, level: 0, flush: { _ in })
        return out
    }

    /// The text in pieces of about 64 KiB, so a document carrying a large
    /// image is printed without first being built whole.
    package func write(pretty: Bool, chunk: (String) -> Void) {
        var out = ""
        write(to: &out, indent: pretty ? "  " : nil, level: 0) { pending in
            guard pending.utf8.count >= 1 << 16 else { return }
            chunk(pending)
            pending = ""
        }
        if !out.isEmpty { chunk(out) }
    }

    private func write(to out: inout String, indent: String?, level: Int, flush: (inout String) -> Void) {
        defer { flush(&out) }
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): JSON.writeString(s, to: &out)
        case .bytes(let bytes):
            out += "\""
            var start = bytes.startIndex
            while start < bytes.endIndex {
                let end = bytes.index(start, offsetBy: 1 << 16, limitedBy: bytes.endIndex) ?? bytes.endIndex
                out += String(decoding: bytes[start..<end], as: UTF8.self)
                flush(&out)
                start = end
            }
            out += "\""
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                JSON.newline(&out, indent, level + 1)
                item.write(to: &out, indent: indent, level: level + 1, flush: flush)
            }
            JSON.newline(&out, indent, level)
            out += "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                JSON.newline(&out, indent, level + 1)
                JSON.writeString(key, to: &out)
                out += indent == nil ? ":" : ": "
                value.write(to: &out, indent: indent, level: level + 1, flush: flush)
            }
            JSON.newline(&out, indent, level)
            out += "}"
        }
    }

    private static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    private static func writeString(_ s: String, to out: inout String) {
        // Base64 and most text need no escaping: append it whole.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
            out += "\"" + s + "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
