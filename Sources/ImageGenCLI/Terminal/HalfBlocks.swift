import ImageGenImaging

/// Draws an image with Unicode upper-half blocks in 24-bit colour: each
/// character cell shows two pixels, the top one as the foreground colour of
/// `▀`, the bottom one as the background. Works in any terminal with true
/// colour, tmux included, which passes neither kitty's nor iTerm2's images.
///
/// The exact bytes (a golden test compares them with an independent Python
/// rendering, Tests/Fixtures/preview/make_golden.py):
/// every cell is `ESC[38;2;R;G;B;48;2;R;G;Bm▀`, the colour sequence left out
/// when it equals the previous cell's in the same line; a last line with no
/// bottom pixel uses `;49` (default background) instead of `;48;2;…`; every
/// line ends with `ESC[0m` and a newline.
package enum HalfBlocks {
    /// The pixel size to draw `width`×`height` at: never enlarged, at most
    /// `columns` wide and, when `rows` is known, at most `2 * rows` pixels
    /// (`rows` lines) tall, keeping the aspect ratio (a cell is about twice as
    /// tall as wide, so a half-block pixel is about square).
    package static func targetSize(width: Int, height: Int, columns: Int, rows: Int? = nil) -> (width: Int, height: Int)
    {
        guard width > 0, height > 0 else { return (0, 0) }
        var w = min(width, max(columns, 1))
        var h = max(1, (height * w + width / 2) / width)
        if let rows, h > 2 * max(rows, 1) {
            h = 2 * max(rows, 1)
            w = max(1, min(width, (width * h + height / 2) / height))
        }
        return (w, h)
    }

    /// Averages every source pixel that falls in each target pixel (a box
    /// filter: target column `tx` covers source columns `tx*W/w ..< (tx+1)*W/w`,
    /// rows likewise), each composited on black first (colour × alpha / 255),
    /// rounded half up. Only downscales: `width ≤ image.width`, `height ≤ image.height`.
    package static func downscale(_ image: RGBAImage, width: Int, height: Int) -> [(UInt8, UInt8, UInt8)] {
        precondition(width <= image.width && height <= image.height && width > 0 && height > 0)
        var out: [(UInt8, UInt8, UInt8)] = []
        out.reserveCapacity(width * height)
        image.pixels.withUnsafeBufferPointer { pixels in
            for ty in 0..<height {
                let y0 = ty * image.height / height
                let y1 = (ty + 1) * image.height / height
                for tx in 0..<width {
                    let x0 = tx * image.width / width
                    let x1 = (tx + 1) * image.width / width
                    var r = 0
                    var g = 0
                    var b = 0
                    for y in y0..<y1 {
                        var i = (y * image.width + x0) * 4
                        for _ in x0..<x1 {
                            let a = Int(pixels[i + 3])
                            r += Int(pixels[i]) * a
                            g += Int(pixels[i + 1]) * a
                            b += Int(pixels[i + 2]) * a
                            i += 4
                        }
                    }
                    let denominator = 255 * (x1 - x0) * (y1 - y0)
                    func mean(_ sum: Int) -> UInt8 { UInt8((2 * sum + denominator) / (2 * denominator)) }
                    out.append((mean(r), mean(g), mean(b)))
                }
            }
        }
        return out
    }

    /// The escape sequences for `image` scaled to fit `columns` (and `rows` lines).
    package static func render(_ image: RGBAImage, columns: Int, rows: Int? = nil) -> String {
        let (w, h) = targetSize(width: image.width, height: image.height, columns: columns, rows: rows)
        guard w > 0 else { return "" }
        let colours = downscale(image, width: w, height: h)
        func rgb(_ c: (UInt8, UInt8, UInt8)) -> String { "\(c.0);\(c.1);\(c.2)" }
        var text = ""
        for top in stride(from: 0, to: h, by: 2) {
            var previous = ""
            for x in 0..<w {
                let upper = colours[top * w + x]
                let lower = top + 1 < h ? "48;2;" + rgb(colours[(top + 1) * w + x]) : "49"
                let sequence = "\u{1B}[38;2;\(rgb(upper));\(lower)m"
                if sequence != previous { text += sequence }
                previous = sequence
                text += "▀"
            }
            text += "\u{1B}[0m\n"
        }
        return text
    }
}
