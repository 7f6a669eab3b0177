import Glibc
import ImageGenCore
import ImageGenImaging
import ImageGenOutput

/// What `--inspect` learned about one file.
package struct InspectedFile: Equatable, Sendable {
    package var path: String
    package var info: ImageInfo
    /// Text chunks (PNG only), imagegen's keys first in their fixed order, then
    /// the others in file order; a key seen twice keeps its first value.
    package var metadata: [(key: String, value: String)]

    package static func == (lhs: InspectedFile, rhs: InspectedFile) -> Bool {
        lhs.path == rhs.path && lhs.info == rhs.info
            && lhs.metadata.map(\.key) == rhs.metadata.map(\.key)
            && lhs.metadata.map(\.value) == rhs.metadata.map(\.value)
    }
}

/// `imagegen inspect FILE...`: format, size, PNG header facts and the
/// metadata chunks of existing images, whoever wrote them. Every file is
/// reported; the exit status is the first failure's (7), as with `--batch`.
struct InspectCommand {
    let files: [String]
    let json: Bool
    var fields: FieldSelection? = nil
    let io: ProcessIO
    let reporter: Reporter

    func run() -> Int32 {
        var status: Int32 = 0
        for (index, path) in files.enumerated() {
            do {
                let file = try FileInspection.inspect(path)
                if json {
                    FieldCatalogue.inspect.apply(fields, to: FileInspection.document(file)).write(pretty: false) {
                        io.standardOutput.write($0)
                    }
                    io.standardOutput.write("\n")
                } else {
                    io.standardOutput.write((index > 0 ? "\n" : "") + FileInspection.text(file))
                }
            } catch {
                if status == 0 { status = error.exitCode }
                reporter.error(error)
                if json {
                    FieldCatalogue.inspect.apply(fields, to: FileInspection.failureDocument(path, error)).write(
                        pretty: false
                    ) { io.standardOutput.write($0) }
                    io.standardOutput.write("\n")
                }
            }
        }
        return status
    }
}

/// Reading and describing one image file.
package enum FileInspection {
    /// The keys imagegen writes (SPEC §2, `ImageMetadata.entries`), in order.
    package static let imagegenKeys = [
        "prompt", "model", "provider", "revised_prompt", "operation", "sources", "parameters", "created",
        "imagegen",
    ]

    package static func inspect(_ path: String) throws(ImageGenError) -> InspectedFile {
        let bytes = try read(path)
        let info: ImageInfo
        do {
            info = try ImageInspector.inspect(bytes)
        } catch {
            throw .badImageFile(error.message(about: path))
        }
        var metadata: [(key: String, value: String)] = []
        if info.format == .png, case .success(let chunks) = PNGLibrary.readText(bytes) {
            metadata = ordered(chunks)
        }
        return InspectedFile(path: path, info: info, metadata: metadata)
    }

    static func ordered(_ chunks: [(key: String, value: String)]) -> [(key: String, value: String)] {
        var unique: [(key: String, value: String)] = []
        for chunk in chunks where !unique.contains(where: { $0.key == chunk.key }) { unique.append(chunk) }
        let ours = imagegenKeys.compactMap { key in unique.first { $0.key == key } }
        return ours + unique.filter { !imagegenKeys.contains($0.key) }
    }

    /// Reads the first bytes before the rest, so `--inspect /dev/zero` ends
    /// with "not an image" instead of reading forever.
    static func read(_ path: String) throws(ImageGenError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .badImageFile("cannot read \(path): \(FileSystem.describe(errno))") }
        defer { _ = close(fd) }
        var status = stat()
        if fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
            throw .badImageFile("cannot read \(path): it is a directory")
        }
        var head = [UInt8](repeating: 0, count: 64)
        var filled = 0
        while filled < head.count {
            let count = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { throw .badImageFile("cannot read \(path): \(FileSystem.describe(errno))") }
            if count == 0 { break }
            filled += count
        }
        head.removeSubrange(filled...)
        guard ImageFormat.detect(head) != nil else { return head }  // the inspector words the refusal
        guard let rest = FileSystem.readAll(fd: fd) else {
            throw .badImageFile("cannot read \(path): \(FileSystem.describe(errno))")
        }
        return head + rest
    }
}

