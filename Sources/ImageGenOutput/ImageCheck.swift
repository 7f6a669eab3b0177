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
/// other transfers go on: base64 decoding and validation (the PNG check for
/// PNGs), one pass each over the image's bytes.
package enum ImageCheck {
    /// Decodes and validates every image of an answer, numbered from
    /// `firstNumber` ("image 3"); nil for an image sent only as a URL, which
    /// must be downloaded first. A single large image is decoded into its
    /// own response buffer, which nothing else holds by now: peak memory is
    /// the body, not body + image.
    package static func check(
        _ answer: inout ProviderAnswer, body: inout [UInt8], firstNumber: Int, provider: ProviderKind
    ) -> [PreparedImage?] {
        if let lone = decodeInPlace(&answer, body: &body, provider: provider, label: "image \(firstNumber)") {
            return [lone]
        }
        return answer.images.enumerated().map { offset, image in
            check(image, label: "image \(firstNumber + offset)", provider: provider)
        }
    }

    /// Decodes and validates the image data the provider sent; nil when it
    /// sent only a URL, which must be downloaded first.
    package static func check(_ image: GeneratedImage, label: String, provider: ProviderKind) -> PreparedImage? {
        let bytes: [UInt8]
        if let decoded = image.decoded {
            bytes = decoded
        } else if let base64 = image.base64 {
            guard let decoded = Base64.decode(base64) else { return .failed(invalidBase64(label, provider)) }
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

    /// The lone large image of `answer` decoded in place and checked, or nil
    /// when the answer is not one image of 1 MiB of base64 or more. Decoding
    /// validates as it goes, so text that is not base64 is found in the same
    /// pass; the buffer then holds neither text nor image, and the image
    /// keeps no data (`--json` prints null for it).
    static func decodeInPlace(
        _ answer: inout ProviderAnswer, body: inout [UInt8], provider: ProviderKind, label: String
    ) -> PreparedImage? {
        guard answer.images.count == 1, let range = answer.images[0].base64?.indices,
            range.count >= 1 << 20
        else { return nil }
        answer.images[0].base64 = nil  // the slice would keep a second reference to `body`
        var buffer = body
        body = []
        guard Base64.decodeInPlace(&buffer, range: range) else { return .failed(invalidBase64(label, provider)) }
        answer.images[0].decoded = buffer
        return check(bytes: buffer, label: label, provider: provider)
    }

    static func invalidBase64(_ label: String, _ provider: ProviderKind) -> ImageGenError {
        .badResponse(provider: provider, message: "\(label): b64_json is not valid base64")
    }
}
