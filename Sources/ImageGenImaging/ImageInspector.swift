import ImageGenCore

/// What the output stage knows about an image's bytes.
package struct ImageInfo: Equatable, Sendable {
    package var format: ImageFormat
    package var width: Int
    package var height: Int
    package var byteCount: Int
    /// Set for PNGs only.
    package var png: PNGDetails?

    package init(format: ImageFormat, width: Int, height: Int, byteCount: Int, png: PNGDetails? = nil) {
        self.format = format
        self.width = width
        self.height = height
        self.byteCount = byteCount
        self.png = png
    }
}

/// Identifies image bytes and reads their dimensions. PNGs pass the full
/// structural check (SPEC: checked before they are written: every chunk and
/// CRC, and the image data inflated to exactly its rows); the other formats are
/// read from their headers, which is enough to name and describe the file.
package enum ImageInspector {
    /// The format, size and (PNG) header of `bytes`, or why they are not an
    /// image of that format. Nothing here knows where the bytes came from:
    /// callers word the error for a provider's answer or a user's file.
    package static func inspect(_ bytes: [UInt8]) throws(ImageDefect) -> ImageInfo {
        guard let format = ImageFormat.detect(bytes) else {
            throw ImageDefect(
                expected: "an image",
                reason: bytes.isEmpty ? "no data" : "unknown format (\(describePrefix(bytes)))")
        }
        switch format {
        case .png:
            switch PNGLibrary.validate(bytes) {
            case .success(let png):
                return ImageInfo(
                    format: .png, width: png.width, height: png.height,
                    byteCount: bytes.count, png: png.details)
            case .failure(let error):
                throw ImageDefect(expected: "a valid PNG", reason: error.message)
            }
        case .jpeg:
            let size = try jpegSize(bytes).mapError { ImageDefect(expected: "a valid JPEG", reason: $0.reason) }.get()
            return ImageInfo(format: .jpeg, width: size.width, height: size.height, byteCount: bytes.count)
        case .webp:
            let size = try webpSize(bytes).mapError { ImageDefect(expected: "a valid WebP image", reason: $0.reason) }
                .get()
            return ImageInfo(format: .webp, width: size.width, height: size.height, byteCount: bytes.count)
        case .gif:
            let size = try gifSize(bytes).mapError { ImageDefect(expected: "a valid GIF", reason: $0.reason) }.get()
            return ImageInfo(format: .gif, width: size.width, height: size.height, byteCount: bytes.count)
        }
    }

    /// The first bytes, printable, so that an HTML error page or JSON is recognisable.
    static func describePrefix(_ bytes: [UInt8]) -> String {
        let head = bytes.prefix(16).map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "." }
        return "starts with \"\(String(head))\""
    }
}

/// Why bytes are not a sound image: "is not \(expected): \(reason)".
package struct ImageDefect: Error, Equatable, Sendable {
    package var expected: String
    package var reason: String

    /// "image 2 is not a valid PNG: IDAT: CRC error".
    package func message(about label: String) -> String {
        "\(label) is not \(expected): \(reason)"
    }
}

struct HeaderError: Error, Equatable {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

package struct PixelSize: Equatable {
    var width: Int
    var height: Int
}

// MARK: - Header readers

extension ImageInspector {
    static func positive(_ width: Int, _ height: Int) -> Result<PixelSize, HeaderError> {
        width > 0 && height > 0
            ? .success(PixelSize(width: width, height: height))
            : .failure(HeaderError("zero width or height"))
    }

    static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    static func le24(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | Int(b[i + 2]) << 16 }
    static func le32(_ b: [UInt8], _ i: Int) -> Int { le16(b, i) | le16(b, i + 2) << 16 }

    /// Walks the marker segments from SOI to the first frame header (SOFn),
    /// so bytes that merely look like a marker inside APPn/COM data are skipped.
    static func jpegSize(_ b: [UInt8]) -> Result<PixelSize, HeaderError> {
        var i = 2  // after SOI
        while true {
            guard i < b.count else { return .failure(HeaderError("data ends before the frame header")) }
            guard b[i] == 0xFF else { return .failure(HeaderError("expected a marker at byte \(i)")) }
            while i < b.count && b[i] == 0xFF { i += 1 }  // fill bytes
            guard i < b.count else { return .failure(HeaderError("data ends before the frame header")) }
            let marker = b[i]
            i += 1
            switch marker {
            case 0x01, 0xD0...0xD7:
                continue  // no length field
            case 0xD8, 0xD9, 0xDA, 0x00:
                let name = marker == 0xDA ? "a scan starts" : marker == 0xD9 ? "the image ends" : "a stray marker comes"
                return .failure(HeaderError("\(name) before the frame header"))
            default:
                break
            }
            guard i + 2 <= b.count else { return .failure(HeaderError("data ends inside a segment")) }
            let length = be16(b, i)
            guard length >= 2, i + length <= b.count else {
                return .failure(HeaderError("segment at byte \(i - 2) runs past the end"))
            }
            let isFrameHeader = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isFrameHeader {
                guard length >= 8 else { return .failure(HeaderError("frame header too short")) }
                // precision(1) height(2) width(2)
                return positive(be16(b, i + 5), be16(b, i + 3))
            }
            i += length
        }
    }

    /// Reads the first chunk of a RIFF/WEBP file: VP8 (lossy), VP8L (lossless)
    /// or VP8X (extended, which carries the canvas size).
    static func webpSize(_ b: [UInt8]) -> Result<PixelSize, HeaderError> {
        guard b.count >= 20 else { return .failure(HeaderError("file too short")) }
        let riffSize = le32(b, 4)
        guard riffSize + 8 <= b.count else {
            return .failure(
                HeaderError("RIFF size \(riffSize + 8) is larger than the \(b.count) bytes received (truncated)"))
        }
        let kind = String(decoding: b[12..<16], as: UTF8.self)
        let chunkSize = le32(b, 16)
        let body = 20
        guard body + chunkSize <= riffSize + 8 else { return .failure(HeaderError("\(kind) chunk runs past the end")) }
        switch kind {
        case "VP8 ":
            guard chunkSize >= 10 else { return .failure(HeaderError("VP8 chunk too short")) }
            guard b[body] & 1 == 0 else { return .failure(HeaderError("VP8 data does not start with a key frame")) }
            guard b[body + 3] == 0x9D, b[body + 4] == 0x01, b[body + 5] == 0x2A else {
                return .failure(HeaderError("VP8 start code missing"))
            }
            return positive(le16(b, body + 6) & 0x3FFF, le16(b, body + 8) & 0x3FFF)
        case "VP8L":
            guard chunkSize >= 5 else { return .failure(HeaderError("VP8L chunk too short")) }
            guard b[body] == 0x2F else { return .failure(HeaderError("VP8L signature missing")) }
            let bits = le32(b, body + 1)
            guard bits >> 29 == 0 else { return .failure(HeaderError("unknown VP8L version")) }
            return positive((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1)
        case "VP8X":
            guard chunkSize >= 10 else { return .failure(HeaderError("VP8X chunk too short")) }
            return positive(le24(b, body + 4) + 1, le24(b, body + 7) + 1)
        default:
            return .failure(HeaderError("unknown first chunk \"\(kind)\""))
        }
    }

    /// The logical screen descriptor right after the signature.
    static func gifSize(_ b: [UInt8]) -> Result<PixelSize, HeaderError> {
        guard b.count >= 13 else { return .failure(HeaderError("file too short")) }
        return positive(le16(b, 6), le16(b, 8))
    }
}