// MARK: - Printing

extension FileInspection {
    /// Human form:
    ///
    ///     kite.png: PNG, 1024x1024, rgb 8-bit, 1523311 bytes
    ///       prompt      a kite
    ///       model       dall-e-3
    package static func text(_ file: InspectedFile) -> String {
        let info = file.info
        var facts = [info.format.displayName, "\(info.width)x\(info.height)"]
        if let png = info.png {
            facts.append("\(png.colorTypeName) \(png.bitDepth)-bit" + (png.interlaced ? ", interlaced (Adam7)" : ""))
        }
        facts.append("\(info.byteCount) bytes")
        var text = printable(file.path, keepNewlines: false) + ": " + facts.joined(separator: ", ") + "\n"
        guard !file.metadata.isEmpty else { return text + "  (no metadata)\n" }
        let width = file.metadata.map { $0.key.count }.max()! + 2
        for (key, value) in file.metadata {
            let label = printable(key, keepNewlines: false)
            let padding = String(repeating: " ", count: max(0, width - label.count))
            let lines = printable(value, keepNewlines: true).split(separator: "\n", omittingEmptySubsequences: false)
            let continuation = "\n  " + String(repeating: " ", count: width)
            text += "  " + label + padding + lines.joined(separator: continuation) + "\n"
        }
        return text
    }

    /// Metadata is anyone's text: control characters (an escape sequence
    /// could rewrite the screen) are shown as `\u{1B}`-style escapes.
    static func printable(_ text: String, keepNewlines: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let control = scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            if control && !(keepNewlines && scalar == "\n") && scalar != "\t" {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One compact JSON object per file (JSON Lines, like `--batch --json`):
    /// `{"file", "format", "width", "height", "bytes", "png"?: {"color_type",
    /// "bit_depth", "interlaced"}, "metadata": {key: text}}`. Values are the
    /// text stored in the file, except the JSON imagegen writes there:
    /// `parameters` (an object) and `sources` (an array) come as JSON, so
    /// `jq .metadata.parameters.size` reads them without `fromjson`; text
    /// that does not parse stays text.
    package static func document(_ file: InspectedFile) -> JSON {
        let info = file.info
        var members: [(String, JSON)] = [
            ("file", .string(file.path)), ("format", .string(info.format.rawValue)),
            ("width", .int(info.width)), ("height", .int(info.height)), ("bytes", .int(info.byteCount)),
        ]
        if let png = info.png {
            members.append(
                (
                    "png",
                    .object([
                        ("color_type", .string(png.colorTypeName)),
                        ("bit_depth", .int(png.bitDepth)),
                        ("interlaced", .bool(png.interlaced)),
                    ])
                ))
        }
        members.append(("metadata", .object(file.metadata.map { ($0.key, metadataValue($0.key, $0.value)) })))
        return .object(members)
    }

    static func metadataValue(_ key: String, _ value: String) -> JSON {
        guard key == "parameters" || key == "sources", let json = try? JSON.parse(Array(value.utf8)) else {
            return .string(value)
        }
        switch json {
        case .object where key == "parameters", .array where key == "sources": return json
        default: return .string(value)
        }
    }

    /// `{"file", "error": {"type", "message"}}`, the shape of a failed `--batch` line.
    package static func failureDocument(_ path: String, _ error: ImageGenError) -> JSON {
        .object([
            ("file", .string(path)),
            ("error", .object([("type", .string(error.kind)), ("message", .string(error.message))])),
        ])
    }
}

extension FieldCatalogue {
    /// `imagegen inspect --json`: one object per file.
    package static let inspect = FieldCatalogue(
        spelling: "imagegen inspect --json", top: ["file", "format", "width", "height", "bytes", "png", "metadata"],
        always: ["error"])
}
