#if canImport(Glibc)
    import Glibc
#endif

/// The Glibc calls the output stage needs, with errno turned into values.
/// Paths are used exactly as given, so relative ones stay relative to the
/// current directory like they would for the user's shell.
package enum FileSystem {
    package enum Kind: Equatable {
        case missing
        case directory
        case regularFile
        /// A character device or FIFO (`/dev/null`, `/dev/tty`, a named pipe):
        /// something to open and write into, never to replace.
        case stream
        /// A symlink whose target does not exist: the name is taken, but
        /// nothing can be written through it.
        case danglingLink
        /// A block device or a socket.
        case other
    }

    package struct Failure: Error, Equatable, Sendable {
        package var code: Int32
        package var message: String { FileSystem.describe(code) }

        package init(code: Int32) {
            self.code = code
        }
    }

    package static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// What is at `path`, following symlinks (a link to a directory is a
    /// directory). Trailing slashes are ignored, so "file/" is the regular
    /// file "file", not a missing path.
    package static func kind(_ path: String) -> Kind {
        let path = trimmingTrailingSlashes(path)
        var info = stat()
        if stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFDIR: return .directory
            case S_IFREG: return .regularFile
            case S_IFCHR, S_IFIFO: return .stream
            default: return .other
            }
        }
        return lstat(path, &info) == 0 ? .danglingLink : .missing
    }

    /// Whether `path` itself is a symlink (not followed).
    package static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(trimmingTrailingSlashes(path), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// The absolute path `path` names once every symlink is followed.
    package static func resolvedPath(_ path: String) throws(Failure) -> String {
        guard let resolved = realpath(path, nil) else { throw Failure(code: errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The longest file name the file system holding `existingPath` takes,
    /// in bytes (NAME_MAX, 255 on most).
    package static func maximumNameLength(at existingPath: String) -> Int {
        let limit = pathconf(existingPath, Int32(_PC_NAME_MAX))
        return limit > 0 ? limit : Int(NAME_MAX)
    }

    /// The longest path, in bytes, that system calls accept (PATH_MAX counts
    /// the terminating NUL).
    package static let maximumPathLength = Int(PATH_MAX) - 1

    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        return String(trimmed)
    }

    package static func exists(_ path: String) -> Bool { kind(path) != .missing }

    /// `mkdir -p`: mode 0777 so the umask decides, as for any new directory;
    /// 0700 for directories only their owner may enter (XDG's state directory).
    /// Directories that exist keep their mode.
    package static func makeDirectories(_ path: String, mode: UInt32 = 0o777) throws(Failure) {
        if kind(path) == .directory { return }
        var prefix = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for (index, part) in parts.enumerated() {
            prefix += index == 0 ? String(part) : "/" + part
            if part.isEmpty || part == "." || part == ".." { continue }
            if mkdir(prefix, mode_t(mode)) != 0 {
                let code = errno
                guard code == EEXIST else { throw Failure(code: code) }
                guard kind(prefix) == .directory else { throw Failure(code: ENOTDIR) }
            }
        }
    }

    /// The longest existing prefix of `path` that `makeDirectories` would start from.
    package static func nearestExistingAncestor(_ path: String) -> String {
        var current = path
        while true {
            if kind(current) != .missing { return current }
            let parent = directoryName(current)
            if parent == current { return current }
            current = parent
        }
    }

    /// Like dirname(1) but pure: "a/b" → "a", "b" → ".", "/b" → "/".
    package static func directoryName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        var parent = trimmed[..<slash]
        while parent.count > 1 && parent.hasSuffix("/") { parent.removeLast() }
        return parent.isEmpty ? "/" : String(parent)
    }

    package static func canWriteInto(existingDirectory path: String) -> Failure? {
        access(path, W_OK | X_OK) == 0 ? nil : Failure(code: errno)
    }

    package static func canWrite(existing path: String) -> Failure? {
        access(path, W_OK) == 0 ? nil : Failure(code: errno)
    }

    /// Opens an existing character device or FIFO for writing. Never
    /// creates (a device that vanished must not come back as a regular file),
    /// and fails with EEXIST if what was opened is no longer a device or FIFO.
    /// Opening a FIFO waits for its reader, as any writer's would.
    package static func openStream(_ path: String) throws(Failure) -> Int32 {
        var fd: Int32
        repeat {
            fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw Failure(code: errno) }
        var info = stat()
        let type = fstat(fd, &info) == 0 ? info.st_mode & S_IFMT : 0
        guard type == S_IFCHR || type == S_IFIFO else {
            _ = Glibc.close(fd)
            throw Failure(code: EEXIST)
        }
        return fd
    }

    /// Opens `path` for appending, creating it (0666 before the umask) if
    /// it is missing: each write lands whole at the end, as a log's lines must.
    package static func openAppending(_ path: String) throws(Failure) -> Int32 {
        while true {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0o666)
            if fd >= 0 { return fd }
            if errno != EINTR { throw Failure(code: errno) }
        }
    }

    /// Opens a private log for appending: created 0600 if missing, and only
    /// a regular file (a FIFO in its place would block every run, so it is
    /// opened without waiting and refused with EINVAL).
    package static func openPrivateLog(_ path: String) throws(Failure) -> Int32 {
        var fd: Int32
        repeat {
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0o600)
        } while fd < 0 && errno == EINTR
        // ENXIO: a FIFO nobody reads, refused rather than waited for.
        guard fd >= 0 else { throw Failure(code: errno == ENXIO ? EINVAL : errno) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            _ = Glibc.close(fd)
            throw Failure(code: EINVAL)
        }
        return fd
    }

    /// One write(2) of all of `bytes`, never split into several: with
    /// O_APPEND the record lands whole at the end of the file, between
    /// other processes' records, not through them. Returns how many bytes
    /// were written, which is short only when the disk fills up.
    package static func writeOnce(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) -> Int {
        while true {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written >= 0 { return written }
            if errno != EINTR { throw Failure(code: errno) }
        }
    }

    /// Creates `path`, failing if anything is there. `mode` is what the file
    /// gets before the umask: 0o600 for a file only its owner may read.
    package static func openExclusive(_ path: String, mode: UInt32 = 0o666) throws(Failure) -> Int32 {
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
            if fd >= 0 { return fd }
            if errno != EINTR { throw Failure(code: errno) }
        }
    }

    /// Writes every byte, resuming after short writes and signals; waits when
    /// the descriptor is non-blocking (a pipe left that way by a parent).
    package static func writeAll(_ fd: Int32, _ contents: FileContents) throws(Failure) {
        for piece in contents.pieces { try writeAll(fd, piece) }
    }

    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(Failure) {
        try writeAll(fd, bytes[...])
    }

    package static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) throws(Failure) {
        let failure: Failure? = bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                    continue
                }
                let code = written == 0 ? EIO : errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    var wait = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&wait, 1, -1)
                    continue
                }
                return Failure(code: code)
            }
            return nil
        }
        if let failure { throw failure }
    }

    package static func sync(_ fd: Int32) throws(Failure) {
        // EINVAL: the file cannot be synced (a pipe, some special files); nothing to lose.
        if fsync(fd) != 0 && errno != EINVAL { throw Failure(code: errno) }
    }

    package static func close(_ fd: Int32) throws(Failure) {
        // After close fails with EINTR the descriptor is gone on Linux; do not retry.
        if Glibc.close(fd) != 0 && errno != EINTR { throw Failure(code: errno) }
    }

    package static func link(_ existing: String, _ new: String) throws(Failure) {
        if Glibc.link(existing, new) != 0 { throw Failure(code: errno) }
    }

    package static func rename(_ old: String, _ new: String) throws(Failure) {
        if Glibc.rename(old, new) != 0 { throw Failure(code: errno) }
    }

    /// Everything readable from `fd` until end of file, or nil on a read error.
    package static func readAll(fd: Int32) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count == 0 { return bytes }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            bytes += chunk[0..<count]
        }
    }

    /// Opens a regular file for reading in pieces (`readChunk`); anything
    /// else (a FIFO would never end) is refused with EINVAL.
    package static func openRegularForReading(_ path: String) throws(Failure) -> Int32 {
        var fd: Int32
        repeat {
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw Failure(code: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            _ = Glibc.close(fd)
            throw Failure(code: EINVAL)
        }
        return fd
    }

    /// Up to `maximum` bytes from `fd`, from where it is or from `offset`;
    /// empty at end of file.
    package static func readChunk(_ fd: Int32, at offset: Int? = nil, maximum: Int) throws(Failure) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer in
                if let offset {
                    pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
                } else {
                    read(fd, buffer.baseAddress, buffer.count)
                }
            }
            if count >= 0 {
                chunk.removeSubrange(count...)
                return chunk
            }
            if errno != EINTR { throw Failure(code: errno) }
        }
    }

    /// Opens `path` to read from start to end, whatever it is: a file, or a
    /// pipe such as the shell's `<(…)`.
    package static func openForReading(_ path: String) throws(Failure) -> Int32 {
        var fd: Int32
        repeat {
            fd = open(path, O_RDONLY | O_CLOEXEC)
        } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw Failure(code: errno) }
        return fd
    }

    /// A whole file, or why it cannot be read.
    package static func readFile(_ path: String) -> Result<[UInt8], Failure> {
        let fd: Int32
        do throws(Failure) {
            fd = try openForReading(path)
        } catch {
            return .failure(error)
        }
        defer { _ = Glibc.close(fd) }
        guard let bytes = readAll(fd: fd) else { return .failure(Failure(code: errno)) }
        return .success(bytes)
    }

    /// The working directory, or nil when it cannot be named (removed, or
    /// longer than PATH_MAX).
    package static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether this process may read `path` (for settings checked before any request).
    package static func isReadable(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    /// The permission bits (`0o600`) of what `path` names, following symlinks,
    /// and whether this process's user owns it; nil when it cannot be examined.
    package static func permissions(_ path: String) -> (mode: UInt32, ownedByUs: Bool)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt32(info.st_mode) & 0o7777, info.st_uid == getuid())
    }

    package static func remove(_ path: String) {
        _ = unlink(path)
    }
}
