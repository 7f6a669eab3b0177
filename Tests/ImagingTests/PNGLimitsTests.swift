import Foundation
import TestSupport
import Testing

@testable import ImageGenImaging

/// Hostile PNGs (Fixtures/make_hostile.py) against the limits set on every
/// libpng read: refused from what they declare, before the work or the
/// memory they ask for. Serialized, so that one test's peak memory is not
/// another's.
@Suite(.serialized) struct PNGLimitsTests {
    static func failure<Success>(_ result: Result<Success, PNGError>) -> String? {
        guard case .failure(let error) = result else { return nil }
        return error.message
    }

    /// The process's peak resident memory so far, in KiB.
    static func peakKiB() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss
    }

    @Test(arguments: ["tEXt", "zTXt", "iTXt"])
    func aTextChunkDeclaringTwoGiBIsRefusedWithoutAllocatingIt(_ kind: String) async {
        let png = await HostilePNG.bytes("huge-\(kind).png")
        let expected = "\(kind) chunk of 2147483647 bytes is over imagegen's limit of 8388608 bytes for one chunk"
        let before = Self.peakKiB()
        #expect(Self.failure(PNGLibrary.validate(png)) == expected)
        #expect(Self.failure(PNGLibrary.readText(png)) == expected)
        #expect(Self.failure(PNGLibrary.decodeRGBA(png, maxPixels: 1 << 26)) == expected)
        // libpng allocates and clears the declared length before reading it.
        #expect(Self.peakKiB() - before < 100 << 10)
    }

    /// 2.6 MB declaring 30000x30000 (2.7 GB of zeros to inflate) is refused
    /// by the pixel budget, from its header: no decoder gets that message.
    @Test func aDecompressionBombIsRefusedByThePixelBudget() async {
        let png = await HostilePNG.bytes("bomb.png")
        let reason = "30000x30000 is 900000000 pixels, over imagegen's limit of 67108864 pixels"
        #expect(Self.failure(PNGLibrary.validate(png)) == reason)
        #expect(Self.failure(PNGLibrary.readText(png)) == reason)
        #expect(throws: ImageDefect(expected: "a valid PNG", reason: reason)) { try ImageInspector.inspect(png) }
    }

    @Test func aSideAboveTheLimitIsRefusedEvenWithFewPixels() async {
        #expect(
            Self.failure(PNGLibrary.validate(await HostilePNG.bytes("wide.png")))
                == "Invalid IHDR data: Image width exceeds user limit in IHDR")
    }

    @Test func textChunksBeyondTheCountLimitAreDroppedNotRefused() async throws {
        let png = await HostilePNG.bytes("many-text.png")
        #expect(throws: Never.self) { try PNGLibrary.validate(png).get() }
        let text = try PNGLibrary.readText(png).get()
        // Of the 100, more than the 7 imagegen writes, far fewer than libpng's default 1000.
        #expect(text.count >= 7 && text.count < 32, "\(text.count)")
        #expect(text.map(\.key) == (0..<text.count).map { "k\($0)" })
    }

    @Test func aTextChunkJustUnder8MiBIsKeptAndOneOverItDropped() async throws {
        let text = try PNGLibrary.readText(await HostilePNG.bytes("big-text.png")).get()
        #expect(text.map(\.key) == ["fits"])
        #expect(text.first?.value.utf8.count == 8 << 20 - 1024)
    }

    /// 40 zTXt chunks of 8 KB, each inflating to almost 8 MiB: libpng's
    /// memory ceiling for one file drops the text that does not fit.
    @Test func compressedTextFloodStaysUnderTheMemoryCeiling() async throws {
        let png = await HostilePNG.bytes("text-flood.png")
        let before = Self.peakKiB()
        #expect(throws: Never.self) { try PNGLibrary.validate(png).get() }
        let text = try PNGLibrary.readText(png).get()
        #expect(!text.isEmpty)
        #expect(text.reduce(0) { $0 + $1.value.utf8.count } <= 64 << 20)
        // libpng's copy, the shim's and Swift's of at most 64 MiB of text.
        #expect(Self.peakKiB() - before < 256 << 10)
    }

    /// Seven zTXt chunks of 8.38 MB kept before a 65535-wide 16-bit row: no
    /// room is left under the ceiling for libpng's row buffers. The check
    /// before writing neither inflates text nor keeps rows, so it has no
    /// such ceiling to reach and accepts this sound file.
    @Test func anImageWhoseRowsNoLongerFitUnderTheCeilingIsRefusedNamingIt() async {
        let png = await HostilePNG.bytes("text-then-rows.png")
        let reason = "Out of memory (libpng would need more than imagegen's limit of 64 MiB for one file)"
        #expect(Self.failure(PNGLibrary.readText(png)) == reason)
        #expect(Self.failure(PNGLibrary.decodeAllRows(png)) == reason)
        #expect(throws: Never.self) { try PNGLibrary.validate(png).get() }
    }

    /// 64 MiB of rows inflated through the check's 64 KiB buffer.
    @Test func memoryDoesNotGrowWithTheImage() async throws {
        let png = try #require(await HostilePNG.matrix()["zeros-4096.png"])
        let before = Self.peakKiB()
        let header = try PNGLibrary.validate(png).get()
        #expect(header.width == 4096 && header.height == 4096)
        #expect(Self.peakKiB() - before < 4 << 10)
    }
}
