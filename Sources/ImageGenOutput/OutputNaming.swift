import ImageGenCore

/// Where `-o` sends the images (SPEC §2, `-o` row).
package enum OutputTarget: Equatable, Sendable {
    /// `-o -`: the single image's bytes on standard output.
    case standardOutput
    /// Generated names inside a directory, written as the user wrote it
    /// ("" for the current directory, which keeps printed paths bare).
    case directory(String)
    /// An explicit file name, possibly holding `{i}`.
    case file(String)
    /// An existing character device or FIFO (`/dev/null`, a named pipe), or
    /// a symlink to one: the single image is written into it as it is, with
    /// no extension added.
    case stream(String)

    /// Looks at the file system: an existing directory given without a
    /// trailing `/` is still a directory, and a device or FIFO is not a name.
    package init(_ output: String?) {
        guard let output, !output.isEmpty else {
            self = .directory("")
            return
        }
        if output == "-" {
            self = .standardOutput
            return
        }
        if output.hasSuffix("/") {
            self = .directory(output)
            return
        }
        switch FileSystem.kind(output) {
        case .directory: self = .directory(output)
        case .stream: self = .stream(output)
        default: self = .file(output)
        }
    }
}

/// File names: generated ones from the prompt, explicit ones from `-o NAME`.
package enum OutputNaming {
    /// Lowercase ASCII letters and digits, every other run of characters one
    /// `-`, at most `maxLength` characters cut at a `-` when there is one;
    /// "image" when nothing is left.
    package static func slug(_ prompt: String, maxLength: Int = 50) -> String {
        var slug: [UInt8] = []
        var pendingDash = false
        for byte in prompt.utf8 {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            if (lower >= 0x61 && lower <= 0x7A) || (lower >= 0x30 && lower <= 0x39) {
                if pendingDash && !slug.isEmpty { slug.append(UInt8(ascii: "-")) }
                pendingDash = false
                slug.append(lower)
            } else {
                pendingDash = true
            }
        }
        if slug.count > maxLength {
            let cut = Array(slug[..<maxLength])
            let wordEnds = slug[maxLength] == UInt8(ascii: "-")
            if !wordEnds, let lastDash = cut.lastIndex(of: UInt8(ascii: "-")) {
                slug = Array(cut[..<lastDash])
            } else {
                slug = cut
            }
            while slug.last == UInt8(ascii: "-") { slug.removeLast() }
        }
        return slug.isEmpty ? "image" : String(decoding: slug, as: UTF8.self)
    }

    /// `slug.ext` for a lone image (number nil), `slug-N.ext` otherwise.
    package static func generatedName(slug: String, number: Int?, fileExtension: String) -> String {
        number.map { "\(slug)-\($0).\(fileExtension)" } ?? "\(slug).\(fileExtension)"
    }

    /// The path of image `index` (0-based) of `count` for `-o NAME`: `{i}`
    /// becomes the 1-based index; otherwise with several images `-N` goes
    /// before the extension; a name without extension gets `fileExtension`.
    package static func explicitName(_ template: String, index: Int, count: Int, fileExtension: String) -> String {
        var name = template
        if name.contains("{i}") {
            name = name.replacing("{i}", with: String(index + 1))
        } else if count > 1 {
            let (stem, ext) = splitExtension(name)
            name = stem + "-\(index + 1)" + (ext.map { "." + $0 } ?? "")
        }
        if splitExtension(name).extension == nil {
            name += name.hasSuffix(".") ? fileExtension : "." + fileExtension
        }
        return name
    }

    /// Splits the last path component at its last dot; a leading dot (a
    /// hidden file) and a trailing dot are not extensions.
    static func splitExtension(_ path: String) -> (stem: String, extension: String?) {
        let componentStart = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        guard let dot = path[componentStart...].lastIndex(of: "."),
            dot != componentStart, path.index(after: dot) != path.endIndex
        else {
            return (path, nil)
        }
        return (String(path[..<dot]), String(path[path.index(after: dot)...]))
    }

    /// `directory` as the user wrote it joined with `name`; "" keeps the bare name.
    package static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
