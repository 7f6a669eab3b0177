import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PNG read by the test itself, independently of imagegen's libpng code: the chunk
/// structure, IHDR and tEXt, and the first pixel (which carries the fake's serial number).
package struct PNGFile {
    package var width: Int
    package var height: Int
    package var bitDepth: Int
    package var colorType: Int
    package var text: [String: String]
    private var idat: Data

    /// Nil unless `data` is a structurally complete PNG: signature, IHDR first, chunk
    /// lengths and CRCs right, IDAT present, IEND last.
    package init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        func u32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var chunks: [(String, ArraySlice<UInt8>)] = []
        while offset + 12 <= bytes.count {
            let length = u32(offset)
            guard offset + 12 + length <= bytes.count else { return nil }
            let typeAndData = bytes[offset + 4..<offset + 8 + length]
            guard UInt32(u32(offset + 8 + length)) == crc32(typeAndData) else { return nil }
            chunks.append((String(decoding: typeAndData.prefix(4), as: UTF8.self), typeAndData.dropFirst(4)))
            offset += 12 + length
        }
        guard offset == bytes.count, chunks.first?.0 == "IHDR", chunks.last?.0 == "IEND",
            let header = chunks.first?.1, header.count == 13
        else { return nil }
        let ihdr = Array(header)
        width = ihdr[0..<4].reduce(0) { $0 << 8 | Int($1) }
        height = ihdr[4..<8].reduce(0) { $0 << 8 | Int($1) }
        bitDepth = Int(ihdr[8])
        colorType = Int(ihdr[9])
        text = [:]
        idat = Data()
        for (type, body) in chunks {
            if type == "IDAT" { idat.append(contentsOf: body) }
            if type == "tEXt", let zero = body.firstIndex(of: 0) {
                text[String(decoding: body[..<zero], as: UTF8.self)] =
                    String(decoding: body[(zero + 1)...], as: UTF8.self)
            }
        }
        guard !idat.isEmpty else { return nil }
    }

    package init?(contentsOf url: URL) {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        self.init(data)
    }

    /// The fake paints every image one colour: red = serial's low byte, green = high byte.
    /// Whatever filter an encoder chose, the first pixel of the first row is stored as is.
    package var serial: Int? {
        guard bitDepth == 8, colorType == 2 || colorType == 6,
            let raw = Zlib.inflate(idat, expectedSize: height * (1 + width * (colorType == 2 ? 3 : 4))),
            raw.count >= 3
        else { return nil }
        return Int(raw[raw.startIndex + 1]) | Int(raw[raw.startIndex + 2]) << 8
    }
}

private func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// zlib's `uncompress`, reached with dlopen: the test target links no C module of its own.
private enum Zlib {
    package typealias Uncompress =
        @convention(c) (
            UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?,
            UnsafePointer<UInt8>?, UInt
        ) -> Int32
    package static let uncompress: Uncompress? = {
        guard let library = dlopen("libz.so.1", RTLD_NOW), let symbol = dlsym(library, "uncompress") else {
            return nil
        }
        return unsafeBitCast(symbol, to: Uncompress.self)
    }()

    package static func inflate(_ data: Data, expectedSize: Int) -> Data? {
        guard let uncompress, expectedSize > 0 else { return nil }
        var output = [UInt8](repeating: 0, count: expectedSize)
        var outputSize = UInt(expectedSize)
        let input = [UInt8](data)
        let status = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { uncompress(out.baseAddress, &outputSize, $0.baseAddress, UInt($0.count)) }
        }
        return status == 0 ? Data(output.prefix(Int(outputSize))) : nil
    }
}
