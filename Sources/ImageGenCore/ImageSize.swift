/// A `WxH` size in pixels, as `--size` spells it. The one parser of that
/// form: option values, Bedrock bodies and prices all read sizes through it.
package struct ImageSize: Equatable, Hashable, Sendable {
    package var width: Int
    package var height: Int

    package init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// `1024x1024`: two runs of ASCII digits around one `x`, each above 0;
    /// nil for `auto` or anything else.
    package init?(_ text: String) {
        let parts = text.utf8.split(separator: UInt8(ascii: "x"), omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var sides: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let side = Int(String(decoding: part, as: UTF8.self)), side > 0
            else { return nil }
            sides.append(side)
        }
        self.init(width: sides[0], height: sides[1])
    }

    package var isSquare: Bool { width == height }

    /// Width times height, nil when it would not fit in an Int.
    package var pixelCount: Int? {
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow ? nil : product
    }

    package var text: String { "\(width)x\(height)" }
}
