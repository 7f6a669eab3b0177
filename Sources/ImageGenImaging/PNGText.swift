import ImageGenCore

/// Text chunks spliced into an encoded PNG: the image itself is never
/// decoded or re-encoded, and never copied.
package enum PNGText {
    /// `png` with `entries` added as text chunks right after IHDR, and its
    /// own text chunks with one of the same keywords left out. Every other
    /// byte is the original's: the result is pieces of `png` around the new
    /// chunks, which libpng writes. `png` must have passed validation.
    /// NUL characters cannot be stored in a PNG text chunk and are dropped.
    package static func adding(
        _ entries: [(key: String, value: String)],
        to png: [UInt8]
    ) -> Result<FileContents, PNGError> {
        guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), png.count >= 8 + 12 else {
            return .failure(PNGError(message: "not a PNG signature"))
        }
        let chunks: [UInt8]
        switch PNGLibrary.textChunks(entries) {
        case .success(let written): chunks = written
        case .failure(let error): return .failure(error)
        }
        let replaced = Set(entries.map { Array($0.key.utf8) })
        var pieces: [ArraySlice<UInt8>] = []
        var keptFrom = 0
        var offset = 8
        while offset + 12 <= png.count {
            let length =
                Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8
                | Int(png[offset + 3])
            let name = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            let end = offset + 12 + length
            guard end <= png.count else { return .failure(PNGError(message: "PNG ends inside a chunk")) }
            if offset == 8 {
                guard name == "IHDR" else { return .failure(PNGError(message: "PNG does not start with IHDR")) }
                pieces += [png[0..<end], chunks[...]]
                keptFrom = end
            } else if ["tEXt", "zTXt", "iTXt"].contains(name),
                let nul = png[offset + 8..<end - 4].firstIndex(of: 0),
                replaced.contains(Array(png[offset + 8..<nul]))
            {
                pieces.append(png[keptFrom..<offset])
                keptFrom = end
            }
            offset = end
            if name == "IEND" { break }
        }
        pieces.append(png[keptFrom..<offset])
        return .success(FileContents(pieces: pieces))
    }
}
