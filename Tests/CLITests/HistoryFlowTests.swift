import Foundation
import TestSupport
import Testing

@testable import ImageGenCLI
@testable import ImageGenCore
@testable import ImageGenHTTP
@testable import ImageGenOutput
@testable import ImageGenProviders

/// Every generation appended to the history, and `imagegen history` reading it.
@Suite struct HistoryFlowTests {
    static let png = Fixtures.bytes("rgb.png")
    static let usage = #"{"input_tokens":50,"output_tokens":4160,"total_tokens":4210}"#

    /// An OpenAI answer with one image, its usage and a request id.
    static func answer(_ id: String) -> ScriptedTransport.Reply {
        .status(
            200,
            json: #"{"created":1703658209,"data":[{"b64_json":"\#(Base64.encode(png))"}],"usage":\#(usage)}"#,
            headers: [HTTPHeader("x-request-id", id)])
    }

    static func environment(_ state: ScratchDirectory) -> [String: String] {
        ["OPENAI_API_KEY": InProcessRun.key, "XDG_STATE_HOME": state.path]
    }

    static func records(_ state: ScratchDirectory) throws -> [JSON] {
        let text = String(decoding: state.contents("imagegen/history.jsonl") ?? [], as: UTF8.self)
        return try text.split(separator: "\n").map { try JSON.parse(Array($0.utf8)) }
    }

