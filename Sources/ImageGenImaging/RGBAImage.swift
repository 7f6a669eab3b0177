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
}
