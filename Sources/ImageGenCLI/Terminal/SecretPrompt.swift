import Glibc
import ImageGenCore
import SignalShim

/// A line typed at the terminal on standard input with echo off, as ssh
/// and gh read a secret: the prompt on standard error, the echo restored
/// afterwards (or by the termination handler if the user presses Ctrl-C).
enum SecretPrompt {
    /// Nil when standard input is not a terminal whose echo can be turned
    /// off, or when it ends before a line does (Ctrl-D).
    static func readLine(prompt: String, standardError: StreamWriter) -> [UInt8]? {
        guard ig_terminal_echo_off(STDIN_FILENO) == 0 else { return nil }
        standardError.write(prompt)
        defer {
            ig_terminal_restore()
            // The Enter the user pressed was not echoed either.
            standardError.write("\n")
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < APIKeyLimit.bytes {
            let count = read(STDIN_FILENO, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return line.isEmpty ? nil : line }
            if byte == UInt8(ascii: "\n") { return line }
            line.append(byte)
        }
        return line
    }
}

/// A key is a few hundred bytes; more is not one.
enum APIKeyLimit {
    static let bytes = 64 << 10
}
