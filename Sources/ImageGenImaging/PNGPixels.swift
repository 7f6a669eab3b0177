import ImageGenCore
import PNGShim

/// Decoded pixels, 8 bits per channel, RGBA, row after row, top row first.
package struct RGBAImage: Equatable, Sendable {
    package var width: Int
    package var height: Int
    /// `width * height * 4` bytes.
    package var pixels: [UInt8]

    package init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * 4, "RGBA buffer does not match its size")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// The pixel at column `x`, row `y` as (r, g, b, a).
    package func pixel(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8, UInt8) {
        let i = (y * width + x) * 4
        return (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3])
    }
}

/// libpng's full decode (any colour type, bit depth, palette, tRNS, Adam7)
/// to `RGBAImage`, through `ig_png_decode_rgba` so libpng's longjmp stays in C.
package enum PNGPixels {
    /// Larger images are refused rather than allocating gigabytes for a
    /// preview: 64 Mpixels is 256 MiB of RGBA, far above generated sizes.
    static let maxPixels = 1 << 26

    static func decode(_ png: [UInt8]) -> Result<RGBAImage, PNGValidationError> {
        var width: UInt32 = 0
        var height: UInt32 = 0
        var pixels: UnsafeMutablePointer<UInt8>?
        var message = [CChar](repeating: 0, count: 256)
        let status = png.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                ig_png_decode_rgba(data.baseAddress, data.count, UInt64(maxPixels), &width, &height, &pixels,
                                   text.baseAddress, text.count)
            }
        }
        guard status == 0, let pixels else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return .failure(PNGValidationError(message: text.isEmpty ? "libpng refused it" : text))
        }
        defer { ig_png_pixels_free(pixels) }
        let count = Int(width) * Int(height) * 4
        return .success(RGBAImage(width: Int(width), height: Int(height),
                                  pixels: Array(UnsafeBufferPointer(start: pixels, count: count))))
    }
}
