/// What goes into one output file, as pieces of existing buffers: a PNG
/// with its metadata is the provider's bytes with text chunks spliced in,
/// and writing it piece by piece never needs a second copy of the image.
package struct FileContents: Equatable, Sendable, ExpressibleByArrayLiteral {
    package private(set) var pieces: [ArraySlice<UInt8>]

    package init(_ bytes: [UInt8]) {
        pieces = [bytes[...]]
    }

    package init(pieces: [ArraySlice<UInt8>]) {
        self.pieces = pieces.filter { !$0.isEmpty }
    }

    package init(arrayLiteral elements: UInt8...) {
        self.init(elements)
    }

    package var count: Int { pieces.reduce(0) { $0 + $1.count } }

    /// The whole file as one array (a copy: for tests and small files).
    package var bytes: [UInt8] { pieces.flatMap { $0 } }

    package static func == (lhs: FileContents, rhs: FileContents) -> Bool { lhs.bytes == rhs.bytes }
}
