import Glibc
import Synchronization

/// Where a run reads and writes: the process's standard streams in the
/// tool, buffers in tests. Everything the library prints goes through one of
/// these, so the whole command line can run in-process.
package struct ProcessIO: Sendable {
    /// Up to the number of bytes asked for from standard input; empty at its end.
    package var readStandardInputPiece: @Sendable (_ maximum: Int) throws(FileSystem.Failure) -> [UInt8]
    package var standardOutput: StreamWriter
    package var standardError: StreamWriter
    package var terminal: TerminalFacts
    /// Shows the prompt and reads one line from the terminal without echo
    /// (`imagegen keys set`); nil when there is no terminal to read from.
    package var readSecretLine: @Sendable (_ prompt: String) -> [UInt8]?

    package init(
        readStandardInputPiece: @escaping @Sendable (_ maximum: Int) throws(FileSystem.Failure) -> [UInt8],
        standardOutput: StreamWriter,
        standardError: StreamWriter, terminal: TerminalFacts,
        readSecretLine: @escaping @Sendable (_ prompt: String) -> [UInt8]? = { _ in nil }
    ) {
        self.readStandardInputPiece = readStandardInputPiece
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.terminal = terminal
        self.readSecretLine = readSecretLine
    }

    /// All of standard input, or nil when it cannot be read.
    package func readStandardInput() -> [UInt8]? {
        var bytes: [UInt8] = []
        while true {
            guard let piece = try? readStandardInputPiece(65_536) else { return nil }
            if piece.isEmpty { return bytes }
            bytes += piece
        }
    }

    /// File descriptors 0, 1 and 2 and what the terminal says about them.
    package static func standard() -> ProcessIO {
        ProcessIO(
            readStandardInputPiece: { maximum throws(FileSystem.Failure) in
                try FileSystem.readChunk(STDIN_FILENO, maximum: maximum)
            },
            standardOutput: StreamWriter(fileDescriptor: STDOUT_FILENO),
            standardError: StreamWriter(fileDescriptor: STDERR_FILENO),
            terminal: .current())
    }
}

/// What the terminal (if any) behind the standard streams is like.
package struct TerminalFacts: Equatable, Sendable {
    package var standardInputIsTerminal: Bool
    package var standardErrorIsTerminal: Bool
    /// Columns and rows of the terminal on standard error, when it says.
    package var standardErrorSize: TerminalSize?

    package init(
        standardInputIsTerminal: Bool = false, standardErrorIsTerminal: Bool = false,
        standardErrorSize: TerminalSize? = nil
    ) {
        self.standardInputIsTerminal = standardInputIsTerminal
        self.standardErrorIsTerminal = standardErrorIsTerminal
        self.standardErrorSize = standardErrorSize
    }

    package static func current() -> TerminalFacts {
        var size = winsize()
        let known = ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
        return TerminalFacts(
            standardInputIsTerminal: isatty(STDIN_FILENO) == 1,
            standardErrorIsTerminal: isatty(STDERR_FILENO) == 1,
            standardErrorSize: known
                ? TerminalSize(columns: Int(size.ws_col), rows: size.ws_row > 0 ? Int(size.ws_row) : nil) : nil)
    }

    /// Whether standard error may be drawn on (a progress line, a preview):
    /// a terminal that can move the cursor, so not `TERM=dumb`.
    package func canDrawOnStandardError(_ environment: Environment) -> Bool {
        standardErrorIsTerminal && environment["TERM"] != "dumb"
    }
}

package struct TerminalSize: Equatable, Sendable {
    package var columns: Int
    package var rows: Int?

    package init(columns: Int, rows: Int?) {
        self.columns = columns
        self.rows = rows
    }
}

/// One output stream. Each write goes out whole before another thread's
/// starts; the first failure (a closed pipe, a full disk) is remembered so
/// the run can report it once, at the end, instead of dying of SIGPIPE.
package final class StreamWriter: Sendable {
    package typealias Sink = @Sendable (ArraySlice<UInt8>) throws(FileSystem.Failure) -> Void

    private let sink: Sink
    private let failure = Mutex<FileSystem.Failure?>(nil)

    package init(sink: @escaping Sink) {
        self.sink = sink
    }

    package convenience init(fileDescriptor fd: Int32) {
        self.init { bytes throws(FileSystem.Failure) in try FileSystem.writeAll(fd, bytes) }
    }

    /// Text for people or scripts; a failure is remembered, not thrown.
    package func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in write(bytes: Array(bytes)[...]) }
    }

    /// Bytes whose loss the caller must know about at once (`-o -`).
    package func writeOrThrow(_ contents: FileContents) throws(FileSystem.Failure) {
        let failed: FileSystem.Failure? = failure.withLock { first in
            if let first { return first }
            do throws(FileSystem.Failure) {
                for piece in contents.pieces { try sink(piece) }
                return nil
            } catch {
                first = error
                return error
            }
        }
        if let failed { throw failed }
    }

    /// The first write that failed, if any did.
    package var firstFailure: FileSystem.Failure? { failure.withLock { $0 } }

    private func write(bytes: ArraySlice<UInt8>) {
        failure.withLock { first in
            guard first == nil else { return }
            do throws(FileSystem.Failure) {
                try sink(bytes)
            } catch {
                first = error
            }
        }
    }
}
