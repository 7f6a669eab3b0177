/// An INI file as the AWS CLI's shared files and imagegen's own configuration
/// and keys files are written: `[section]` headers, `key = value` (or
/// `key: value`) lines, `#` and `;` comment lines. Every line is kept as it
/// was typed, so an edit (`set`, `unset`) rewrites only the lines it changes
/// and the text of an unedited document comes back byte for byte.
///
/// Values are the rest of the line, trimmed: no quoting, and a `#` after a
/// value is part of it (configparser's and botocore's reading), so a shell
/// command or a URL with a fragment survives.
package struct INIDocument: Equatable, Sendable {
    package enum Kind: Equatable, Sendable {
        /// Empty, white space, or a comment.
        case blank
        /// `[name]`, the name trimmed.
        case header(String)
        /// `key = value`; the key as written (compare it lowercased).
        case entry(key: String, value: String)
        /// An indented line: configparser's continuation of the value above
        /// (the AWS config's nested `s3 =` blocks).
        case continuation
        /// Anything else: a line no INI reader would take.
        case malformed
    }

    package struct Line: Equatable, Sendable {
        /// The text without its line end (a CR of a CRLF end stays, so it is written back).
        package var raw: String
        package var kind: Kind
        /// 1-based, as an editor shows it.
        package var number: Int
    }

    package private(set) var lines: [Line]
    private var endsWithNewline: Bool

    package init(_ text: String) {
        // Split on the byte: "\r\n" is one Character, and its CR must stay with the line.
        var raws = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        endsWithNewline = text.hasSuffix("\n") || text.isEmpty
        if endsWithNewline { raws.removeLast() }
        lines = raws.enumerated().map { Line(raw: $1, kind: INIDocument.classify($1), number: $0 + 1) }
    }

    /// The document as text: what was read, with the edits made since.
    package var text: String {
        let body = lines.map(\.raw).joined(separator: "\n")
        return endsWithNewline && !lines.isEmpty ? body + "\n" : body
    }

    static func classify(_ raw: String) -> Kind {
        let line = raw.trimmingASCIIWhitespace()
        if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { return .blank }
        if raw.first == " " || raw.first == "\t" { return .continuation }
        if line.hasPrefix("[") {
            guard line.hasSuffix("]") else { return .malformed }
            return .header(line.dropFirst().dropLast().trimmingASCIIWhitespace())
        }
        guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return .malformed }
        let key = line[..<separator].trimmingASCIIWhitespace()
        guard !key.isEmpty else { return .malformed }
        return .entry(key: key, value: line[line.index(after: separator)...].trimmingASCIIWhitespace())
    }

    /// The section names in the order their headers first appear.
    package var sections: [String] {
        var names: [String] = []
        for case .header(let name) in lines.map(\.kind) where !names.contains(name) { names.append(name) }
        return names
    }

    /// The entries of every `[section]` header with this exact name, in
    /// order (a repeated key appears twice: the last one wins for readers).
    package func entries(in section: String) -> [(key: String, value: String, line: Int)] {
        var inSection = false
        var found: [(key: String, value: String, line: Int)] = []
        for line in lines {
            switch line.kind {
            case .header(let name): inSection = name == section
            case .entry(let key, let value) where inSection: found.append((key.lowercased(), value, line.number))
            default: break
            }
        }
        return found
    }

    /// The section's keys (lowercased) and values, the last of a repeated
    /// key winning; nil when there is no such section.
    package func values(in section: String) -> [String: String]? {
        guard sections.contains(section) else { return nil }
        var values: [String: String] = [:]
        for entry in entries(in: section) { values[entry.key] = entry.value }
        return values
    }

    /// Sets `key` in `section`: the last line that sets it is rewritten (and
    /// any earlier ones, which readers ignore, removed); otherwise a line is
    /// added after the section's last entry, or a new section at the end.
    package mutating func set(_ key: String, _ value: String, in section: String) {
        let newLine = "\(key) = \(value)"
        let setting = indices(of: key, in: section)
        if let last = setting.last {
            lines[last].raw = newLine
            lines[last].kind = .entry(key: key, value: value)
            for index in setting.dropLast().reversed() { lines.remove(at: index) }
            return
        }
        var lastInSection: Int?
        var inSection = false
        for (index, line) in lines.enumerated() {
            switch line.kind {
            case .header(let name):
                inSection = name == section
                if inSection { lastInSection = index }
            case .entry, .continuation:
                if inSection { lastInSection = index }
            case .blank, .malformed:
                break
            }
        }
        let added = Line(raw: newLine, kind: .entry(key: key, value: value), number: 0)
        if let lastInSection {
            lines.insert(added, at: lastInSection + 1)
        } else {
            if let last = lines.last, last.kind != .blank { lines.append(Line(raw: "", kind: .blank, number: 0)) }
            lines.append(Line(raw: "[\(section)]", kind: .header(section), number: 0))
            lines.append(added)
        }
        endsWithNewline = true
        renumber()
    }

    /// Removes every line that sets `key` in `section`; false when none did.
    @discardableResult
    package mutating func unset(_ key: String, in section: String) -> Bool {
        let setting = indices(of: key, in: section)
        for index in setting.reversed() { lines.remove(at: index) }
        renumber()
        return !setting.isEmpty
    }

    private func indices(of key: String, in section: String) -> [Int] {
        var inSection = false
        var found: [Int] = []
        for (index, line) in lines.enumerated() {
            switch line.kind {
            case .header(let name): inSection = name == section
            case .entry(let name, _) where inSection && name.lowercased() == key.lowercased(): found.append(index)
            default: break
            }
        }
        return found
    }

    private mutating func renumber() {
        for index in lines.indices { lines[index].number = index + 1 }
    }
}
