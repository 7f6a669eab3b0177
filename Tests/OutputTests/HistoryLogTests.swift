import Foundation
import TestSupport
import Testing

@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenOutput

/// The history's records, the file they go into, and reading it back.
@Suite struct HistoryLogTests {
    static func record(prompt: String = "a fox", time: Int = 1_795_950_000) -> HistoryRecord {
        var record = HistoryRecord(
            time: time, prompt: prompt, model: "gpt-image-2", provider: "openai",
            parameters: .object([("size", .string("1024x1024")), ("quality", .string("high"))]), images: 1,
            files: [
                HistoryRecord.File(
                    path: "/home/u/a-fox.png", sha256: String(repeating: "ab", count: 32), format: "png", width: 1024,
                    height: 1024, bytes: 1_523_311)
            ])
        record.costMicros = 42_000
        record.requestIDs = ["req_123"]
        record.durationMillis = 12_500
        record.batchFile = "/home/u/prompts.txt"
        record.batchLine = 3
        record.version = "0.1.0"
        return record
    }

    @Test func encodesOneCompactLineInAFixedOrder() {
        #expect(
            Self.record().json.text
                == #"{"time":"2026-11-29T11:00:00Z","prompt":"a fox","model":"gpt-image-2","provider":"openai","parameters":{"size":"1024x1024","quality":"high"},"images":1,"files":[{"path":"/home/u/a-fox.png","sha256":"\#(String(repeating: "ab", count: 32))","format":"png","width":1024,"height":1024,"bytes":1523311}],"cost_usd":0.042,"request_ids":["req_123"],"duration_s":12.5,"exit":0,"batch":{"file":"/home/u/prompts.txt","line":3},"imagegen":"0.1.0"}"#
        )
    }

    @Test func decodesWhatItEncodes() throws {
        var failed = Self.record(prompt: "line one\nline \"two\"")
        failed.exit = 4
        failed.error = .object([("type", .string("rejected")), ("message", .string("no"))])
        failed.operation = "inpaint"
        failed.urls = ["https://example.com/a.png?sig=REDACTED"]
        failed.costMicros = nil
        for record in [Self.record(), failed] {
            let line = HistoryLog.line(record, redactor: Redactor())
            #expect(line.last == UInt8(ascii: "\n") && line.dropLast().allSatisfy { $0 != UInt8(ascii: "\n") })
            let read = try #require(HistoryRecord(json: try JSON.parse(Array(line.dropLast()))))
            #expect(read == record)
        }
    }

    @Test func readsLinesOfOtherVersionsAndRefusesOthers() throws {
        // A newer imagegen's member and provider are no obstacle.
        let newer = try JSON.parse(
            #"{"time":"2026-12-01T00:00:00Z","model":"imagen-4","provider":"google","exit":0,"colour":"blue"}"#)
        let record = try #require(HistoryRecord(json: newer))
        #expect(record.provider == "google" && record.prompt == "" && record.files.isEmpty)
        for text in [
            #"{"model":"m","provider":"p","exit":0}"#, #"{"time":"yesterday","model":"m","provider":"p","exit":0}"#,
            #"[1,2]"#, #"{"time":"2026-12-01T00:00:00Z","provider":"p","exit":0}"#,
        ] {
            #expect(HistoryRecord(json: try JSON.parse(text)) == nil, "\(text)")
        }
    }

    @Test func moneyAndTimeReadBackExactly() {
        #expect(HistoryRecord.micros(.number("0.042")) == 42_000)
        #expect(HistoryRecord.micros(.number("12")) == 12_000_000)
        #expect(HistoryRecord.micros(.number("0.0000019")) == 1)
        for bad in ["-1", "1e3", ".5", "5.", "99999999999999"] {
            #expect(HistoryRecord.micros(.number(bad)) == nil, "\(bad)")
        }
        #expect(HistoryRecord.seconds(12_500) == "12.5")
        #expect(HistoryRecord.seconds(42) == "0.042")
        #expect(HistoryRecord.seconds(3_000) == "3")
    }

    @Test func secretsNeverReachTheLine() {
        var record = Self.record(prompt: "draw sk-live-secret-123 as a cat")
        record.error = .object([("message", .string("bad key sk-live-secret-123"))])
        let redactor = Redactor()
        redactor.learn("sk-live-secret-123")
        let text = String(decoding: HistoryLog.line(record, redactor: redactor), as: UTF8.self)
        #expect(!text.contains("sk-live-secret-123"))
    }

    @Test func aHugePromptIsCutToKeepTheLineReadable() throws {
        let record = Self.record(prompt: String(repeating: "fox ", count: 400_000))
        let line = HistoryLog.line(record, redactor: Redactor())
        #expect(line.count < HistoryLog.maximumLineBytes)
        let read = try #require(HistoryRecord(json: try JSON.parse(Array(line.dropLast()))))
        #expect(read.prompt.hasSuffix("…") && read.prompt.utf8.count < 70_000)
    }

    @Test func pathFollowsXDG() {
        #expect(
            HistoryLog.path(environment: Environment(["XDG_STATE_HOME": "/s/", "HOME": "/h"]))
                == "/s/imagegen/history.jsonl")
        #expect(HistoryLog.path(environment: Environment(["HOME": "/h"])) == "/h/.local/state/imagegen/history.jsonl")
        #expect(
            HistoryLog.path(environment: Environment(["XDG_STATE_HOME": "relative", "HOME": "/h"]))
                == "/h/.local/state/imagegen/history.jsonl")
        #expect(HistoryLog.path(environment: Environment([:])) == nil)
    }

    @Test func writerCreatesAPrivateFileInAPrivateDirectoryOnFirstRecord() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let path = scratch.path + "/state/imagegen/history.jsonl"
        let writer = HistoryLog.Writer(path: path, redactor: Redactor())
        #expect(!FileSystem.exists(scratch.path + "/state"), "nothing is created before a record")
        writer.append(Self.record())
        writer.append(Self.record(prompt: "an owl"))
        #expect(writer.failure == nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        for directory in ["/state", "/state/imagegen"] {
            let mode = try FileManager.default.attributesOfItem(atPath: scratch.path + directory)[.posixPermissions]
            #expect((mode as? Int) == 0o700, "\(directory)")
        }
        var prompts: [String] = []
        let summary = try HistoryLog.read(path) { prompts.append($0.prompt) }
        #expect(prompts == ["a fox", "an owl"])
        #expect(summary.skipped == 0)
    }

    @Test func aHistoryThatCannotBeWrittenIsSaidOnceAndNeverThrows() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        scratch.write("state", [1])  // a file where the directory should be
        let writer = HistoryLog.Writer(path: scratch.path + "/state/imagegen/history.jsonl", redactor: Redactor())
        writer.append(Self.record())
        writer.append(Self.record())
        #expect(writer.failure == "Not a directory")
    }

    @Test func readingSkipsTornDamagedAndOverlongLines() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        let good = HistoryLog.line(Self.record(), redactor: Redactor())
        var file: [UInt8] = good
        file += Array("{\"time\":\"2026-11-29T11:00:00Z\",\"mod\n".utf8)  // torn by a full disk
        file += Array("not json at all\n\n".utf8)
        file += [UInt8](repeating: UInt8(ascii: "x"), count: HistoryLog.maximumLineBytes + 10) + [10]
        file += HistoryLog.line(Self.record(prompt: "an owl"), redactor: Redactor())
        file += good.dropLast()  // the last line without its newline, whole: still a record
        scratch.write("history.jsonl", file)
        var prompts: [String] = []
        let summary = try HistoryLog.read(scratch.sub("history.jsonl")) { prompts.append($0.prompt) }
        #expect(prompts == ["a fox", "an owl", "a fox"])
        #expect(summary.skipped == 3)
    }

    @Test func aMissingHistoryIsEmptyAndAFIFOIsRefused() throws {
        let scratch = ScratchDirectory()
        defer { scratch.remove() }
        #expect(try HistoryLog.read(scratch.sub("none.jsonl")) { _ in Issue.record("no record") } == .init())
        #expect(mkfifo(scratch.sub("fifo"), 0o600) == 0)
        #expect(throws: ImageGenError.self) { try HistoryLog.read(scratch.sub("fifo")) { _ in } }
        let writer = HistoryLog.Writer(path: scratch.sub("fifo"), redactor: Redactor())
        writer.append(Self.record())
        #expect(writer.failure == "it is not a regular file")
    }
}
