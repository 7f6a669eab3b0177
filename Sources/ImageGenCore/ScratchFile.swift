#if canImport(Glibc)
    import Glibc
#endif

extension FileSystem {
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

    /// A file without a name in `directory`, to keep bytes out of memory and
    /// read them back: it is gone once closed, or when the process dies.
    package static func makeScratchFile(in directory: String) throws(Failure) -> Int32 {
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
        template += Array("imagegen.XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw Failure(code: errno) }
        unlink(template)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }

    /// Up to `maximum` bytes of `fd` from `offset`; empty at the end.
    package static func readChunk(_ fd: Int32, at offset: Int, maximum: Int) throws(Failure) -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: maximum)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            if count >= 0 {
                chunk.removeSubrange(count...)
                return chunk
            }
            if errno != EINTR { throw Failure(code: errno) }
        }
    }
}
