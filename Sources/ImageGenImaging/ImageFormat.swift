/// The image formats providers answer with. The raw value is the `format`
/// field of the `--json` document.
package enum ImageFormat: String, CaseIterable, Equatable, Sendable {
    case png
    case jpeg
    case webp
    case gif

    /// Without a dot; `.jpg` because that is what people and tools expect.
    package var fileExtension: String {
        switch self {
        case .png: return "png"
        case .jpeg: return "jpg"
        case .webp: return "webp"
        case .gif: return "gif"
        }
    }

    /// The format announced by the first bytes, or nil. Only the signature is
    /// looked at; `ImageInspector` decides whether the rest is sound.
    package static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && bytes[offset..<offset + prefix.count].elementsEqual(prefix)
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        return nil
    }

    /// As people write it: PNG, JPEG, WebP, GIF.
    package var displayName: String {
        switch self {
        case .png: return "PNG"
        case .jpeg: return "JPEG"
        case .webp: return "WebP"
        case .gif: return "GIF"
        }
    }
}
