import Foundation
import TestSupport
import Testing

@testable import ImageGenImaging

/// The one-pass PNG check (PNGShim's png_check.c) against PNGs written by
/// Fixtures/make_png_matrix.py with Python's zlib alone, and against libpng's
/// full decode of every row as the independent reference: whatever libpng
/// refuses, the check refuses; where the check is stricter, the table says so.
@Suite struct PNGCheckTests {
    static func failure<Success>(_ result: Result<Success, PNGError>) -> String? {
        guard case .failure(let error) = result else { return nil }
        return error.message
    }

    @Test func everyColourTypeAndBitDepthPlainAndInterlacedPassesWithLibpngsHeader() async throws {
        let files = await HostilePNG.matrix().filter { $0.key.hasPrefix("valid-") }
        // 5 colour types, 15 colour type and depth pairs, plain and Adam7, 4 sizes.
        #expect(files.count == 15 * 2 * 4)
        for (name, png) in files.sorted(by: { $0.key < $1.key }) {
            let reference = PNGLibrary.decodeAllRows(png)
            #expect(Self.failure(reference) == nil, "libpng refuses \(name)")
            let checked = PNGLibrary.validate(png)
            #expect(Self.failure(checked) == nil, "\(name)")
            if case .success(let header) = checked, case .success(let expected) = reference {
                #expect(header == expected, "\(name)")
            }
        }
    }

