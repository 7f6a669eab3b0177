import Foundation
import Synchronization

/// The reading end of a named pipe, opened without waiting for a writer, so
/// that a writer started afterwards finds its reader and does not block.
package final class FIFOReader: Sendable {
    private let fd: Int32

    /// Makes the FIFO at `path` and opens it for reading.
    package init(creating path: String) throws {
        guard mkfifo(path, 0o600) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close(fd) }

    /// Everything a writer put in, once it has closed its end; what came so
    /// far when `writerDone` says no writer is coming or `timeout` passes.
    package func readAll(timeout: Duration, writerDone: @Sendable () -> Bool) async -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + timeout
        // Read before looking at the clock: a wait that overslept (every
        // thread of the pool busy) still collects what the writer left.
        while true {
            // Asked before reading: bytes written before the writer finished are read first.
            let done = writerDone()
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += chunk[0..<count]
                continue
            }
            // 0 is "no writer now": before the first writer came, or after the last left.
            if count == 0 && (!bytes.isEmpty || done) { return bytes }
            if ContinuousClock.now >= deadline { return bytes }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// Set once, read from anywhere: "the writer has finished".
package final class DoneFlag: Sendable {
    private let value = Mutex(false)
    package init() {}
    package func set() { value.withLock { $0 = true } }
    package func isSet() -> Bool { value.withLock { $0 } }
}
