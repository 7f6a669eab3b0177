import ImageGenCore

#if canImport(Glibc)
    import Glibc
#endif

/// Small files for the user's eyes only (the model cache): written whole
/// to a temporary in the same directory, mode 0600, then renamed over the
/// old one, so a reader finds the old file or the new one, never half of
/// one, and an interrupted write leaves nothing behind.
package enum PrivateFile {
    package static func replace(_ path: String, with bytes: [UInt8]) throws(FileSystem.Failure) {
        let directory = FileSystem.directoryName(path)
        try FileSystem.makeDirectories(directory)
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var attempts = 0
        while true {
            let random = String(UInt64.random(in: .min ... .max), radix: 36)
            let temporary = TemporaryFile(path: prefix + OutputWriter.temporaryName(random: random))
            let fd: Int32
            do {
                fd = try FileSystem.openExclusive(temporary.path, mode: 0o600)
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
                try FileSystem.rename(temporary.path, path)
            } catch {
                temporary.discard()
                throw error
            }
            temporary.forget()
            return
        }
    }
}
