import Foundation
import TestSupport
import Testing

/// The history the built binary keeps in a scratch XDG_STATE_HOME, what
/// `imagegen history` makes of it, and lean `--json` through jq.
@Suite struct HistoryEndToEndTests {
    static func environment(_ t: E2E) -> [String: String] {
        t.standardEnvironment.merging(["XDG_STATE_HOME": t.root.appendingPathComponent("state").path]) { $1 }
    }

    static func historyURL(_ t: E2E) -> URL {
        t.root.appendingPathComponent("state/imagegen/history.jsonl")
    }

    static func records(_ t: E2E) throws -> [[String: Any]] {
        let text = (try? String(contentsOf: historyURL(t), encoding: .utf8)) ?? ""
        return try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
    }

    static func mode(_ url: URL) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int
    }

    @Test func aGenerationIsRecordedPrivatelyWithoutTheKeyAndListed() async throws {
        let t = try await E2E()
        let env = Self.environment(t)
        let made = try await t.run(["-m", "gpt-image-1", "--quality", "high", "-o", "out/", "a red kite"], env: env)
        #expect(made.status == 0, "\(made.stderr)")
        let post = try #require(try await t.fake.generationRequests().first)

        #expect(try Self.mode(Self.historyURL(t)) == 0o600)
        #expect(try Self.mode(Self.historyURL(t).deletingLastPathComponent()) == 0o700)
        let raw = try String(contentsOf: Self.historyURL(t), encoding: .utf8)
        #expect(!raw.contains(t.fake.apiKey))
        let record = try #require(try Self.records(t).first)
        #expect(record["prompt"] as? String == "a red kite")
        #expect(record["model"] as? String == "gpt-image-1")
        #expect(record["provider"] as? String == "openai")
        #expect(record["exit"] as? Int == 0)
        // As the --json document would have it: from the usage the fake reported.
        let costText = try #require(
            raw.firstRange(of: #""cost_usd":"#).map { raw[$0.upperBound...].prefix { $0 != "," } })
        #expect(Double(costText).map { $0 > 0.16 && $0 < 0.17 } == true, "\(costText)")
        #expect(record["request_ids"] as? [String] == [try #require(post.requestID)])
        #expect((record["parameters"] as? [String: Any])?["quality"] as? String == "high")
        #expect(record["duration_s"] is Double || record["duration_s"] is Int)
        let file = try #require((record["files"] as? [[String: Any]])?.first)
        let path = try #require(file["path"] as? String)
        #expect(path == t.cwd.appendingPathComponent("out/a-red-kite.png").path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let sum = try await ChildProcess.run(["/usr/bin/sha256sum", path], within: .seconds(30))
        #expect(
            file["sha256"] as? String
                == String(decoding: sum.stdout, as: UTF8.self).split(separator: " ").first.map(String.init))
        #expect(file["bytes"] as? Int == bytes.count)

        let listed = try await t.run(["history"], env: env)
        #expect(listed.status == 0)
        #expect(listed.lines.count == 2, "\(listed.stdout)")
        let line = try #require(listed.lines.first)
        #expect(line.contains("  gpt-image-1  $\(costText)  ") && line.hasSuffix("s  ok  a red kite"), "\(line)")
        #expect(listed.lines.last == "  " + path)

        let json = try await t.run(["history", "--json", "prompt,cost_usd"], env: env)
        #expect(json.stdout == #"{"prompt":"a red kite","cost_usd":"# + costText + "}\n")
        let cost = try await t.run(["history", "--cost"], env: env)
        let day = String(raw.dropFirst(9).prefix(10))  // {"time":"YYYY-MM-DD…
        #expect(cost.lines.count == 3, "\(cost.stdout)")
        #expect(cost.lines.first == "DAY         PROVIDER  MODEL        GENERATIONS  IMAGES  COST_USD")
        #expect(cost.lines.dropFirst().first?.hasPrefix(day + "  openai    gpt-image-1            1       1") == true)
        #expect(cost.lines.allSatisfy { $0.hasPrefix("DAY") || $0.hasSuffix(" " + costText) }, "\(cost.stdout)")
        #expect(cost.lines.last?.hasPrefix("total ") == true)
        let later = try await t.run(["history", "--since", "2999-01-01"], env: env)
        #expect(later.status == 0 && later.stdout.isEmpty)
        #expect(later.stderr.contains("no generation in the history matches"))
        let bad = try await t.run(["history", "--since", "last week"], env: env)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("option '--since' expects a date, YYYY-MM-DD"))
    }

    @Test func noHistoryAndDryRunWriteNothing() async throws {
        let t = try await E2E()
        let env = Self.environment(t)
        #expect(try await t.run(["--no-history", "a fox"], env: env).status == 0)
        #expect(try await t.run(["--dry-run", "a fox"], env: env).status == 0)
        #expect(!FileManager.default.fileExists(atPath: t.root.appendingPathComponent("state").path))
        // Without XDG_STATE_HOME, the history is in HOME.
        #expect(try await t.run(["-o", "out/", "a fox"]).status == 0)
        let home = t.home.appendingPathComponent(".local/state/imagegen/history.jsonl")
        #expect(FileManager.default.fileExists(atPath: home.path))
    }

    /// Two batches at once appending to one history: every line is whole.
    @Test func twoConcurrentBatchesNeverInterleave() async throws {
        let t = try await E2E()
        let env = Self.environment(t)
        let padding = Array(repeating: "with a long winding description", count: 25).joined(separator: " ")
        for name in ["a", "b"] {
            let prompts = (1...20).map { "\(name) \($0) \(padding)" }
            try (prompts.joined(separator: "\n") + "\n").write(
                to: t.cwd.appendingPathComponent("\(name).txt"), atomically: true, encoding: .utf8)
        }
        let scratch = t.root.appendingPathComponent("runs")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let results = try await Imagegen.runAll(
            ["a", "b"].map { ["--batch", "\($0).txt", "-s", "256x256", "--concurrency", "4", "-o", "\($0)/"] },
            env: env, cwd: t.cwd, home: t.home, scratch: scratch, width: 2)
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let raw = try String(contentsOf: Self.historyURL(t), encoding: .utf8)
        #expect(raw.hasSuffix("\n"))
        let records = try Self.records(t)
        #expect(records.count == 40)
        let seen = Set(records.compactMap { $0["prompt"] as? String })
        let expected = Set(["a", "b"].flatMap { name in (1...20).map { "\(name) \($0) \(padding)" } })
        #expect(seen == expected)
        #expect(records.allSatisfy { ($0["files"] as? [[String: Any]])?.count == 1 })
        #expect(!raw.contains(t.fake.apiKey))
        let listed = try await t.run(["history", "--json", "-n", "40", "--quiet"], env: env)
        #expect(listed.lines.count == 40 && listed.stderr.isEmpty)
    }

    @Test func jsonFieldsThroughJq() async throws {
        let t = try await E2E()
        var env = Self.environment(t)
        env["PATH"] = "/usr/local/bin:/usr/bin:/bin"
        env["HOME"] = t.home.path
        let command = "'\(Imagegen.binary.path)' -s 256x256 -o out/ --json file,width 'a fox' | jq -c ."
        let outcome = try await ChildProcess.run(
            ["/bin/sh", "-c", command], environment: env, cwd: t.cwd, stdin: .null, within: .seconds(30))
        #expect(outcome.termination == .exited(0))
        let text = String(decoding: outcome.stdout, as: UTF8.self)
        #expect(text == #"{"data":[{"file":"out/a-fox.png","width":256}]}"# + "\n", "\(text)")
        let document = try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any])
        #expect(Array(document.keys) == ["data"])
        let item = try #require((document["data"] as? [[String: Any]])?.first)
        #expect(Set(item.keys) == ["file", "width"])
        #expect(item["width"] as? Int == 256)
    }

    @Test func jsonSelectionWithAPromptAndTheAmbiguousCase() async throws {
        let t = try await E2E()
        let env = Self.environment(t)
        let selected = try await t.run(["--json", "file,cost_usd", "-s", "256x256", "-o", "out/", "a fox"], env: env)
        #expect(selected.status == 0, "\(selected.stderr)")
        #expect(selected.json?["cost_usd"] as? Double == 0.016)
        #expect((selected.json?["data"] as? [[String: Any]])?.first?["file"] as? String == "out/a-fox.png")
        #expect(selected.json?.count == 2)

        let ambiguous = try await t.run(["--json", "model", "of", "a", "ship"], env: env)
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stderr.contains("write --json=model"))
        let unknown = try await t.run(["--json=fle", "a fox"], env: env)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown --json field 'fle' (did you mean 'file'?); the fields are: created"))
        #expect(try await t.fake.generationRequests().count == 1)
    }

    @Test func inspectGivesParametersAsAnObject() async throws {
        let t = try await E2E()
        let made = try await t.run(["-s", "256x256", "-o", "kite.png", "a kite"], env: Self.environment(t))
        #expect(made.status == 0, "\(made.stderr)")
        let inspected = try await t.run(["inspect", "--json", "kite.png"])
        #expect(inspected.status == 0)
        let metadata = try #require(inspected.json?["metadata"] as? [String: Any])
        #expect((metadata["parameters"] as? [String: Any])?["size"] as? String == "256x256")
        #expect(metadata["prompt"] as? String == "a kite")
        let lean = try await t.run(["inspect", "--json=width,height", "kite.png"])
        #expect(lean.stdout == #"{"width":256,"height":256}"# + "\n")
    }
}
