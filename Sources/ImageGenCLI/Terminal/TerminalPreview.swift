import ImageGenCore
import ImageGenImaging
import ImageGenOutput

/// `--preview`: draws each written image on standard error, only when that
/// is a terminal, so `--json` and paths on standard output stay clean and a
/// pipe or log file never receives escape sequences.
package struct TerminalPreview: Sendable {
    /// How the terminal is asked to show the image.
    package enum Method: Equatable, Sendable {
        /// `▀` cells in 24-bit colour (PNG only: we decode it ourselves).
        case halfBlocks
        /// kitty's graphics protocol: the PNG itself, base64 (PNG only).
        case kitty
        /// iTerm2's inline images: the file itself, whatever format.
        case iTerm2
    }

    package var method: Method
    package var columns: Int
    /// Lines available, when the terminal says; the half-block drawing stays within them.
    package var rows: Int?
    /// Whether to say why an image is not drawn (not under `--quiet`).
    package var notes: Bool

    /// Where drawings go; nil only for rendering without drawing.
    private let standardError: StreamWriter?

    package init(
        method: Method, columns: Int, rows: Int? = nil, notes: Bool = true,
        standardError: StreamWriter? = nil
    ) {
        self.method = method
        self.columns = columns
        self.rows = rows
        self.notes = notes
        self.standardError = standardError
    }

    /// Larger images are refused rather than allocating gigabytes for a
    /// preview: 64 Mpixels is 256 MiB of RGBA, far above generated sizes.
    static let maxPixels = 1 << 26

    /// The preview for standard error; the caller checked that it is a
    /// terminal that can be drawn on. `--quiet` silences the notes but not
    /// the drawing, which the user asked for by name.
    package static func forStandardError(
        quiet: Bool, environment: Environment, terminal: TerminalFacts,
        standardError: StreamWriter
    ) -> TerminalPreview {
        let columns = terminal.standardErrorSize?.columns ?? positive(environment["COLUMNS"]) ?? 80
        let rows = terminal.standardErrorSize?.rows ?? positive(environment["LINES"])
        return TerminalPreview(
            method: method(environment), columns: columns, rows: rows.map { max(1, $0 - 1) },
            notes: !quiet, standardError: standardError)
    }

    /// kitty and iTerm2 announce themselves in the environment. Inside tmux or
    /// screen their image protocols do not reach the outer terminal (and
    /// KITTY_WINDOW_ID leaks into tmux started from kitty), so half blocks.
    package static func method(_ environment: Environment) -> Method {
        let term = environment["TERM"] ?? ""
        if !(environment["TMUX"] ?? "").isEmpty || term.hasPrefix("screen") || term.hasPrefix("tmux") {
            return .halfBlocks
        }
        if term == "xterm-kitty" || !(environment["KITTY_WINDOW_ID"] ?? "").isEmpty { return .kitty }
        if environment["TERM_PROGRAM"] == "iTerm.app" { return .iTerm2 }
        return .halfBlocks
    }

    /// What to write on standard error for the image `bytes` saved at `path`:
    /// the drawing, or a one-line note when this method cannot show the format.
    package func render(_ bytes: [UInt8], format: ImageFormat, path: String) -> String {
        switch (method, format) {
        case (.iTerm2, _):
            return TerminalGraphics.iTerm2(bytes)
        case (.kitty, .png):
            return TerminalGraphics.kitty(bytes)
        case (.halfBlocks, .png):
            switch PNGLibrary.decodeRGBA(bytes, maxPixels: Self.maxPixels) {
            case .success(let image): return HalfBlocks.render(image, columns: columns, rows: rows)
            case .failure(let error): return note("\(path): no preview: \(error.message)")
            }
        case (_, let other):
            return note(
                "\(path): not previewed: this terminal preview draws PNG only, "
                    + "and this is a \(other.displayName) image")
        }
    }

    /// Reads the written file back and draws it (`-o -` leaves no file: nothing is drawn).
    @Sendable func draw(_ saved: SavedImage) {
        guard let standardError, let path = saved.file, let format = saved.info?.format,
            case .success(let bytes) = FileSystem.readFile(path)
        else { return }
        standardError.write(render(bytes, format: format, path: path))
    }

    private func note(_ text: String) -> String { notes ? "imagegen: \(text)\n" : "" }

    private static func positive(_ text: String?) -> Int? {
        guard let text, let value = Int(text), value > 0 else { return nil }
        return value
    }
}

/// The two terminal image protocols; both carry the file's own bytes in base64.
package enum TerminalGraphics {
    /// kitty: `ESC _G f=100 (PNG), a=T (transmit and show)`, the base64 split
    /// into 4096-byte chunks, `m=1` on every chunk but the last. `placement`
    /// draws a replaceable image: with an id (answers to it suppressed by
    /// `q=2`, or they would reach the shell as typed input), `rows` lines tall
    /// (kitty keeps the aspect ratio) and the cursor left where it was (`C=1`),
    /// followed by nothing: the caller moves below it.
    static func kitty(_ png: [UInt8], placement: (id: Int, rows: Int)? = nil) -> String {
        let encoded = Array(Base64.encode(png).utf8)
        let chunkSize = 4096
        var text = ""
        var start = 0
        repeat {
            let end = min(start + chunkSize, encoded.count)
            let more = end < encoded.count ? 1 : 0
            let placed = placement.map { ",i=\($0.id),r=\($0.rows),C=1,q=2" } ?? ""
            let keys = start == 0 ? "f=100,a=T\(placed),m=\(more)" : "m=\(more)"
            text += "\u{1B}_G\(keys);" + String(decoding: encoded[start..<end], as: UTF8.self) + "\u{1B}\\"
            start = end
        } while start < encoded.count
        return placement == nil ? text + "\n" : text
    }

    /// kitty: the image with this id taken off the screen and its data freed
    /// (`d=I`); drawing text over its cells would leave it in place.
    static func kittyDelete(id: Int) -> String {
        "\u{1B}_Ga=d,d=I,i=\(id),q=2\u{1B}\\"
    }

    /// iTerm2: `OSC 1337 ; File=inline=1;size=N : base64 BEL`. `rows` draws
    /// it that many lines tall (a plain number is cells; the aspect ratio is
    /// kept), followed by nothing: the caller puts the cursor below it.
    static func iTerm2(_ bytes: [UInt8], rows: Int? = nil) -> String {
        let height = rows.map { ";height=\($0);preserveAspectRatio=1" } ?? ""
        return "\u{1B}]1337;File=inline=1;size=\(bytes.count)\(height):" + Base64.encode(bytes) + "\u{07}"
            + (rows == nil ? "\n" : "")
    }
}