    @Test func theCommittedFixturesGetLibpngsVerdictAndHeader() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path)
            .filter { $0.hasSuffix(".png") }
        #expect(names.count >= 13)
        for name in names {
            let png = Fixtures.bytes(name)
            switch (PNGLibrary.validate(png), PNGLibrary.decodeAllRows(png)) {
            case (.success(let header), .success(let expected)): #expect(header == expected, "\(name)")
            case (.failure, .failure): break
            case (let checked, let reference): Issue.record("\(name): check \(checked), libpng \(reference)")
            }
        }
    }

    /// make_png_matrix.py's one-defect images: the check's words, and
    /// whether libpng's full decode refuses the file too.
    static let defects: [(name: String, reason: String, libpngRefuses: Bool)] = [
        ("crc-ihdr", "IHDR: CRC error", true),
        ("crc-idat", "IDAT: CRC error", true),
        ("crc-iend", "IEND: CRC error", true),
        // libpng only warns about an ancillary chunk's CRC and drops the chunk.
        ("crc-text", "tEXt: CRC error", false),
        ("truncated-zlib", "IDAT: the compressed image data ends early (275 of 280 bytes of rows)", true),
        ("zlib-wrong-check", "IDAT: incorrect data check", true),
        ("zlib-preset-dictionary", "IDAT: the compressed data asks for a preset dictionary", true),
        ("zlib-garbage", "IDAT: invalid block type", true),
        ("too-few-rows", "IDAT: the image data inflates to 240 bytes, not the 280 bytes of the image's rows", true),
        ("one-byte-short", "IDAT: the image data inflates to 279 bytes, not the 280 bytes of the image's rows", true),
        // libpng reads the rows it needs and only warns about the rest.
        ("too-many-rows", "IDAT: the image data inflates to more than the 280 bytes of the image's rows", false),
        ("one-byte-over", "IDAT: the image data inflates to more than the 280 bytes of the image's rows", false),
        ("bytes-after-zlib-end", "IDAT: data after the end of the compressed image data", false),
        ("filter-type-5", "IDAT: row filter type 5 is not one of PNG's five (0 to 4), at inflated byte 120", true),
        (
            "interlaced-rows-for-plain",
            "IDAT: row filter type 24 is not one of PNG's five (0 to 4), at inflated byte 7", true
        ),
        (
            "plain-rows-for-interlaced", "IDAT: the image data inflates to more than the 280 bytes of the image's rows",
            true
        ),
        ("idat-not-consecutive", "IDAT: not consecutive (a tEXt chunk comes between two IDAT chunks)", true),
        ("idat-after-stream-end", "IDAT: not consecutive (a tEXt chunk comes between two IDAT chunks)", false),
        ("missing-iend", "image data ends early (truncated PNG)", true),
        ("iend-cut", "image data ends early (truncated PNG)", true),
        // libpng stops reading at IEND.
        ("data-after-iend", "16 bytes after the IEND chunk", false),
        ("no-idat", "IEND: out of place (no IDAT chunk before it)", true),
        ("no-ihdr", "Missing IHDR before IDAT", true),
        ("second-ihdr", "IHDR: out of place (a second one)", true),
        ("unknown-critical", "QUUX: unknown critical chunk", true),
        ("palette-without-plte", "Missing PLTE before IDAT", true),
        ("plte-after-idat", "PLTE: out of place (after IDAT)", true),
        ("plte-bad-length", "PLTE: invalid length 10 (1 to 256 entries of 3 bytes)", true),
        ("ihdr-bad-depth", "Invalid IHDR data: Invalid bit depth in IHDR (3)", true),
        ("ihdr-bad-colour", "Invalid IHDR data: Invalid color type in IHDR (5)", true),
        ("ihdr-bad-interlace", "Invalid IHDR data: Unknown interlace method in IHDR (2)", true),
        ("ihdr-zero-height", "Invalid IHDR data: Image height is zero in IHDR", true),
        ("ihdr-short", "IHDR: invalid length 12 (13 expected)", true),
        ("idat-length-over-31-bits", "PNG unsigned integer out of range", true),
        ("chunk-name", "te?t: invalid chunk type", true),
        ("signature", "not a PNG signature", true),
    ]

    @Test func eachDefectIsRefusedNamingIt() async throws {
        let files = await HostilePNG.matrix()
        #expect(files.keys.filter { $0.hasPrefix("bad-") }.count == Self.defects.count)
        for defect in Self.defects {
            let png = try #require(files["bad-\(defect.name).png"], "\(defect.name)")
            #expect(Self.failure(PNGLibrary.validate(png)) == defect.reason, "\(defect.name)")
            #expect((Self.failure(PNGLibrary.decodeAllRows(png)) != nil) == defect.libpngRefuses, "\(defect.name)")
            // A file without the signature is not recognised as a PNG at all.
            if defect.name != "signature" {
                #expect(throws: ImageDefect(expected: "a valid PNG", reason: defect.reason)) {
                    try ImageInspector.inspect(png)
                }
            }
        }
    }

    /// A CRC covers every byte of a chunk but its length, and a changed
    /// length moves every later chunk: no single flipped bit gets through,
    /// nor any cut short of the whole file.
    @Test func everyFlippedBitAndEveryCutIsRefused() async throws {
        let files = await HostilePNG.matrix()
        let names = ["valid-c2-d8-i0-17x11.png", "valid-c3-d2-i1-17x11.png", "valid-c0-d16-i1-3x2.png"]
        for name in names {
            let png = try #require(files[name])
            var refused = 0
            for offset in png.indices {
                for bit in 0..<8 {
                    var flipped = png
                    flipped[offset] ^= 1 << bit
                    if Self.failure(PNGLibrary.validate(flipped)) != nil { refused += 1 }
                }
            }
            #expect(refused == png.count * 8, "\(name)")
            let cutsRefused = (0..<png.count).filter { Self.failure(PNGLibrary.validate(Array(png.prefix($0)))) != nil }
            #expect(cutsRefused.count == png.count, "\(name)")
        }
    }

    /// Bytes changed at random inside chunks whose CRCs are then made right
    /// again, so that the header, palette and image data rules are what
    /// decides: whenever the check accepts such a file, libpng's full decode
    /// accepts it too (the other way round, the check is stricter about the
    /// zlib stream, which libpng stops reading once it has its rows).
    @Test func mutatedChunksWithRightCRCsTheCheckAcceptsLibpngAcceptsToo() async throws {
        let files = await HostilePNG.matrix()
        var state: UInt64 = 0x5EED_0F_0E9A55
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var accepted = 0
        var refused = 0
        for name in ["valid-c2-d8-i1-17x11.png", "valid-c3-d4-i0-33x3.png", "valid-c6-d16-i0-17x11.png"] {
            let png = try #require(files[name])
            for _ in 0..<400 {
                var mutated = png
                for _ in 0...next(3) { mutated[8 + next(png.count - 8)] = UInt8(next(256)) }
                Self.fixCRCs(&mutated)
                guard Self.failure(PNGLibrary.validate(mutated)) == nil else {
                    refused += 1
                    continue
                }
                accepted += 1
                #expect(Self.failure(PNGLibrary.decodeAllRows(mutated)) == nil, "\(name): \(mutated)")
            }
        }
        #expect(accepted > 0 && refused > 0, "accepted \(accepted), refused \(refused)")
    }

    /// Rewrites the CRC of every chunk that lies within the file.
    static func fixCRCs(_ png: inout [UInt8]) {
        var offset = 8
        while png.count - offset >= 12 {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            guard length <= png.count - offset - 12 else { return }
            let crc = TestPNG.crc32(Array(png[offset + 4..<offset + 8 + length]))
            for i in 0..<4 { png[offset + 8 + length + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
            offset += 12 + length
        }
    }
}
