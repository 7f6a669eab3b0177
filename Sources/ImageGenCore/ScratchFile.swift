#if canImport(Glibc)
    import Glibc
#endif

extension FileSystem {
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
}
