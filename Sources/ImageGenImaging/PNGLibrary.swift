import Glibc
import PNGShim

/// Every call into libpng and the PNG check, through PNGShim (which keeps libpng's longjmp on
/// the C side). The rest of the code sees Swift values and `PNGError`s.
package enum PNGLibrary {
    /// IHDR facts of a PNG that passed the check.
    package struct Header: Equatable, Sendable {
        package var width: Int
        package var height: Int
        package var details: PNGDetails
    }

    /// The most pixels a PNG may declare for `validate` and `readText`, which
    /// refuse a larger one from its header, before inflating a row: 2.6 MB of
    /// zlib can declare 30000x30000 of zeros, 11 seconds of CPU to inspect.
    /// Providers make a few megapixels (gpt-image-1 1536x1024, dall-e-3
    /// 1792x1024, Bedrock's models 1 to 4 Mpx); 8192x8192 leaves an order of
    /// magnitude of room, and validating that much inflates at most 512 MiB
    /// (16-bit RGBA), about a second.
    package static let pixelBudget = 1 << 26

    /// The check before an image is written, in one pass and without libpng
    /// (PNGShim's `ig_png_check`): every chunk and CRC, the header, and the
    /// image data inflated to exactly the image's rows, keeping nothing.
    package static func validate(_ png: [UInt8]) -> Result<Header, PNGError> {
        header { info, message in
            png.withUnsafeBufferPointer {
                ig_png_check($0.baseAddress, $0.count, UInt64(pixelBudget), &info, message.baseAddress, message.count)
            }
        }
    }

    /// libpng's full decode of every row, without keeping the pixels: the
    /// reference `validate` is tested against.
    package static func decodeAllRows(_ png: [UInt8]) -> Result<Header, PNGError> {
        header { info, message in
            png.withUnsafeBufferPointer {
                ig_png_validate(
                    $0.baseAddress, $0.count, UInt64(pixelBudget), &info, message.baseAddress, message.count)
            }
        }
    }

    private static func header(
        _ body: (inout ig_png_info, UnsafeMutableBufferPointer<CChar>) -> Int32
    ) -> Result<Header, PNGError> {
        var info = ig_png_info()
        return call { body(&info, $0) }.map {
            Header(
                width: Int(info.width), height: Int(info.height),
                details: PNGDetails(
                    bitDepth: Int(info.bit_depth), colorType: Int(info.color_type),
                    interlaced: info.interlaced != 0))
        }
    }

    /// `entries` as PNG text chunks (tEXt for ASCII, else iTXt), as libpng writes them.
    package static func textChunks(_ entries: [(key: String, value: String)]) -> Result<[UInt8], PNGError> {
        let keys = entries.map { strdup($0.key) }
        // NUL cannot be stored in a text chunk.
        let values = entries.map { strdup(String($0.value.unicodeScalars.filter { $0 != "\0" }.map(Character.init))) }
        defer {
            for pointer in keys + values { free(pointer) }
        }
        let table = zip(keys, values).map { ig_png_text_entry(key: $0, text: $1) }
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = call { message in
            table.withUnsafeBufferPointer {
                ig_png_text_chunks($0.baseAddress, $0.count, &output, &length, message.baseAddress, message.count)
            }
        }
        defer { ig_png_free(output) }
        return status.map { output.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? [] }
    }

    /// Every tEXt, zTXt and iTXt chunk of `png` that libpng keeps, in file
    /// order (the shim's limits drop text beyond a count and a memory
    /// ceiling). Fails when libpng does not accept the whole file.
    package static func readText(_ png: [UInt8]) -> Result<[(key: String, value: String)], PNGError> {
        var pairs: UnsafeMutablePointer<ig_png_text_pair>?
        var count = 0
        let status = call { message in
            png.withUnsafeBufferPointer {
                ig_png_read_text(
                    $0.baseAddress, $0.count, UInt64(pixelBudget), &pairs, &count, message.baseAddress,
                    message.count)
            }
        }
        defer { ig_png_free_text(pairs, count) }
        return status.map {
            UnsafeBufferPointer(start: pairs, count: count).map { (String(cString: $0.key), String(cString: $0.text)) }
        }
    }

    /// Any PNG (every colour type and bit depth, palette, tRNS, Adam7) as
    /// 8-bit RGBA; images above `maxPixels` are refused before anything is allocated.
    package static func decodeRGBA(_ png: [UInt8], maxPixels: Int) -> Result<RGBAImage, PNGError> {
        var width: UInt32 = 0
        var height: UInt32 = 0
        var pixels: UnsafeMutablePointer<UInt8>?
        let status = call { message in
            png.withUnsafeBufferPointer {
                ig_png_decode_rgba(
                    $0.baseAddress, $0.count, UInt64(maxPixels), &width, &height, &pixels,
                    message.baseAddress, message.count)
            }
        }
        defer { ig_png_pixels_free(pixels) }
        return status.flatMap {
            guard let pixels else { return .failure(PNGError(message: "libpng returned no pixels")) }
            let count = Int(width) * Int(height) * 4
            return .success(
                RGBAImage(
                    width: Int(width), height: Int(height),
                    pixels: Array(UnsafeBufferPointer(start: pixels, count: count))))
        }
    }

    /// Runs a shim call with a buffer for libpng's message; status 0 is success.
    private static func call(_ body: (UnsafeMutableBufferPointer<CChar>) -> Int32) -> Result<Void, PNGError> {
        var message = [CChar](repeating: 0, count: 256)
        let status = message.withUnsafeMutableBufferPointer { body($0) }
        guard status != 0 else { return .success(()) }
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return .failure(PNGError(message: text.isEmpty ? "libpng refused it" : text))
    }
}

/// Why libpng refused a PNG, in libpng's words.
package struct PNGError: Error, Equatable, Sendable {
    package var message: String

    package init(message: String) {
        self.message = message
    }
}

/// IHDR facts of a PNG that passed the check.
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
