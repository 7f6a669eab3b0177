import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenImaging
@testable import ImageGenOutput
@testable import ImageGenProviders

@Suite struct OutputWriterTests {
    /// Read without changing it: umask(2) would race with other tests creating files.
    static var umask: mode_t {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") } ?? "Umask:\t0022"
        return mode_t(line.split(separator: "\t").last!.trimmingCharacters(in: .whitespaces), radix: 8)!
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        precondition(stat(path, &info) == 0)
        return info.st_mode & 0o7777
    }

    @Test func listingShowsHiddenFiles() {
        // The "no temporary left" checks below rely on this.
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write(".imagegen-1-x.tmp", [1])
        #expect(scratch.listing() == [".imagegen-1-x.tmp"])
    }

    @Test func writesWholeFileWithUmaskModeAndNoTemporary() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let png = Fixtures.bytes("rgb.png")
        #expect(try OutputWriter.write(FileContents(png), to: scratch.sub("a.png"), replacing: false) == .written)
        #expect(scratch.contents("a.png") == png)
        #expect(mode(scratch.sub("a.png")) == 0o666 & ~Self.umask)
        #expect(scratch.listing() == ["a.png"])
    }

    @Test func createsMissingDirectories() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let bytes: [UInt8] = [1, 2, 3]
        #expect(try OutputWriter.write(FileContents(bytes), to: scratch.sub("x/y/z.png"), replacing: false) == .written)
        #expect(scratch.listing() == ["x/", "x/y/", "x/y/z.png"])
        #expect(mode(scratch.sub("x/y")) == 0o777 & ~Self.umask)
    }

    @Test func neverReplacesWithoutReplacing() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("a.png", [9, 9])
        #expect(try OutputWriter.write([1, 2, 3], to: scratch.sub("a.png"), replacing: false) == .nameTaken)
        #expect(scratch.contents("a.png") == [9, 9])
        #expect(scratch.listing() == ["a.png"])
    }

    @Test func firstFreeNameSkipsTakenOnesAndGivesUpCleanly() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("a.png", [9])
        scratch.write("b.png", [9])
        let names = ["a.png", "b.png", "c.png"].map(scratch.sub)
        #expect(try OutputWriter.writeUnderFirstFreeName([1], directory: scratch.path, candidates: names) == 2)
        #expect(try OutputWriter.writeUnderFirstFreeName([2], directory: scratch.path, candidates: names) == nil)
        #expect(scratch.contents("c.png") == [1])
        #expect(scratch.listing() == ["a.png", "b.png", "c.png"])
    }

    @Test func replacesWhenAsked() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("a.png", [9, 9])
        #expect(try OutputWriter.write([1, 2, 3], to: scratch.sub("a.png"), replacing: true) == .written)
        #expect(scratch.contents("a.png") == [1, 2, 3])
        #expect(scratch.listing() == ["a.png"])
    }

    @Test func aFIFOIsWrittenIntoAndNotReplaced() async throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let fifo = scratch.sub("pipe")
        let reader = try FIFOReader(creating: fifo)
        let payload = Fixtures.bytes("rgb.png")
        let done = DoneFlag()
        // The writer blocks in open() until it finds the reader: its own thread.
        let written = OwnThread.start { () -> Result<OutputWriter.Placement, ImageGenError> in
            defer { done.set() }
            return Result { () throws(ImageGenError) in
                try OutputWriter.write(FileContents(payload), to: fifo, replacing: false)
            }
        }
        let received = await reader.readAll(timeout: .seconds(20), writerDone: done.isSet)
        #expect(try await written.value.get() == .written)
        #expect(received == payload)
        #expect(FileSystem.kind(fifo) == .stream)
        #expect(scratch.listing() == ["pipe"])  // no temporary file beside it
    }

    @Test func devNullIsWrittenIntoWithoutReplacing() throws {
        #expect(try OutputWriter.write([1, 2, 3], to: "/dev/null", replacing: false) == .written)
        #expect(FileSystem.kind("/dev/null") == .stream)
    }

    @Test func replacingASymlinkReplacesTheFileItPointsAt() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        try FileManager.default.createDirectory(atPath: scratch.sub("real"), withIntermediateDirectories: false)
        scratch.write("real/target.png", [9, 9])
        #expect(symlink("real/target.png", scratch.sub("link.png")) == 0)
        #expect(try OutputWriter.write([1, 2, 3], to: scratch.sub("link.png"), replacing: false) == .nameTaken)
        #expect(try OutputWriter.write([1, 2, 3], to: scratch.sub("link.png"), replacing: true) == .written)
        #expect(FileSystem.isSymbolicLink(scratch.sub("link.png")))
        #expect(scratch.contents("real/target.png") == [1, 2, 3])
        #expect(scratch.listing() == ["link.png", "real/", "real/target.png"])
    }

    @Test func replacingASymlinkToADeviceWritesIntoTheDevice() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        #expect(symlink("/dev/null", scratch.sub("null")) == 0)
        #expect(try OutputWriter.write([1, 2, 3], to: scratch.sub("null"), replacing: true) == .written)
        #expect(FileSystem.isSymbolicLink(scratch.sub("null")))
        #expect(FileSystem.kind("/dev/null") == .stream)
        #expect(scratch.listing() == ["null"])
    }

    @Test func theTemporaryNameIsShort() {
        #expect(OutputWriter.longestTemporaryName.utf8.count <= 40)
        #expect(OutputWriter.longestTemporaryName.hasPrefix(".imagegen-\(getpid())-"))
    }

    @Test func failedRenameLeavesNothing() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("a.png", [9])  // placeholder so the directory below is not empty
        try FileManager.default.createDirectory(atPath: scratch.sub("taken.png"), withIntermediateDirectories: false)
        scratch.write("taken.png/inside", [7])
        let error = #expect(throws: ImageGenError.self) {
            try OutputWriter.write([1, 2, 3], to: scratch.sub("taken.png"), replacing: true)
        }
        #expect(error?.exitCode == 7)
        #expect(error?.message.hasPrefix("cannot write \(scratch.sub("taken.png")): ") == true)
        #expect(scratch.listing() == ["a.png", "taken.png/", "taken.png/inside"])
    }

    @Test func parentIsAFile() {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("file", [1])
        #expect(
            throws: ImageGenError.write(
                "cannot create directory \(scratch.sub("file/sub")) for \(scratch.sub("file/sub/a.png")): Not a directory"
            )
        ) {
            try OutputWriter.write([1], to: scratch.sub("file/sub/a.png"), replacing: false)
        }
        #expect(scratch.listing() == ["file"])
    }

    @Test func unwritableDirectory() throws {
        // Root ignores permission bits, so as root use sysfs, which refuses new files to everyone.
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let directory: String
        if geteuid() == 0 {
            directory = "/sys"
        } else {
            directory = scratch.sub("locked")
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            chmod(directory, 0o555)
        }
        let error = #expect(throws: ImageGenError.self) {
            try OutputWriter.write([1, 2, 3], to: directory + "/a.png", replacing: false)
        }
        #expect(error == .write("cannot write \(directory)/a.png: Permission denied"))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(!left.contains { $0.hasPrefix(".imagegen-") || $0 == "a.png" })
    }

    @Test func writeAllHandlesShortWritesOnANonBlockingPipe() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let reader = fds[0]
        let received = OwnThread.start { () -> [UInt8] in
            var all: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, 4096) }
                if n <= 0 { break }
                all += buffer[0..<n]
                usleep(all.count % 65536 == 0 ? 1000 : 0)
            }
            return all
        }
        try FileSystem.writeAll(fds[1], payload)
        close(fds[1])
        let bytes = await received.value
        close(fds[0])
        #expect(bytes == payload)
    }
}
