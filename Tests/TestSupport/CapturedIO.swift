import Glibc
import ImageGenCore
import Synchronization

/// Process I/O in memory: what a command printed on each stream, and what
/// it read. `closedStandardOutput` makes every write to standard output fail
/// as a closed pipe does.
package final class CapturedIO: Sendable {
    private let output = Captured()
    private let errors = Captured()
    package let io: ProcessIO

    package init(
        stdin: String? = nil, terminal: TerminalFacts = TerminalFacts(),
        closedStandardOutput: Bool = false
    ) {
        let output = self.output
        let errors = self.errors
        // Handed out in pieces, as a pipe would.
        let input = Mutex(stdin.map { Array($0.utf8) } ?? [])
        io = ProcessIO(
            readStandardInputPiece: { maximum throws(FileSystem.Failure) in
                input.withLock { input in
                    defer { input.removeFirst(min(maximum, input.count)) }
                    return Array(input.prefix(maximum))
                }
            },
            standardOutput: StreamWriter { bytes throws(FileSystem.Failure) in
                if closedStandardOutput { throw FileSystem.Failure(code: EPIPE) }
                output.append(bytes)
            },
            standardError: StreamWriter { bytes in errors.append(bytes) },
            terminal: terminal)
    }

    package var standardOutput: String { String(decoding: output.bytes, as: UTF8.self) }
    package var standardError: String { String(decoding: errors.bytes, as: UTF8.self) }
    package var standardOutputBytes: [UInt8] { output.bytes }
}

private final class Captured: Sendable {
    private let buffer = Mutex<[UInt8]>([])

    func append(_ bytes: ArraySlice<UInt8>) { buffer.withLock { $0 += bytes } }
    var bytes: [UInt8] { buffer.withLock { $0 } }
}
