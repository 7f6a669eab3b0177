import ImageGenCore
import ImageGenImaging
import ImageGenOutput
import Synchronization

/// `--preview` with `--stream`: each partial image is drawn where the one
/// before it was, and the final image takes the place of the last partial.
/// A partial can be taken back when its height in lines is known: half
/// blocks (counted), and kitty and iTerm2 images drawn a fixed number of
/// lines tall. Neither protocol's cursor is relied on: kitty is told not to
/// move it, and around an iTerm2 image the cursor is saved and restored. A
/// kitty image is also deleted by its id, since text erased over it leaves it.
package final class LivePreview: Sendable {
    private let preview: TerminalPreview
    private let standardError: StreamWriter
    /// Lines the partial now on the screen takes, just above the cursor.
    private let partialLines = Mutex(0)

    package init(_ preview: TerminalPreview, standardError: StreamWriter) {
        self.preview = preview
        self.standardError = standardError
    }

    /// The id of the partial on a kitty screen: one partial is shown at a time.
    static let kittyPartialID = 7_340_033

    package func drawPartial(_ bytes: [UInt8], format: ImageFormat, label: String) {
        partialLines.withLock { lines in
            let taken = take(lines)
            if preview.method == .kitty && format == .png {
                let rows = Self.partialRows(preview)
                let drawing = TerminalGraphics.kitty(bytes, placement: (Self.kittyPartialID, rows))
                standardError.write(taken + drawing + String(repeating: "\n", count: rows))
                lines = rows
                return
            }
            if preview.method == .iTerm2 {
                let rows = Self.partialRows(preview)
                // Room below first (scrolling now, not while drawing), then the
                // image from a saved position, and the cursor put back below it.
                let drawing =
                    String(repeating: "\n", count: rows) + "\u{1B}[\(rows)A\u{1B}7"
                    + TerminalGraphics.iTerm2(bytes, rows: rows) + "\u{1B}8\u{1B}[\(rows)B\r"
                standardError.write(taken + drawing)
                lines = rows
                return
            }
            let drawing = preview.render(bytes, format: format, path: label)
            standardError.write(taken + drawing)
            lines = preview.method == .halfBlocks ? drawing.utf8.filter { $0 == UInt8(ascii: "\n") }.count : 0
        }
    }

    /// One line short of the screen (at most 47), so a partial never scrolls
    /// its own top out of reach.
    static func partialRows(_ preview: TerminalPreview) -> Int {
        max(1, min(preview.rows ?? 24, 48) - 1)
    }

    /// What takes the partial now shown (`lines` tall) off the screen.
    private func take(_ lines: Int) -> String {
        guard lines > 0 else { return "" }
        let image = preview.method == .kitty ? TerminalGraphics.kittyDelete(id: Self.kittyPartialID) : ""
        return image + Self.erase(lines)
    }

    /// Takes the partial off the screen, before the final image's path is
    /// printed where it was.
    package func erasePartial() {
        partialLines.withLock { lines in
            if lines > 0 { standardError.write(take(lines)) }
            lines = 0
        }
    }

    @Sendable package func drawFinal(_ saved: SavedImage) {
        partialLines.withLock { lines in
            if lines > 0 { standardError.write(take(lines)) }
            lines = 0
            preview.draw(saved)
        }
    }

    /// Up `lines` lines to their start, and everything from there down erased.
    static func erase(_ lines: Int) -> String {
        lines > 0 ? "\u{1B}[\(lines)F\u{1B}[J" : ""
    }
}
