import ImageGenCore
import ImageGenImaging
import ImageGenOutput
import Synchronization

/// `--preview` with `--stream`: each partial image is drawn where the one
/// before it was, and the final image takes the place of the last partial.
/// Only half blocks can be taken back (their height in lines is known);
/// kitty and iTerm2 images are drawn one below the other.
package final class LivePreview: Sendable {
    private let preview: TerminalPreview
    private let standardError: StreamWriter
    /// Lines the partial now on the screen takes, just above the cursor.
    private let partialLines = Mutex(0)

    package init(_ preview: TerminalPreview, standardError: StreamWriter) {
        self.preview = preview
        self.standardError = standardError
    }

    package func drawPartial(_ bytes: [UInt8], format: ImageFormat, label: String) {
        let drawing = preview.render(bytes, format: format, path: label)
        partialLines.withLock { lines in
            standardError.write(Self.erase(lines) + drawing)
            lines = preview.method == .halfBlocks ? drawing.utf8.filter { $0 == UInt8(ascii: "\n") }.count : 0
        }
    }

    /// Takes the partial off the screen, before the final image's path is
    /// printed where it was.
    package func erasePartial() {
        partialLines.withLock { lines in
            if lines > 0 { standardError.write(Self.erase(lines)) }
            lines = 0
        }
    }

    @Sendable package func drawFinal(_ saved: SavedImage) {
        partialLines.withLock { lines in
            if lines > 0 { standardError.write(Self.erase(lines)) }
            lines = 0
            preview.draw(saved)
        }
    }

    /// Up `lines` lines to their start, and everything from there down erased.
    static func erase(_ lines: Int) -> String {
        lines > 0 ? "\u{1B}[\(lines)F\u{1B}[J" : ""
    }
}
