import ImageGenCore

/// A batch's bytes as they were read, kept to be read again, line by line,
/// when the run sends the lines: in a file without a name, so neither a long
/// batch nor one piped in stays in memory, and an edit to the batch file
/// during the run cannot change a line after it was checked. In memory only
/// when no such file can be made.
final class BatchSpool: @unchecked Sendable {
    // Written once while the batch is read, then only read (pread).
    private enum Store {
        case file(Int32)
        case memory([UInt8])
    }

    private let store: Store
    /// How many bytes a piece is, read or written.
    static let pieceSize = 65_536

    /// Reads the whole batch from `read` (its pieces, empty at the end) into
    /// a scratch file in `directory`, or into memory if none can be made there.
    init(directory: String, read: () throws(FileSystem.Failure) -> [UInt8]) throws(FileSystem.Failure) {
        guard let fd = try? FileSystem.makeScratchFile(in: directory) else {
            var bytes: [UInt8] = []
            while case let piece = try read(), !piece.isEmpty { bytes += piece }
            store = .memory(bytes)
            return
        }
        do throws(FileSystem.Failure) {
            while case let piece = try read(), !piece.isEmpty { try FileSystem.writeAll(fd, piece) }
        } catch {
            try? FileSystem.close(fd)
            throw error
        }
        store = .file(fd)
    }

    deinit {
        if case .file(let fd) = store { try? FileSystem.close(fd) }
    }

    /// The lines from the first, read a piece at a time.
    func lines() -> BatchFile.LineReader {
        var offset = 0
        return BatchFile.LineReader { [store] () throws(FileSystem.Failure) in
            let piece: [UInt8]
            switch store {
            case .file(let fd): piece = try FileSystem.readChunk(fd, at: offset, maximum: Self.pieceSize)
            case .memory(let bytes): piece = Array(bytes.dropFirst(offset).prefix(Self.pieceSize))
            }
            offset += piece.count
            return piece
        }
    }
}
