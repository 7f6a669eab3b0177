import ImageGenCore
import PNGShim

/// IHDR facts of a PNG that libpng decoded completely.
package struct PNGDetails: Equatable, Sendable {
    package var bitDepth: Int
    /// PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
    package var colorType: Int
    package var interlaced: Bool

    package init(bitDepth: Int, colorType: Int, interlaced: Bool) {
        self.bitDepth = bitDepth
        self.colorType = colorType
        self.interlaced = interlaced
    }

    package var colorTypeName: String {
        switch colorType {
        case 0: return "grayscale"
        case 2: return "rgb"
        case 3: return "palette"
        case 4: return "grayscale+alpha"
        case 6: return "rgba"
        default: return "type \(colorType)"
        }
    }
}

/// The only Swift code that touches libpng (through `ig_png_validate`, which
/// keeps libpng's longjmp on the C side).
package enum PNGValidator {
    struct Decoded: Equatable {
        var width: Int
        var height: Int
        var details: PNGDetails
    }

    /// Decodes every row and checks every CRC; the error is libpng's own message.
    static func validate(_ bytes: [UInt8]) -> Result<Decoded, PNGValidationError> {
        var info = ig_png_info()
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                ig_png_validate(data.baseAddress, data.count, &info, text.baseAddress, text.count)
            }
        }
        guard status == 0 else {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            return .failure(PNGValidationError(message: text.isEmpty ? "libpng refused it" : text))
        }
        return .success(Decoded(width: Int(info.width), height: Int(info.height),
                                details: PNGDetails(bitDepth: Int(info.bit_depth), colorType: Int(info.color_type),
                                                    interlaced: info.interlaced != 0)))
    }
}

package struct PNGValidationError: Error, Equatable {
    var message: String
}
