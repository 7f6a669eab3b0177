import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

/// The golden drawings come from an independent Python rendering
/// (Fixtures/preview/*, written by preview/make_golden.py), never from our code.
@Suite struct HalfBlocksTests {
    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var golden: String
        var fixture: String
        var columns: Int
        var rows: Int?
        var testDescription: String { golden }
    }

    static let cases: [Case] = {
        let data = Data(Fixtures.bytes("preview/cases.json"))
        return try! JSONDecoder().decode([Case].self, from: data)
    }()

    @Test(arguments: cases)
    func drawsExactlyTheGoldenBytes(_ golden: Case) throws {
        let image = try PNGLibrary.decodeRGBA(Fixtures.bytes(golden.fixture), maxPixels: 1 << 26).get()
        let drawn = HalfBlocks.render(image, columns: golden.columns, rows: golden.rows)
        let expected = Fixtures.bytes("preview/" + golden.golden)
        #expect(Array(drawn.utf8) == expected, "\(drawn.debugDescription)")
    }

    @Test func targetSizeKeepsTheAspectRatioAndNeverEnlarges() {
        #expect(HalfBlocks.targetSize(width: 1024, height: 1024, columns: 80) == (80, 80))
        #expect(HalfBlocks.targetSize(width: 1792, height: 1024, columns: 100) == (100, 57))
        #expect(HalfBlocks.targetSize(width: 1024, height: 1024, columns: 100, rows: 39) == (78, 78))
        #expect(HalfBlocks.targetSize(width: 7, height: 5, columns: 80) == (7, 5))
        #expect(HalfBlocks.targetSize(width: 1000, height: 1, columns: 10) == (10, 1))
        #expect(HalfBlocks.targetSize(width: 1, height: 1000, columns: 10, rows: 5) == (1, 10))
        #expect(HalfBlocks.targetSize(width: 0, height: 5, columns: 10) == (0, 0))
    }

    @Test func boxFilterAveragesEveryCoveredPixelOnBlack() {
        // 2x2 → 1x1: white opaque, black opaque, red half transparent, transparent white.
        let image = RGBAImage(
            width: 2, height: 2,
            pixels: [
                255, 255, 255, 255, 0, 0, 0, 255,
                255, 0, 0, 128, 255, 255, 255, 0,
            ])
        let mean = HalfBlocks.downscale(image, width: 1, height: 1)
        // r: (255*255 + 0 + 255*128 + 0) / (255*4) = 95.75 → 96; g, b: 255*255 / 1020 = 63.75 → 64
        #expect(mean.count == 1 && mean[0] == (96, 64, 64))
    }
}

@Suite struct TerminalPreviewTests {
    func environment(_ values: [String: String]) -> Environment { Environment(values) }

    @Test func methodFollowsWhatTheTerminalAnnounces() {
        #expect(TerminalPreview.method(environment(["TERM": "xterm-256color"])) == .halfBlocks)
        #expect(TerminalPreview.method(environment(["TERM": "xterm-kitty"])) == .kitty)
        #expect(TerminalPreview.method(environment(["TERM": "xterm-256color", "KITTY_WINDOW_ID": "3"])) == .kitty)
        #expect(TerminalPreview.method(environment(["TERM_PROGRAM": "iTerm.app", "TERM": "xterm"])) == .iTerm2)
        // tmux passes neither protocol through, whatever leaked into its environment.
        #expect(TerminalPreview.method(environment(["TERM": "tmux-256color", "KITTY_WINDOW_ID": "3"])) == .halfBlocks)
        #expect(
            TerminalPreview.method(environment(["TERM": "xterm-kitty", "TMUX": "/tmp/tmux-0/default,1,0"]))
                == .halfBlocks)
    }

    @Test func kittyGetsThePNGInBase64ChunksOf4096() throws {
        var png = Fixtures.bytes("rgb.png")
        while png.count < 7000 { png += png }  // any bytes: kitty's chunking does not look inside
        let text = TerminalGraphics.kitty(png)
        let encoded = Base64.encode(png)
        let pattern = try Regex(#"\x1B_G([^;]*);([^\x1B]*)\x1B\\"#)
        let chunks = text.matches(of: pattern).map {
            (String($0.output[1].substring!), String($0.output[2].substring!))
        }
        #expect(chunks.count == (encoded.count + 4095) / 4096 && chunks.count > 2)
        #expect(chunks.map(\.0) == ["f=100,a=T,m=1"] + Array(repeating: "m=1", count: chunks.count - 2) + ["m=0"])
        #expect(chunks.dropLast().allSatisfy { $0.1.count == 4096 })
        #expect(chunks.map(\.1).joined() == encoded)
        #expect(text.hasSuffix("\u{1B}\\\n"))

        let small = TerminalGraphics.kitty(Fixtures.bytes("rgb.png"))
        #expect(small == "\u{1B}_Gf=100,a=T,m=0;" + Base64.encode(Fixtures.bytes("rgb.png")) + "\u{1B}\\\n")
    }

    @Test func iTerm2GetsTheFileInline() {
        let jpeg = Fixtures.bytes("photo.jpg")
        let preview = TerminalPreview(method: .iTerm2, columns: 80)
        #expect(
            preview.render(jpeg, format: .jpeg, path: "a.jpg")
                == "\u{1B}]1337;File=inline=1;size=\(jpeg.count):" + Base64.encode(jpeg) + "\u{07}\n")
    }

    @Test func otherFormatsGetAOneLineNoteUnlessQuiet() {
        let webp = Fixtures.bytes("lossy.webp")
        for method in [TerminalPreview.Method.halfBlocks, .kitty] {
            let note = TerminalPreview(method: method, columns: 80).render(webp, format: .webp, path: "out/a.webp")
            #expect(
                note == "imagegen: out/a.webp: not previewed: this terminal preview draws PNG only, "
                    + "and this is a WebP image\n")
            #expect(
                TerminalPreview(method: method, columns: 80, notes: false)
                    .render(webp, format: .webp, path: "a.webp").isEmpty)
        }
    }

    @Test func halfBlocksUseTheColumnsAndRows() throws {
        let png = Fixtures.bytes("interlaced.png")
        let drawn = TerminalPreview(method: .halfBlocks, columns: 80, rows: 2).render(png, format: .png, path: "x")
        let expected = Fixtures.bytes("preview/interlaced-80x2.txt")
        #expect(Array(drawn.utf8) == expected)
    }
}
