import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How one directly spawned run of the binary ended.
package struct SpawnResult: Sendable {
    /// The exit status, nil when a signal ended the process.
    package var status: Int32?
    /// The signal that ended the process, if one did.
    package var signal: Int32?
    package var stdout: String
    package var stderr: String
    /// Wall time from spawn to reaped, measured on the thread that waits.
    package var elapsed: Duration
}

/// Runs the binary with posix_spawn and waitpid on dispatch threads, outside Swift
/// concurrency's pool: hundreds of short runs stay cheap, nothing in the pool blocks, and
/// `elapsed` is the process's own time rather than the test scheduler's. Like
/// `Imagegen.run`, the child sees only PATH, HOME and `env`.
package enum Spawn {
    package static func run(
        _ arguments: [String], env: [String: String], cwd: URL, home: URL,
        scratch: URL
    ) async -> SpawnResult {
        await runAll([arguments], env: env, cwd: cwd, home: home, scratch: scratch, width: 1)[0]
    }

    /// Runs every vector, at most `width` at once; results in input order.
    package static func runAll(
        _ vectors: [[String]], env: [String: String], cwd: URL, home: URL, scratch: URL,
        width: Int
    ) async -> [SpawnResult] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let results = Results(count: vectors.count)
                let next = Results.Counter()
                DispatchQueue.concurrentPerform(iterations: width) { _ in
                    while let index = next.take(below: vectors.count) {
                        results.set(
                            index,
                            runBlocking(
                                vectors[index], env: env, cwd: cwd, home: home,
                                scratch: scratch))
                    }
                }
                continuation.resume(returning: results.all)
            }
        }
    }

    private static func runBlocking(
        _ arguments: [String], env: [String: String], cwd: URL, home: URL,
        scratch: URL
    ) -> SpawnResult {
        let id = UUID().uuidString
        let outPath = scratch.appendingPathComponent("spawn-out-\(id)").path
        let errPath = scratch.appendingPathComponent("spawn-err-\(id)").path
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home.path]
            .merging(env) { _, given in given }
        let argv = ([Imagegen.binary.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = addChdir?(&actions, cwd.path)

        let started = ContinuousClock.now
        var pid: pid_t = 0
        guard addChdir != nil, posix_spawn(&pid, Imagegen.binary.path, &actions, nil, argv, envp) == 0 else {
            return SpawnResult(
                status: nil, signal: nil, stdout: "", stderr: "posix_spawn failed: \(errno)",
                elapsed: .zero)
        }
        var wstatus: Int32 = 0
        while waitpid(pid, &wstatus, 0) == -1 && errno == EINTR {}
        let elapsed = ContinuousClock.now - started
        // WIFEXITED / WTERMSIG by hand: the macros are not imported.
        let signal = wstatus & 0x7F
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return SpawnResult(
            status: signal == 0 ? (wstatus >> 8) & 0xFF : nil,
            signal: signal == 0 ? nil : signal,
            stdout: read(outPath), stderr: read(errPath), elapsed: elapsed)
    }

    /// glibc's posix_spawn_file_actions_addchdir_np, hidden from Swift behind _GNU_SOURCE.
    private typealias AddChdir =
        @convention(c) (
            UnsafeMutablePointer<posix_spawn_file_actions_t>?,
            UnsafePointer<CChar>?
        ) -> Int32
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [SpawnResult?]

        init(count: Int) { values = Array(repeating: nil, count: count) }

        func set(_ index: Int, _ value: SpawnResult) { lock.withLock { values[index] = value } }
        var all: [SpawnResult] { lock.withLock { values.map { $0! } } }

        final class Counter: @unchecked Sendable {
            private let lock = NSLock()
            private var value = 0

            func take(below limit: Int) -> Int? {
                lock.withLock {
                    guard value < limit else { return nil }
                    defer { value += 1 }
                    return value
                }
            }
        }
    }
}