    @Test func aGenerationIsRecordedWithItsFileHashCostAndRequestID() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        let run = InProcessRun(
            ["-m", "gpt-image-2", "--quality", "high", "-o", "DIR/", "a red kite"],
            environment: Self.environment(state)
        ) { _, _ in Self.answer("req_kite_1") }
        #expect(run.status == 0, "\(run.stderr)")
        let records = try Self.records(state)
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record["prompt"] == .string("a red kite"))
        #expect(record["model"] == .string("gpt-image-2"))
        #expect(record["provider"] == .string("openai"))
        #expect(record["parameters"] == .object([("quality", .string("high"))]))
        #expect(record["images"] == .int(1))
        #expect(record["request_ids"] == .array([.string("req_kite_1")]))
        #expect(record["exit"] == .int(0))
        #expect(record["cost_usd"] != nil)
        #expect(record["duration_s"] != nil)
        #expect(record["error"] == nil && record["batch"] == nil && record["operation"] == nil)
        let file = try #require(record["files"]?.arrayValue?.first)
        #expect(file["path"] == .string(run.path("a-red-kite.png")))
        let written = try #require(run.scratch.contents("a-red-kite.png"))
        #expect(file["sha256"] == .string(Crypto.sha256Hex(written)))
        #expect(file["bytes"] == .int(written.count))
        let text = String(decoding: state.contents("imagegen/history.jsonl") ?? [], as: UTF8.self)
        #expect(!text.contains(InProcessRun.key))
    }

    @Test func aBatchAppendsALinePerGenerationAndAFailureWithItsExitStatus() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        let batch = "a fox\nbad\nan owl\n"
        let run = InProcessRun(
            ["-m", "gpt-image-2", "--batch", "-", "-o", "DIR/"], environment: Self.environment(state), stdin: batch
        ) { request, number in
            String(decoding: request.body, as: UTF8.self).contains("\"bad\"")
                ? .openAIError(400, message: "Your request was rejected", code: "content_policy_violation")
                : Self.answer("req_\(number)")
        }
        #expect(run.status == 4)
        let records = try Self.records(state)
        #expect(records.count == 3)
        let byLine = Dictionary(uniqueKeysWithValues: records.map { ($0["batch"]?["line"]?.intValue ?? 0, $0) })
        #expect(Set(byLine.keys) == [1, 2, 3])
        #expect(records.allSatisfy { $0["batch"]?["file"] == .string("-") })
        let bad = try #require(byLine[2])
        #expect(bad["exit"] == .int(4))
        #expect(bad["images"] == .int(0) && bad["files"] == .array([]))
        #expect(bad["error"]?["type"] == .string("rejected"))
        #expect(bad["cost_usd"] == .int(0))  // a refused request costs nothing
        #expect(byLine[1]?["prompt"] == .string("a fox") && byLine[3]?["prompt"] == .string("an owl"))
    }

    @Test func noHistoryDryRunAndNoHomeWriteNothing() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        let off = InProcessRun(["--no-history", "-o", "DIR/", "a fox"], environment: Self.environment(state)) {
            _, _ in Self.answer("r")
        }
        #expect(off.status == 0)
        let dry = InProcessRun(["--dry-run", "a fox"], environment: Self.environment(state)) { _, _ in
            Self.answer("r")
        }
        #expect(dry.status == 0)
        #expect(!FileSystem.exists(state.sub("imagegen")))
        // Nowhere to keep it: the generation goes on without it, silently.
        let homeless = InProcessRun(["-o", "DIR/", "a fox"]) { _, _ in Self.answer("r") }
        #expect(homeless.status == 0 && homeless.stderr.isEmpty)
    }

    @Test func aConfigurationSettingTurnsTheHistoryOff() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        try FileManager.default.createDirectory(atPath: state.sub("config/imagegen"), withIntermediateDirectories: true)
        state.write("config/imagegen/config", Array("[default]\nhistory = false\n".utf8))
        var environment = Self.environment(state)
        environment["XDG_CONFIG_HOME"] = state.sub("config")
        let off = InProcessRun(["-o", "DIR/", "a fox"], environment: environment) { _, _ in Self.answer("r") }
        #expect(off.status == 0, "\(off.stderr)")
        #expect(!FileSystem.exists(state.sub("imagegen")))
        state.write("config/imagegen/config", Array("[default]\nhistory = true\n".utf8))
        let on = InProcessRun(["-o", "DIR/", "a fox"], environment: environment) { _, _ in Self.answer("r") }
        #expect(on.status == 0, "\(on.stderr)")
        #expect(try Self.records(state).count == 1)
        // The history is one file whatever the profile: the selectors are accepted and change nothing.
        let listed = InProcessRun(["history", "--profile", "work", "--quiet"], environment: environment) { _, _ in
            .status(500)
        }
        #expect(listed.status == 0 && listed.stdout.hasSuffix("ok  a fox\n  " + on.path("a-fox.png") + "\n"))
    }

    @Test func aHistoryThatCannotBeWrittenWarnsButNeverFailsTheGeneration() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        state.write("imagegen", [1])  // a file where the directory should be
        let run = InProcessRun(["-o", "DIR/", "a fox"], environment: Self.environment(state)) { _, _ in
            Self.answer("r")
        }
        #expect(run.status == 0)
        #expect(run.files == ["a-fox.png"])
        #expect(run.stdout == run.path("a-fox.png") + "\n")
        #expect(run.stderr.contains("imagegen: cannot write the history \(state.path)/imagegen/history.jsonl: "))
        #expect(run.stderr.contains("--no-history"))
        let quiet = InProcessRun(["--quiet", "-o", "DIR/", "a fox"], environment: Self.environment(state)) { _, _ in
            Self.answer("r")
        }
        #expect(quiet.status == 0 && quiet.stderr.isEmpty)
    }

    @Test func anEditRecordsItsTaskAndURLsLoseTheirSignatures() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        state.write("photo.png", TestPNG.make(width: 8, height: 8))
        let edit = InProcessRun(
            ["edit", "-m", "gpt-image-2", "--image", state.sub("photo.png"), "-o", "DIR/", "add", "a", "hat"],
            environment: Self.environment(state)
        ) { _, _ in Self.answer("req_edit") }
        #expect(edit.status == 0, "\(edit.stderr)")
        let signed = "https://cdn.example.com/img/a.png?se=2026-11-30&sp=r&sig=SECRETSIGNATURE123"
        let urls = InProcessRun(
            ["--no-download", "-m", "dall-e-3", "--api-base", InProcessRun.compatibleServer, "a pier"],
            environment: Self.environment(state)
        ) { _, _ in .openAIURLs([signed]) }
        #expect(urls.status == 0, "\(urls.stderr)")
        let records = try Self.records(state)
        #expect(records.count == 2)
        #expect(records[0]["operation"] == .string("edit"))
        #expect(records[0]["prompt"] == .string("add a hat"))
        #expect(records[1]["files"] == .array([]))
        let url = try #require(records[1]["urls"]?.arrayValue?.first?.stringValue)
        #expect(url.hasPrefix("https://cdn.example.com/img/a.png?") && !url.contains("SECRETSIGNATURE123"))
    }

    @Test func aBatchUnderAFieldSelectionKeepsEachLinesIndexAndError() throws {
        let run = InProcessRun(
            ["-m", "gpt-image-2", "--batch", "-", "--json=file,cost_usd", "-o", "DIR/"], stdin: "a fox\nbad\n"
        ) { request, number in
            String(decoding: request.body, as: UTF8.self).contains("\"bad\"")
                ? .openAIError(400, message: "Your request was rejected", code: "content_policy_violation")
                : Self.answer("req_\(number)")
        }
        #expect(run.status == 4)
        let lines = try run.stdout.split(separator: "\n").map { try JSON.parse(Array($0.utf8)) }
        let documents = lines.filter { $0["summary"] == nil }
        #expect(documents.count == 2)
        #expect(documents[0]["index"] == .int(0))
        #expect(documents[0]["data"] == .array([.object([("file", .string(run.path("a-fox.png")))])]))
        #expect(documents[0]["cost_usd"] != nil && documents[0]["usage"] == nil && documents[0]["model"] == nil)
        #expect(documents[1]["index"] == .int(1))
        #expect(documents[1]["error"]?["type"] == .string("rejected"))
    }

    // MARK: - imagegen history

    /// A history of four generations over two days, one failed, one at an unknown price.
    static func sampleHistory(_ state: ScratchDirectory) {
        func record(
            _ time: String, _ prompt: String, _ model: String, cost: Int?, images: Int = 1, exit: Int = 0
        )
            -> HistoryRecord
        {
            var record = HistoryRecord(
                time: Timestamp.parse(time)!, prompt: prompt, model: model,
                provider: model.hasPrefix("stability") ? "bedrock" : "openai", images: images,
                files: (0..<images).map {
                    HistoryRecord.File(path: "/out/\(prompt.replacing(" ", with: "-"))-\($0).png")
                },
                exit: exit)
            record.costMicros = cost
            record.durationMillis = 1500
            if exit != 0 { record.error = .object([("type", .string("rejected")), ("message", .string("no"))]) }
            return record
        }
        let records = [
            record("2026-11-28T09:00:00Z", "a fox", "gpt-image-2", cost: 42_000),
            record("2026-11-28T10:00:00Z", "two owls", "gpt-image-2", cost: 84_000, images: 2),
            record("2026-11-29T08:00:00Z", "a \u{1B}[31mred\u{1B}[0m pier", "stability.sd3-5-large-v1:0", cost: nil),
            record("2026-11-29T09:00:00Z", "bad", "gpt-image-2", cost: nil, images: 0, exit: 4),
        ]
        var bytes = records.flatMap { HistoryLog.line($0, redactor: Redactor()) }
        bytes += Array("{\"torn\n".utf8)
        state.write("imagegen/history.jsonl", bytes)
    }

    static func history(_ arguments: [String], _ state: ScratchDirectory) -> InProcessRun {
        InProcessRun(["history"] + arguments, environment: ["XDG_STATE_HOME": state.path]) { _, _ in
            Issue.record("imagegen history sends nothing")
            return .status(500)
        }
    }

    @Test func listsGenerationsOldestFirstForPeople() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        try FileManager.default.createDirectory(atPath: state.sub("imagegen"), withIntermediateDirectories: true)
        Self.sampleHistory(state)
        let run = Self.history([], state)
        #expect(run.status == 0)
        #expect(
            run.stdout == """
                2026-11-28 09:00:00  gpt-image-2  $0.042  1.5s  ok  a fox
                  /out/a-fox-0.png
                2026-11-28 10:00:00  gpt-image-2  $0.084  1.5s  ok  two owls
                  /out/two-owls-0.png
                  /out/two-owls-1.png
                2026-11-29 08:00:00  bedrock/stability.sd3-5-large-v1:0  -  1.5s  ok  a red pier
                  /out/a-red-pier-0.png
                2026-11-29 09:00:00  gpt-image-2  -  1.5s  exit 4  bad
                  error: no

                """)
        #expect(
            run.stderr
                == "imagegen: skipped 1 line of \(state.path)/imagegen/history.jsonl that are not whole history records\n"
        )
    }

    @Test func filtersByCountDateAndModel() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        try FileManager.default.createDirectory(atPath: state.sub("imagegen"), withIntermediateDirectories: true)
        Self.sampleHistory(state)
        func prompts(_ arguments: [String]) throws -> [String] {
            let run = Self.history(arguments + ["--json", "--quiet"], state)
            #expect(run.status == 0 && run.stderr.isEmpty)
            return try run.stdout.split(separator: "\n").map {
                try JSON.parse(Array($0.utf8))["prompt"]?.stringValue ?? ""
            }
        }
        #expect(try prompts(["-n", "2"]) == ["a \u{1B}[31mred\u{1B}[0m pier", "bad"])
        #expect(try prompts(["--since", "2026-11-29"]).count == 2)
        #expect(try prompts(["--since", "2026-11-28T09:30:00Z", "-n", "1"]) == ["bad"])
        #expect(try prompts(["--model", "gpt-image-2", "-n", "2"]) == ["two owls", "bad"])
        #expect(try prompts(["--model", "bedrock/stability.sd3-5-large-v1:0"]).count == 1)
        #expect(try prompts(["--provider", "bedrock"]).count == 1)
        #expect(try prompts(["--model", "dall-e-3"]).isEmpty)
    }

    @Test func jsonFieldsSelectFromEachRecord() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        try FileManager.default.createDirectory(atPath: state.sub("imagegen"), withIntermediateDirectories: true)
        Self.sampleHistory(state)
        let run = Self.history(["-n", "2", "--json", "prompt,cost_usd,path", "--quiet"], state)
        #expect(run.status == 0)
        #expect(
            run.stdout == #"""
                {"prompt":"a \u001b[31mred\u001b[0m pier","files":[{"path":"/out/a-\u001b[31mred\u001b[0m-pier-0.png"}]}
                {"prompt":"bad","files":[]}

                """#)
    }

    @Test func costTotalsPerDayAndModel() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        try FileManager.default.createDirectory(atPath: state.sub("imagegen"), withIntermediateDirectories: true)
        Self.sampleHistory(state)
        let table = Self.history(["--cost", "--quiet"], state)
        #expect(table.status == 0)
        #expect(
            table.stdout == """
                DAY         PROVIDER  MODEL                       GENERATIONS  IMAGES  COST_USD
                2026-11-28  openai    gpt-image-2                           2       3     0.126
                2026-11-29  bedrock   stability.sd3-5-large-v1:0            1       1     0.000
                2026-11-29  openai    gpt-image-2                           1       0     0.000
                total                                                       4       4     0.126
                1 generation made images at no known price; they are not in COST_USD

                """)
        let json = Self.history(["--cost", "--json", "--quiet"], state)
        #expect(
            json.stdout == #"""
                {"day":"2026-11-28","provider":"openai","model":"gpt-image-2","generations":2,"images":3,"cost_usd":0.126,"unpriced":0}
                {"day":"2026-11-29","provider":"bedrock","model":"stability.sd3-5-large-v1:0","generations":1,"images":1,"cost_usd":0,"unpriced":1}
                {"day":"2026-11-29","provider":"openai","model":"gpt-image-2","generations":1,"images":0,"cost_usd":0,"unpriced":0}

                """#)
        let since = Self.history(["--cost", "--since", "2026-11-29", "--json=model,cost_usd", "--quiet"], state)
        #expect(
            since.stdout == #"""
                {"model":"stability.sd3-5-large-v1:0","cost_usd":0}
                {"model":"gpt-image-2","cost_usd":0}

                """#)
    }

    @Test func anEmptyHistorySaysSo() throws {
        let state = ScratchDirectory()
        defer { state.remove() }
        let run = Self.history([], state)
        #expect(run.status == 0 && run.stdout.isEmpty)
        #expect(run.stderr.contains("no history yet: \(state.path)/imagegen/history.jsonl"))
        let homeless = InProcessRun(["history"], environment: [:]) { _, _ in .status(500) }
        #expect(homeless.status == 3)
        #expect(homeless.stderr.contains("neither XDG_STATE_HOME nor HOME"))
    }

    @Test func costTotalsAddUpWithoutOverflow() {
        var totals = CostTotals()
        var record = HistoryRecord(time: 0, prompt: "", model: "m", provider: "openai", images: 1)
        record.costMicros = Int.max - 1
        totals.add(record)
        totals.add(record)
        #expect(totals.rows.first?.costMicros == Int.max)
        #expect(totals.rows.first?.generations == 2)
    }
}
