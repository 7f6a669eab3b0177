/// A `WxH` size in pixels, as `--size` spells it. The one parser of that
/// form: option values, Bedrock bodies and prices all read sizes through it.
package struct ImageSize: Equatable, Hashable, Sendable {
    /// No hosted model makes a larger side; past it a size is a typo, and
    /// bounding the sides keeps every area computed from them in an Int.
    package static let maximumSide = 65_535

    package var width: Int
    package var height: Int

    package init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `1024x1024`: two runs of ASCII digits around one `x`, each from 1 to
    /// `maximumSide`; nil for `auto` or anything else.
    package init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: "x"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var sides: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                part.count <= 5, let side = Int(String(decoding: part, as: UTF8.self)),
                (1...Self.maximumSide).contains(side)
            else { return nil }
            sides.append(side)
        }
        self.init(width: sides[0], height: sides[1])
    }

    package var isSquare: Bool { width == height }

    /// Width times height; the bounded sides keep it in an Int.
    package var pixelCount: Int { width * height }

    package var text: String { "\(width)x\(height)" }
}
