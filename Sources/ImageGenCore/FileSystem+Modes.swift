#if canImport(Glibc)
    import Glibc
#endif

extension FileSystem {
    /// `openExclusive` with the permissions given (the umask can only take
    /// some away): 0o600 for a file only its owner may read.
    package static func openExclusive(_ path: String, mode: UInt32) throws(Failure) -> Int32 {
        while true {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
            if fd >= 0 { return fd }
            if errno != EINTR { throw Failure(code: errno) }
        }
    }
}
