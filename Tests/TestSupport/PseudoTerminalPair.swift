import Foundation
import SpawnShim

#if canImport(Glibc)
    import Glibc
#endif

/// A pseudo-terminal: the test holds the master, the child gets the slave as its streams.
package final class PseudoTerminalPair: @unchecked Sendable {
    package let master: Int32
    package let slaveName: String
    /// Held open so the terminal's settings can be read, and reads of the master do not fail before the child opens it.
    private let slave: Int32

    package init() throws {
        var name = [CChar](repeating: 0, count: 256)
        master = ig_open_pty(&name, name.count)
        guard master >= 0 else { throw POSIXError(.ENOTTY) }
        slaveName = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        slave = open(slaveName, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw POSIXError(.ENOTTY) }
    }

    package var echoIsOn: Bool {
        var settings = termios()
        tcgetattr(slave, &settings)
        return settings.c_lflag & tcflag_t(ECHO) != 0
    }

    package func type(_ text: String) {
        _ = text.withCString { write(master, $0, strlen($0)) }
    }

    /// What the terminal showed until `marker` appeared or `limit` passed.
    package func read(until marker: String, within limit: Duration) async -> String {
        let master = self.master
        return await OwnThread.run {
            let deadline = ContinuousClock.now + limit
            var seen = Data()
            while ContinuousClock.now < deadline && !String(decoding: seen, as: UTF8.self).contains(marker) {
                var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                guard poll(&descriptor, 1, 100) > 0 else { continue }
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = Glibc.read(master, &buffer, buffer.count)
                if count <= 0 { break }
                seen.append(contentsOf: buffer.prefix(count))
            }
            return String(decoding: seen, as: UTF8.self)
        }
    }

    package func close() {
        Glibc.close(slave)
        Glibc.close(master)
    }
}
