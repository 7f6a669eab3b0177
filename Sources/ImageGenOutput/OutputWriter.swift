import ImageGenCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Puts image bytes on disk so that a file either appears whole under its
/// final name or not at all: the bytes go to a temporary file in the target
/// directory, are synced, and only then get their name. A character device
/// or FIFO is the exception: it is written into as it is, like curl does.
package enum OutputWriter {
    package enum Placement: Equatable, Sendable {
        case written
        /// Only without `replacing`: the name was taken, nothing was changed.
        case nameTaken
    }

    /// Writes `bytes` to `path`, creating missing directories (mode 0777 minus
    /// the umask; the file gets 0666 minus the umask).
    ///
    /// Without `replacing`, the name is claimed with link(2), which fails
    /// instead of replacing, so several imagegen processes in one directory can
    /// never overwrite each other's files. With `replacing`, rename(2) swaps
    /// the new file in atomically; a symlink keeps pointing where it did and
    /// the file it points at is the one replaced.
    ///
    /// A character device or FIFO at `path` (or behind it) is written into
    /// directly: nothing is replaced, so it needs no `replacing`.
    package static func write(
        _ bytes: FileContents, to path: String, replacing: Bool
    ) throws(ImageGenError) -> Placement {
        if FileSystem.kind(path) == .stream {
            try writeIntoStream(bytes, path: path)
            return .written
        }
        var destination = path
        if replacing && FileSystem.isSymbolicLink(path) {
            do {
                destination = try FileSystem.resolvedPath(path)
            } catch {
                throw .write("cannot write \(path): cannot follow the symbolic link: \(error.message)")
            }
        }
        return try withTemporary(bytes, directory: FileSystem.directoryName(destination), namedFor: path) {
            temporary throws(ImageGenError) in
            do throws(FileSystem.Failure) {
                if replacing {
                    try FileSystem.rename(temporary, destination)
                } else {
                    try claim(destination, with: temporary)
                }
                return .written
            } catch  where error.code == EEXIST && !replacing {
                return .nameTaken
            } catch {
                throw .write("cannot write \(path): \(error.message)")
            }
        }
    }

    /// Held while writing into a device or FIFO, so that two images going to
    /// one pipe (`--batch` with `-o FIFO`) follow each other instead of interleaving.
    private static let streamWriter = Mutex(())

    /// Opens the character device or FIFO at `path` and writes `bytes` into it.
    /// No temporary file (there is no directory entry to rename over) and no
    /// fsync (most devices cannot sync, and a pipe has nothing to keep).
    package static func writeIntoStream(_ bytes: FileContents, path: String) throws(ImageGenError) {
        let failure: FileSystem.Failure? = streamWriter.withLock { _ in
            do throws(FileSystem.Failure) {
                let fd = try FileSystem.openStream(path)
                do throws(FileSystem.Failure) {
                    try FileSystem.writeAll(fd, bytes)
                } catch {
                    try? FileSystem.close(fd)
                    throw error
                }
                try FileSystem.close(fd)
                return nil
            } catch {
                return error
            }
        }
        guard let failure else { return }
        if failure.code == EEXIST {
            throw .write("cannot write \(path): it is no longer a character device or FIFO")
        }
        throw .write("cannot write \(path): \(failure.message)")
    }

    /// Writes `bytes` once and links them under the first name of `candidates`
    /// (all in `directory`) that nobody holds, never replacing anything.
    /// Returns the index of the name used, or nil when all were taken.
    package static func writeUnderFirstFreeName(
        _ bytes: FileContents, directory: String,
        candidates: some Sequence<String>
    ) throws(ImageGenError) -> Int? {
        guard let first = candidates.first(where: { _ in true }) else { return nil }
        return try withTemporary(bytes, directory: directory, namedFor: first) { temporary throws(ImageGenError) in
            for (index, path) in candidates.enumerated() {
                // The check only skips names visibly taken; link(2) is what guarantees it.
                if FileSystem.exists(path) { continue }
                do throws(FileSystem.Failure) {
                    try claim(path, with: temporary)
                    return index
                } catch  where error.code == EEXIST {
                    continue  // another writer got there first
                } catch {
                    throw .write("cannot write \(path): \(error.message)")
                }
            }
            return nil
        }
    }

    /// Creates `directory` if needed, writes and syncs a temporary file in it,
    /// hands its path to `place`, and removes whatever is left of it afterwards
    /// (nothing after a rename; the second name after a link; all of it after a failure).
    static func withTemporary<T>(
        _ bytes: FileContents, directory: String, namedFor path: String,
        place: (String) throws(ImageGenError) -> T
    ) throws(ImageGenError) -> T {
        do {
            try FileSystem.makeDirectories(directory)
        } catch {
            throw .write("cannot create directory \(directory) for \(path): \(error.message)")
        }
        let temporary: TemporaryFile
        do {
            temporary = try writeTemporary(bytes, in: directory)
        } catch {
            throw .write("cannot write \(path): \(error.message)")
        }
        defer { temporary.discard() }
        return try place(temporary.path)
    }

    /// `-o -`: the raw bytes on standard output.
    package static func writeToStandardOutput(_ bytes: FileContents, _ output: StreamWriter) throws(ImageGenError) {
        do {
            try output.writeOrThrow(bytes)
        } catch {
            throw .write("cannot write the image to standard output: \(error.message)")
        }
    }

    static func temporaryName(random: String) -> String {
        ".imagegen-\(getpid())-\(random).tmp"
    }

    /// The longest name `writeTemporary` can give its file (about 35 bytes):
    /// a destination is checked with it, since a short final name can still
    /// sit in a directory where the temporary's path would be too long.
    package static var longestTemporaryName: String {
        temporaryName(random: String(UInt64.max, radix: 36))
    }

    /// Names look like `.imagegen-<pid>-<random>.tmp`: hidden, and telling
    /// whoever finds one after a crash where it came from. The file is known
    /// to the signal handler from before it exists until `discard`, so Ctrl-C
    /// or SIGTERM at any moment removes it.
    static func writeTemporary(
        _ bytes: FileContents, in directory: String, mode: UInt32 = 0o666
    ) throws(FileSystem.Failure) -> TemporaryFile {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var attempts = 0
        while true {
            let random = String(UInt64.random(in: .min ... .max), radix: 36)
            let temporary = TemporaryFile(path: prefix + temporaryName(random: random))
            let fd: Int32
            do {
                fd = try FileSystem.openExclusive(temporary.path, mode: mode)
            } catch  where error.code == EEXIST && attempts < 100 {
                temporary.forget()  // someone else's file: never remove it
                attempts += 1
                continue
            } catch {
                temporary.forget()
                throw error
            }
            do {
                try FileSystem.writeAll(fd, bytes)
                try FileSystem.sync(fd)
            } catch {
                try? FileSystem.close(fd)
                temporary.discard()
                throw error
            }
            do {
                try FileSystem.close(fd)
            } catch {
                temporary.discard()
                throw error
            }
            return temporary
        }
    }

    /// Gives `temporary`'s content the name `path` unless `path` exists.
    /// Filesystems without hard links (FAT, some network and FUSE mounts) get
    /// an O_EXCL placeholder under the final name, then the rename over it.
    static func claim(_ path: String, with temporary: String) throws(FileSystem.Failure) {
        do {
            try FileSystem.link(temporary, path)
        } catch  where [EPERM, EOPNOTSUPP, ENOSYS, EMLINK].contains(error.code) {
            let placeholder = try FileSystem.openExclusive(path)
            try? FileSystem.close(placeholder)
            do {
                try FileSystem.rename(temporary, path)
            } catch {
                FileSystem.remove(path)
                throw error
            }
        }
    }
}
