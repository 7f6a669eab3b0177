import ImageGenCore
import ImageGenImaging
import ImageGenProviders

/// An image decoded and validated, ready to be written.
package struct CheckedImage: Sendable {
    package var bytes: [UInt8]
    package var info: ImageInfo

    package init(bytes: [UInt8], info: ImageInfo) {
        self.bytes = bytes
        self.info = info
    }
}

/// What the output stage receives for one image of a result.
package enum PreparedImage: Sendable {
    case checked(CheckedImage)
    case failed(ImageGenError)
    /// `--no-download`: a URL answer, printed instead of fetched.
    case notDownloaded(url: String)
}

/// The costly part of output, done once per image on a worker thread while
/// other transfers go on: base64 decoding and validation (the PNG check for PNGs).
package enum ImageCheck {
    /// Decodes and validates the image data the provider sent; nil when it
    /// sent only a URL, which must be downloaded first.
    package static func check(_ image: GeneratedImage, label: String, provider: ProviderKind) -> PreparedImage? {
        let bytes: [UInt8]
        if let decoded = image.decoded {
            bytes = decoded
        } else if let base64 = image.base64 {
            guard let decoded = Base64.decode(base64) else {
                return .failed(.badResponse(provider: provider, message: "\(label): b64_json is not valid base64"))
            }
            bytes = decoded
        } else {
            return nil
        }
        return check(bytes: bytes, label: label, provider: provider)
    }

    /// Validates bytes that came from the provider (decoded or downloaded).
    package static func check(bytes: [UInt8], label: String, provider: ProviderKind) -> PreparedImage {
        do {
            return .checked(CheckedImage(bytes: bytes, info: try ImageInspector.inspect(bytes)))
        } catch {
            return .failed(.badResponse(provider: provider, message: error.message(about: label)))
        }
    }

    /// A single large image is decoded into its own response buffer, which
    /// nothing else holds by now: peak memory is the body, not body + image.
    package static func decodeInPlace(_ answer: inout ProviderAnswer, body: inout [UInt8]) {
        guard answer.images.count == 1, let range = answer.images[0].base64?.indices,
            range.count >= 1 << 20
        else { return }
        answer.images[0].base64 = nil  // the slice would keep a second reference to `body`
        var buffer = body
        body = []
        if Base64.decodeInPlace(&buffer, range: range) {
            answer.images[0].decoded = buffer
        } else {
            answer.images[0].base64 = buffer[range]  // left as it was: the check reports it
        }
    }
}
