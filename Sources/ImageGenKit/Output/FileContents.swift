/// What goes into one output file, as pieces of existing buffers: a PNG
/// with its metadata is the provider's bytes with text chunks spliced in,
/// and writing it piece by piece never needs a second copy of the image.
public struct FileContents: Equatable, Sendable, ExpressibleByArrayLiteral {
    public private(set) var pieces: [ArraySlice<UInt8>]

    public init(_ bytes: [UInt8]) {
        pieces = [bytes[...]]
    }

    public init(pieces: [ArraySlice<UInt8>]) {
        self.pieces = pieces.filter { !$0.isEmpty }
    }

    public init(arrayLiteral elements: UInt8...) {
        self.init(elements)
    }

    public var count: Int { pieces.reduce(0) { $0 + $1.count } }

    /// The whole file as one array (a copy: for tests and small files).
    public var bytes: [UInt8] { pieces.flatMap { $0 } }

    public static func == (lhs: FileContents, rhs: FileContents) -> Bool { lhs.bytes == rhs.bytes }
}
