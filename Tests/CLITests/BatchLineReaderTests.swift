import Synchronization
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore

#if canImport(Glibc)
    import Glibc
#endif

/// A batch is read a piece at a time, twice (checked, then sent): the lines
/// must be those of the whole text split at once, wherever the pieces end.
struct BatchLineReaderTests {
    /// What a batch's lines are: `TextLines` over the whole text, blank and
    /// `#` lines left out, numbered as in the file.
    private func expected(_ bytes: [UInt8]) -> [(Int, String)] {
        TextLines.split(String(decoding: bytes, as: UTF8.self)).enumerated().compactMap { number, line in
            let trimmed = line.trimmingASCIIWhitespace()
            return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (number, String(trimmed))
        }
    }

    private func read(_ bytes: [UInt8], pieces size: Int) throws -> [(Int, String)] {
        var offset = 0
        var reader = BatchFile.LineReader { () throws(FileSystem.Failure) in
            defer { offset = min(bytes.count, offset + size) }
            return Array(bytes[offset..<min(bytes.count, offset + size)])
        }
        var lines: [(Int, String)] = []
        while let line = try reader.next() { lines.append((line.index, line.text)) }
        return lines
    }

    static let texts: [[UInt8]] = [
        Array("a fox\nan owl\n".utf8),
        Array("\u{FEFF}first\r\nsecond\r\n\r\n# a comment\n  third  \rfourth".utf8),
        Array("one\r\r\ntwo\n\n\nthree\r".utf8),
        [0xEF, 0xBB, 0xBF, 0x0D, 0x0A, 0x61, 0xFF, 0xC3, 0x0A, 0xE2, 0x82, 0x0D, 0x0D, 0x0A, 0x62],
        Array("{\"prompt\": \"a \\u00e9t\\u00e9 field\", \"n\": 2}\n   \n\t# tabbed comment\nlast".utf8),
        [],
        Array("\n\r\n\r".utf8),
    ]

    @Test(arguments: [1, 2, 3, 5, 64, 65_536])
    func piecesOfAnySizeGiveTheLinesOfTheWholeText(size: Int) throws {
        for text in Self.texts {
            let lines = try read(text, pieces: size)
            let reference = expected(text)
            #expect(lines.map(\.0) == reference.map(\.0), "\(text)")
            #expect(lines.map(\.1) == reference.map(\.1), "\(text)")
        }
    }

    @Test func aLongBatchIsReadInPiecesAndNumberedToTheEnd() throws {
        let text = Array((0..<50_000).map { "prompt \($0)\($0 % 3 == 0 ? "\r\n" : "\n")" }.joined().utf8)
        let lines = try read(text, pieces: BatchSpool.pieceSize)
        #expect(lines.count == 50_000)
        #expect(lines.last.map { $0.0 == 49_999 && $0.1 == "prompt 49999" } == true)
    }

    @Test func aFailedReadIsThrownNotTakenForTheEnd() {
        var calls = 0
        var reader = BatchFile.LineReader { () throws(FileSystem.Failure) in
            calls += 1
            if calls == 1 { return Array("whole\npart".utf8) }
            throw FileSystem.Failure(code: EIO)
        }
        #expect((try? BatchFile.next(&reader))??.text == "whole")
        #expect(throws: ImageGenError.write("cannot read the batch: \(FileSystem.describe(EIO))")) {
            try BatchFile.next(&reader)
        }
    }

    /// A file without line ends (an image named by mistake) is refused at
    /// its first long line instead of being read whole.
    @Test func aLineLongerThanAMebibyteIsRefused() throws {
        let text = Array("ok\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 3 << 20)
        var offset = 0
        var reader = BatchFile.LineReader { () throws(FileSystem.Failure) in
            defer { offset = min(text.count, offset + 65_536) }
            return Array(text[offset..<min(text.count, offset + 65_536)])
        }
        #expect(try BatchFile.next(&reader)?.text == "ok")
        do {
            _ = try BatchFile.next(&reader)
            Issue.record("a 3 MiB line was read")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.message.hasPrefix("line 2 of the batch is longer than 1 MiB"))
        }
        #expect(offset < 2 << 20)
    }

    /// The spool keeps the batch as it was read: in a file without a name,
    /// or in memory where no file can be made.
    @Test func theSpoolReadsBackWhatWasReadInFileOrMemory() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        for directory in [scratch.path, scratch.path + "/missing"] {
            var text = Array("a\nb\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 200_000) + Array("\nc".utf8)
            let spool = try BatchSpool(directory: directory) { () throws(FileSystem.Failure) in
                defer { text.removeFirst(min(1000, text.count)) }
                return Array(text.prefix(1000))
            }
            for _ in 0..<2 {
                var lines = spool.lines()
                var read: [String] = []
                while let line = try lines.next() { read.append(line.text) }
                #expect(read.map(\.count) == [1, 1, 200_000, 1])
                #expect(read.last == "c")
            }
        }
        // Nothing of the file is left behind.
        #expect(scratch.listing().isEmpty)
    }

    private func describe(_ lines: RunLines) -> [String] {
        var described: [String] = []
        while let line = lines.next() {
            switch line {
            case .checked(let line, let requests): described.append("\(line.index) \(line.text) ×\(requests)")
            case .failed(let failure): described.append("\(failure.index) failed: \(failure.error.message)")
            case .prepared: described.append("prepared")
            }
        }
        return described
    }

    private func reader(_ pieces: [[UInt8]], thenFail: Bool = false) -> BatchFile.LineReader {
        var pieces = pieces
        return BatchFile.LineReader { () throws(FileSystem.Failure) in
            if pieces.isEmpty, thenFail { throw FileSystem.Failure(code: EIO) }
            return pieces.isEmpty ? [] : pieces.removeFirst()
        }
    }

    /// The run reads the batch again: each line comes with what its check
    /// found, and lines not to run (other shards', logged, blank) not at all.
    @Test func runLinesGiveEachLineWithItsCheck() {
        let told = Mutex<[Int]>([])
        let lines = RunLines(
            single: nil, reader: reader([Array("a\nb\n\nc\nd\ne\n".utf8)]),
            verdicts: [1, 0, 0, BatchCheck.failedLine, 2],
            failure: { LineFailure(index: $0.index, error: .usage("bad line \($0.text)")) },
            onLine: { line in told.withLock { $0.append(line.index) } })
        #expect(describe(lines) == ["0 a ×1", "3 failed: bad line c", "4 d ×2"])
        #expect(told.withLock { $0 } == [0, 3, 4])
    }

    /// A spool that cannot be read to the end fails every line left, each
    /// in its place, rather than ending the run early as if it were done.
    @Test func aSpoolThatBreaksFailsEveryLineLeft() {
        let lines = RunLines(
            single: nil, reader: reader([Array("a\nb\n".utf8)], thenFail: true),
            verdicts: [1, 1, 0, 3, BatchCheck.failedLine],
            failure: { LineFailure(index: $0.index, error: .usage("bad line")) }, onLine: nil)
        let described = describe(lines)
        #expect(described.count == 4)
        #expect(described.prefix(2) == ["0 a ×1", "1 b ×1"])
        #expect(described[2].hasPrefix("3 failed: cannot read the batch: "))
        #expect(described[3].hasPrefix("4 failed: cannot read the batch: "))
    }
}
