import Foundation
import SpawnShim

#if canImport(Glibc)
    import Glibc
#endif

/// The one way the test suite starts a process: the python fakes, runs of the built binary,
/// `script`, python's PIL, openssl, make, mount.
///
/// posix_spawn with explicit file actions and attributes, because Foundation's Process left
/// children of concurrent launches holding each other's pipe ends (a fake whose stdin never
/// reached end of file) and with SIGTERM blocked (a fake SIGTERM could not stop):
/// - the child holds descriptors 0, 1 and 2 and nothing else: every pipe is made
///   close-on-exec and dup2'd onto 0, 1 or 2 only in the child, and the child closes
///   everything from 3 up before exec (glibc has no POSIX_SPAWN_CLOEXEC_DEFAULT);
/// - it starts with an empty signal mask (unless `blockedSignals` asks otherwise) and every
///   signal at its default action;
/// - it leads its own process group, so `stop` also reaches what it started in that group;
/// - every wait has a deadline, and waits block a thread of their own, never one of Swift
///   concurrency's (two on two cores, shared by every test).
///
/// One reader at a time: `readLine` and `finish` are not called concurrently on one child.
package final class ChildProcess: @unchecked Sendable {
    /// What the child's descriptor 0, 1 or 2 is.
    package enum Stream: Sendable {
        /// /dev/null.
        case null
        /// The test process's own descriptor (a fake's traceback reaches the test log).
        case inherit
        /// A pipe to the test: stdin is written by nobody and closed by `closeStdin` or `stop`
        /// (end of file tells a fake to exit); stdout and stderr are read by `readLine` and
        /// `finish`.
        case pipe
        /// A file: read as stdin, created or truncated as stdout or stderr.
        case file(URL)
    }

    package enum Termination: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or 128 + the signal as a shell's `$?` reports it.
        package var status: Int32 {
            switch self {
            case .exited(let status): status
            case .signalled(let signal): 128 + signal
            }
        }

        /// The signal that ended the child, if one did.
        package var signal: Int32? {
            if case .signalled(let signal) = self { signal } else { nil }
        }

        package var description: String {
            switch self {
            case .exited(let status): "exit \(status)"
            case .signalled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// How a child ended and what its `.pipe` stdout and stderr carried.
    package struct Outcome: Sendable {
        package var termination: Termination
        package var stdout: Data
        package var stderr: Data
        /// From spawn to reaped, measured on the waiting thread rather than by a test scheduler
        /// that may be busy.
        package var elapsed: Duration
    }

    package let pid: Int32
    private let command: [String]
    private let started: ContinuousClock.Instant
    /// Readable once the child has ended; -1 where the kernel has no pidfd (then waits poll).
    private let pidfd: Int32
    private let lock = NSLock()
    private var stdinEnd: Int32
    private var ended: (termination: Termination, at: ContinuousClock.Instant)?
    // Touched only by the one waiting thread at a time.
    private var stdoutEnd: Int32
    private var stderrEnd: Int32
    private var stdoutData = Data()
    private var stderrData = Data()

    /// Starts `command` (the first word is looked up on our PATH unless it holds a slash) with
    /// exactly `environment`, in `cwd` (ours when nil).
    package init(
        _ command: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        cwd: URL? = nil, stdin: Stream = .null, stdout: Stream = .null, stderr: Stream = .inherit,
        blockedSignals: [Int32] = []
    ) throws {
        precondition(!command.isEmpty, "a command needs at least a program")
        self.command = command

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var ours: [Int32] = [-1, -1, -1]
        var theirs: [Int32] = []
        defer { for descriptor in theirs { close(descriptor) } }
        for (target, stream) in [stdin, stdout, stderr].enumerated() {
            let target = Int32(target)
            switch stream {
            case .inherit:
                break
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .file(let url):
                let flags = target == 0 ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC
                posix_spawn_file_actions_addopen(&actions, target, url.path, flags, 0o600)
            case .pipe:
                var ends: [Int32] = [-1, -1]
                guard ig_pipe_cloexec(&ends) == 0 else {
                    let error = errno
                    for descriptor in ours where descriptor >= 0 { close(descriptor) }
                    throw LaunchError.cannotStart(command, errno: error)
                }
                // stdin: the child reads ends[0]; stdout and stderr: it writes ends[1].
                let (child, parent) = target == 0 ? (ends[0], ends[1]) : (ends[1], ends[0])
                theirs.append(child)
                ours[Int(target)] = parent
                // dup2 clears close-on-exec on the copy only: the child keeps 0, 1 or 2.
                posix_spawn_file_actions_adddup2(&actions, child, target)
            }
        }
        ig_spawn_addclosefrom(&actions, 3)
        if let cwd { ig_spawn_addchdir(&actions, cwd.path) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in blockedSignals { sigaddset(&mask, signal) }
        posix_spawnattr_setsigmask(&attributes, &mask)
        var everySignal = sigset_t()
        sigfillset(&everySignal)
        sigdelset(&everySignal, SIGKILL)
        sigdelset(&everySignal, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &everySignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = command.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        started = ContinuousClock.now
        let status = posix_spawnp(&pid, command[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            for descriptor in ours where descriptor >= 0 { close(descriptor) }
            throw LaunchError.cannotStart(command, errno: status)
        }
        self.pid = pid
        pidfd = ig_pidfd_open(pid)
        (stdinEnd, stdoutEnd, stderrEnd) = (ours[0], ours[1], ours[2])
    }

    deinit {
        if termination == nil { stop() }
        for descriptor in [stdinEnd, stdoutEnd, stderrEnd, pidfd] where descriptor >= 0 {
            close(descriptor)
        }
    }

    /// Starts `command`, reads its `.pipe` outputs to their end and reaps it, all within
    /// `limit`; past it the child is stopped and `LaunchError.timedOut` thrown.
    package static func run(
        _ command: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        cwd: URL? = nil, stdin: Stream = .null, stdout: Stream = .pipe, stderr: Stream = .inherit,
        within limit: Duration
    ) async throws -> Outcome {
        try await ChildProcess(
            command, environment: environment, cwd: cwd, stdin: stdin, stdout: stdout, stderr: stderr
        ).finish(within: limit)
    }

    /// How the child ended, or nil while it runs (never waits).
    package var termination: Termination? { reapIfEnded()?.termination }

    /// Sends `signal` to the child alone (not its group), unless it has been reaped.
    package func signal(_ signal: Int32) {
        lock.withLock {
            if ended == nil { _ = kill(pid, signal) }
        }
    }

    /// Closes our end of a `.pipe` stdin: the child reads end of file.
    package func closeStdin() {
        lock.withLock {
            if stdinEnd >= 0 { close(stdinEnd) }
            stdinEnd = -1
        }
    }

    /// The next line of a `.pipe` stdout without its newline; nil once the output has ended.
    /// Throws `LaunchError.timedOut` after `limit`, leaving the child running.
    package func readLine(within limit: Duration) async throws -> String? {
        let deadline = ContinuousClock.now + limit
        return try await Self.onOwnThread { () -> Result<String?, LaunchError> in
            while true {
                if let newline = self.stdoutData.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = String(decoding: self.stdoutData[..<newline], as: UTF8.self)
                    self.stdoutData.removeSubrange(...newline)
                    return .success(line)
                }
                guard self.stdoutEnd >= 0 else {
                    // A last line may lack its newline.
                    defer { self.stdoutData.removeAll() }
                    return .success(self.stdoutData.isEmpty ? nil : String(decoding: self.stdoutData, as: UTF8.self))
                }
                guard self.pump(until: deadline, stdoutOnly: true) else {
                    return .failure(self.timedOut("a line on its stdout", limit))
                }
            }
        }.get()
    }

    /// Reads `.pipe` stdout and stderr to their end and reaps the child. Past `limit` the
    /// child is stopped (`stop`) and `LaunchError.timedOut` thrown.
    package func finish(within limit: Duration) async throws -> Outcome {
        let deadline = ContinuousClock.now + limit
        return try await Self.onOwnThread { () -> Result<Outcome, LaunchError> in
            while self.stdoutEnd >= 0 || self.stderrEnd >= 0 {
                guard self.pump(until: deadline, stdoutOnly: false) else {
                    self.stop()
                    return .failure(self.timedOut("its exit (stopped it)", limit))
                }
            }
            guard let ended = self.reap(until: deadline) else {
                self.stop()
                return .failure(self.timedOut("its exit (stopped it)", limit))
            }
            return .success(
                Outcome(
                    termination: ended.termination, stdout: self.stdoutData, stderr: self.stderrData,
                    elapsed: ended.at - self.started))
        }.get()
    }

    /// Closes stdin, sends SIGTERM to the child's group, waits up to `grace`, then SIGKILL
    /// and reaps. Returns within `grace` plus a few seconds whatever the child does; nil only
    /// if even SIGKILL left it unreaped then.
    @discardableResult
    package func stop(grace: Duration = .seconds(2)) -> Termination? {
        closeStdin()
        if let ended = reapIfEnded() { return ended.termination }
        signalGroup(SIGTERM)
        if let ended = reap(until: .now + grace) { return ended.termination }
        signalGroup(SIGKILL)
        return reap(until: .now + .seconds(5))?.termination
    }

    // MARK: - Waiting

    /// Signals the whole group the child leads (its own pid when that fails). Only before the
    /// child is reaped: until then its pid and group id cannot name another process.
    private func signalGroup(_ signal: Int32) {
        lock.withLock {
            guard ended == nil else { return }
            if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
        }
    }

    private func reapIfEnded() -> (termination: Termination, at: ContinuousClock.Instant)? {
        lock.withLock {
            if let ended { return ended }
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, WNOHANG) } while result == -1 && errno == EINTR
            guard result != 0 else { return nil }
            // WIFEXITED and WTERMSIG by hand: the macros are not imported. -1 (ECHILD) means
            // something else reaped the child, which nothing in the suite does.
            let signal = status & 0x7F
            let termination: Termination =
                result == -1 ? .exited(-1) : signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
            ended = (termination, .now)
            return ended
        }
    }

    private func reap(
        until deadline: ContinuousClock.Instant
    ) -> (
        termination: Termination, at: ContinuousClock.Instant
    )? {
        while true {
            if let ended = reapIfEnded() { return ended }
            let slice = Self.milliseconds(until: deadline)
            guard slice > 0 else { return nil }
            if pidfd >= 0 {
                var descriptor = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
                _ = poll(&descriptor, 1, slice)
            } else {
                usleep(useconds_t(min(slice, 5)) * 1000)
            }
        }
    }

    /// Waits (until `deadline`) for output on the open pipe ends and reads what is there,
    /// closing an end at end of file. False when the deadline passed first.
    private func pump(until deadline: ContinuousClock.Instant, stdoutOnly: Bool) -> Bool {
        var descriptors = [stdoutEnd, stdoutOnly ? -1 : stderrEnd].filter { $0 >= 0 }
            .map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        guard !descriptors.isEmpty else { return true }
        let slice = Self.milliseconds(until: deadline)
        guard slice > 0 else { return false }
        guard poll(&descriptors, nfds_t(descriptors.count), slice) > 0 else { return true }
        for descriptor in descriptors where descriptor.revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = read(descriptor.fd, &buffer, buffer.count)
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            let chunk = buffer.prefix(max(count, 0))
            if descriptor.fd == stdoutEnd {
                if count > 0 {
                    stdoutData.append(contentsOf: chunk)
                } else {
                    close(stdoutEnd)
                    stdoutEnd = -1
                }
            } else {
                if count > 0 {
                    stderrData.append(contentsOf: chunk)
                } else {
                    close(stderrEnd)
                    stderrEnd = -1
                }
            }
        }
        return true
    }

    private func timedOut(_ awaited: String, _ limit: Duration) -> LaunchError {
        .timedOut(
            command, awaited: awaited, limit: limit, stderr: String(decoding: stderrData.suffix(2000), as: UTF8.self))
    }

    /// Milliseconds left until `deadline`, rounded up, at most 100 so a missed wake-up
    /// costs little; 0 once it has passed.
    private static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let left = deadline - .now
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(min(100, seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000))
    }

    /// Runs a bounded blocking wait on a thread made for it.
    private static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await OwnThread.run(body)
    }
}

package enum LaunchError: Error, CustomStringConvertible {
    case cannotStart([String], errno: Int32)
    case timedOut([String], awaited: String, limit: Duration, stderr: String)

    package var description: String {
        switch self {
        case .cannotStart(let command, let error):
            return "cannot start \(command.joined(separator: " ")): \(String(cString: strerror(error)))"
        case .timedOut(let command, let awaited, let limit, let stderr):
            let tail = stderr.isEmpty ? "" : "; its stderr so far: \(stderr)"
            return "\(command.joined(separator: " ")): waited \(limit) for \(awaited)\(tail)"
        }
    }
}
