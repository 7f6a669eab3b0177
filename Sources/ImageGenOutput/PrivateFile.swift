import ImageGenCore

/// Small files for the user's eyes only (the model cache): written whole
/// to a temporary in the same directory, mode 0600, then renamed over the
/// old one, so a reader finds the old file or the new one, never half of
/// one, and an interrupted write leaves nothing behind.
package enum PrivateFile {
    package static func replace(_ path: String, with bytes: [UInt8]) throws(FileSystem.Failure) {
        let directory = FileSystem.directoryName(path)
        try FileSystem.makeDirectories(directory)
        let temporary = try OutputWriter.writeTemporary(FileContents(bytes), in: directory, mode: 0o600)
        do {
            try FileSystem.rename(temporary.path, path)
        } catch {
            temporary.discard()
            throw error
        }
        temporary.forget()
    }
}
