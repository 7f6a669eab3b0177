import Foundation
import TestSupport
import Testing

/// Random argument vectors with --dry-run never crash the binary; it exits 0, 2 or 3
/// (or 7 from --inspect, which reads the files it is given instead of generating).
/// The generator is seeded, so a failure names a vector that reproduces.
@Suite struct FuzzTests {
    static let seed: UInt64 = 0x1_6E6_0005
    static let vectorCount = 300

    @Test func randomArgumentsNeverCrashADryRun() async throws {
        let t = try await E2E()
        // A key, and an api base where nothing listens: a dry run must not need either to answer.
        let environment = ["OPENAI_API_KEY": "sk-fuzz-key-2b7e1516", "OPENAI_API_BASE": "http://127.0.0.1:1/v1"]
        var generator = SplitMix64(seed: Self.seed)
        let vectors = (0..<Self.vectorCount).map { _ in ArgumentFuzzer.vector(using: &generator) }

        // Two at a time (the machine has two cores): 300 runs in a few seconds.
        let results = try await Imagegen.runAll(
            vectors.map { ["--dry-run"] + $0 }, env: environment, cwd: t.cwd,
            home: t.home, scratch: t.root, width: 2)
        var failures: [String] = []
        for (index, result) in results.enumerated() {
            let vector = vectors[index].debugDescription
            if let signal = result.signal {
                failures.append("vector \(index) \(vector) → killed by signal \(signal)")
            } else if ![0, 2, 3].contains(result.status),
                // --inspect reads its files instead of generating: a missing one is exit 7.
                !(result.status == 7 && vectors[index].contains { $0.hasPrefix("--inspect") })
            {
                failures.append("vector \(index) \(vector) → exit \(result.status): \(result.stderr.prefix(300))")
            } else if result.status != 0, !result.stderr.hasPrefix("imagegen: ") {
                failures.append(
                    "vector \(index) \(vector) → exit \(result.status) without an "
                        + "imagegen: message: \(result.stderr.prefix(300))")
            }
            if result.stdout.contains(environment["OPENAI_API_KEY"]!)
                || result.stderr.contains(environment["OPENAI_API_KEY"]!)
            {
                failures.append("vector \(index) \(vector) printed the key")
            }
        }
        let report = failures.joined(separator: "\n")
        #expect(failures.isEmpty, "\(failures.count) of \(vectors.count) vectors:\n\(report)")
        #expect(try await t.fake.requests().isEmpty)
        #expect(t.files().isEmpty, "a dry run wrote \(t.files())")
    }
}

/// Argument vectors built from option names (real, misspelt and unknown), values of every
/// wrong shape, and separators.
enum ArgumentFuzzer {
    static let options = [
        "-m", "--model", "-n", "--n", "-s", "--size", "--quality", "--style", "--response-format", "--user",
        "--provider", "--param", "--api-base", "--api-version", "--organization", "--timeout",
        "--max-retries", "--aws-region", "--aws-access-key-id", "--aws-profile", "--cacert", "-o", "--output",
        "--no-download", "--force", "--json", "--no-metadata", "--quiet", "-v", "--verbose", "--batch",
        "--concurrency", "--max-cost", "--preview", "--inspect", "--dry-run",
        "--frobnicate", "-x", "-nv", "-vn", "---model", "--Model", "--model=", "--size=", "-n=3", "--timeout=",
        "--param=", "--no-", "--", "-", "=", "--=", "-=",
    ]
    static let values = [
        "", " ", "0", "-1", "1", "2", "10", "11", "4294967296", "99999999999999999999", "1e3", "0x10", "NaN",
        "inf", "-0", "3.5", "abc", "1024x1024", "512x512", "1792x1024", "x", "0x0", "-5x-5", "1024x", "auto",
        "hd", "vivid", "url", "b64_json", "dall-e-2", "dall-e-3", "gpt-image-1", "openai/x", "azure/dep",
        "bedrock/amazon.titan-image-generator-v2:0", "stability.sd3-large-v1:0", "openai", "azure", "bedrock",
        "nope", "seed=42", "k=", "=v", "k={\"a\":[1,2]}", "k=[", "http://", "ftp://example.com",
        "http://127.0.0.1:1/v1", "/nonexistent/file.pem", "out/", "a.png", "{i}.png", "-", "--", "=",
        "\u{1F98A} Fuchs", "日本語のプロンプト", "e\u{301}", "\u{202E}reversed", "tab\there", "new\nline",
        "quote\"s", "back\\slash", "\u{FEFF}bom", "a fox", "-a fox", "--a fox",
    ]

    static func vector(using rng: inout SplitMix64) -> [String] {
        let count = Int(rng.next() % 7)
        return (0..<count).map { _ in token(using: &rng) }
    }

    static func token(using rng: inout SplitMix64) -> String {
        switch rng.next() % 10 {
        case 0, 1, 2, 3: return options[Int(rng.next() % UInt64(options.count))]
        case 4, 5, 6: return values[Int(rng.next() % UInt64(values.count))]
        case 7:
            return options[Int(rng.next() % UInt64(options.count))] + "="
                + values[Int(rng.next() % UInt64(values.count))]
        case 8:
            return String(
                repeating: ["a", "é", "\u{1F98A}", "-", "x"][Int(rng.next() % 5)],
                count: Int(rng.next() % 1500) + 1)
        default:
            // Random scalars, no NUL (an argv entry cannot hold one).
            let length = Int(rng.next() % 12)
            var text = ""
            for _ in 0..<length {
                let value = UInt32(rng.next() % 0x2_0000)
                if value != 0, let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
            }
            return text
        }
    }
}

/// A tiny seeded generator, so every run tries the same vectors.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
