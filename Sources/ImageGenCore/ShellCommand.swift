import Glibc

/// A command line run by `/bin/sh -c`, as the AWS CLI runs a profile's
/// `credential_process`: its standard output captured (up to `limit` bytes),
/// its standard error passed through to ours, where the user sees it.
package enum ShellCommand {
    package struct Outcome: Equatable, Sendable {
        package var output: [UInt8]
        /// The exit status, or 128 + the signal that ended it.
        package var status: Int32
        /// Whether the output went over the limit (the rest was read and dropped).
        package var truncated: Bool
    }

    /// `quietly`: the command's standard error goes to /dev/null instead
    /// (a key command's error output may quote the key).
    package static func run(
        _ command: String, limit: Int = 1 << 20, quietly: Bool = false
    ) -> Result<Outcome, FileSystem.Failure> {
        let command = quietly ? "exec 2>/dev/null\n" + command : command
        // "e": the pipe is close-on-exec, so no other child inherits it.
        guard let pipe = popen(command, "re") else { return .failure(FileSystem.Failure(code: errno)) }
        var output: [UInt8] = []
        var truncated = false
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, pipe) }
            if count == 0 { break }
            if output.count + count > limit {
                truncated = true
            } else {
                output += buffer[0..<count]
            }
        }
        let raw = pclose(pipe)
        guard raw != -1 else { return .failure(FileSystem.Failure(code: errno)) }
        let signal = raw & 0x7f
        let status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return .success(Outcome(output: output, status: status, truncated: truncated))
    }
}
