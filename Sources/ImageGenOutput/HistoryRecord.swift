import ImageGenCore
import ImageGenProviders

/// One generation as the history keeps it: one JSON line of
/// `history.jsonl`, in this order (members without a value are left out):
///
///     {"time":"2026-11-29T21:34:48Z","prompt":"a fox","model":"gpt-image-2",
///      "provider":"openai","operation":"edit","parameters":{"size":"1024x1024"},
///      "images":1,"files":[{"path":"/home/u/a-fox.png","sha256":"…","format":"png",
///      "width":1024,"height":1024,"bytes":1523311}],"urls":[…],"cost_usd":0.042,
///      "request_ids":["req_…"],"duration_s":12.5,"exit":0,"error":{"type":…,"message":…},
///      "batch":{"file":"prompts.txt","line":3},"imagegen":"0.9.0"}
///
/// `time` is when it finished (UTC); `operation` only for `imagegen edit`
/// (its task); `images` how many came back; `files` each one written, with
/// the SHA-256 of its bytes; `urls` the images not downloaded
/// (`--no-download`), signatures masked; `batch.line` is 1-based.
package struct HistoryRecord: Equatable, Sendable {
    package struct File: Equatable, Sendable {
        /// Absolute, so the record still finds it from another directory;
        /// `-` for an image written to standard output.
        package var path: String
        package var sha256: String?
        package var format: String?
        package var width: Int?
        package var height: Int?
        package var bytes: Int?

        package init(
            path: String, sha256: String? = nil, format: String? = nil, width: Int? = nil, height: Int? = nil,
            bytes: Int? = nil
        ) {
            self.path = path
            self.sha256 = sha256
            self.format = format
            self.width = width
            self.height = height
            self.bytes = bytes
        }
    }

    /// Unix seconds.
    package var time: Int
    package var prompt: String
    package var model: String
    /// Text, not `ProviderKind`: a history written by a newer imagegen may
    /// name providers this one does not know, and is still listed.
    package var provider: String
    package var operation: String?
    package var parameters: JSON
    package var images: Int
    package var files: [File]
    package var urls: [String]
    package var costMicros: Int?
    package var requestIDs: [String]
    package var durationMillis: Int?
    package var exit: Int
    /// `{"type", "message"}` of the first failure.
    package var error: JSON?
    package var batchFile: String?
    /// 1-based line number in the batch file.
    package var batchLine: Int?
    package var version: String?

    package init(
        time: Int, prompt: String, model: String, provider: String, parameters: JSON = .object([]),
        images: Int = 0, files: [File] = [], exit: Int = 0
    ) {
        self.time = time
        self.prompt = prompt
        self.model = model
        self.provider = provider
        self.operation = nil
        self.parameters = parameters
        self.images = images
        self.files = files
        self.urls = []
        self.costMicros = nil
        self.requestIDs = []
        self.durationMillis = nil
        self.exit = exit
        self.error = nil
        self.batchFile = nil
        self.batchLine = nil
        self.version = nil
    }

    /// The UTC day it finished, which `--cost` totals by.
    package var day: CalendarDate { CalendarDate(unixSeconds: time) }

    package var json: JSON {
        var members: [(String, JSON)] = [
            ("time", .string(UTCTime(time).iso8601)),
            ("prompt", .string(prompt)),
            ("model", .string(model)),
            ("provider", .string(provider)),
        ]
        if let operation { members.append(("operation", .string(operation))) }
        members += [
            ("parameters", parameters),
            ("images", .int(images)),
            ("files", .array(files.map(\.json))),
        ]
        if !urls.isEmpty { members.append(("urls", .array(urls.map(JSON.string)))) }
        if let costMicros { members.append(("cost_usd", PriceTable.dollars(costMicros))) }
        members.append(("request_ids", .array(requestIDs.map(JSON.string))))
        if let durationMillis { members.append(("duration_s", .number(Self.seconds(durationMillis)))) }
        members.append(("exit", .int(exit)))
        if let error { members.append(("error", error)) }
        if let batchFile, let batchLine {
            members.append(("batch", .object([("file", .string(batchFile)), ("line", .int(batchLine))])))
        }
        if let version { members.append(("imagegen", .string(version))) }
        return .object(members)
    }

    /// Reads a line back; nil when it is not a record (damaged, or not JSON).
    /// Members it does not know are ignored, so older versions read newer lines.
    package init?(json: JSON) {
        guard let timeText = json["time"]?.stringValue, let time = Timestamp.parse(timeText),
            let model = json["model"]?.stringValue, let provider = json["provider"]?.stringValue,
            let exit = json["exit"]?.intValue
        else { return nil }
        self.init(
            time: time, prompt: json["prompt"]?.stringValue ?? "", model: model, provider: provider,
            parameters: json["parameters"] ?? .object([]), images: json["images"]?.intValue ?? 0,
            files: (json["files"]?.arrayValue ?? []).compactMap(File.init(json:)), exit: exit)
        operation = json["operation"]?.stringValue
        urls = (json["urls"]?.arrayValue ?? []).compactMap(\.stringValue)
        costMicros = json["cost_usd"].flatMap(Self.micros)
        requestIDs = (json["request_ids"]?.arrayValue ?? []).compactMap(\.stringValue)
        if case .number(let text)? = json["duration_s"] {
            durationMillis = Self.micros(.number(text)).map { $0 / 1000 }
        }
        if let error = json["error"], case .object = error { self.error = error }
        batchFile = json["batch"]?["file"]?.stringValue
        batchLine = json["batch"]?["line"]?.intValue
        version = json["imagegen"]?.stringValue
    }

    /// `12.5` from 12500 ms, `0.042` from 42.
    package static func seconds(_ millis: Int) -> String {
        let millis = max(0, millis)
        let fraction = millis % 1000
        guard fraction != 0 else { return String(millis / 1000) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(millis / 1000).\(digits)"
    }

    /// A decimal number of dollars as micro-dollars, exactly (no Double):
    /// `0.042` → 42000. Nil for a negative, non-decimal or absurd amount.
    static func micros(_ json: JSON) -> Int? {
        guard case .number(let text) = json else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 9,
            whole.allSatisfy(\.isASCIIDigit), let dollars = Int(whole)
        else { return nil }
        var fraction = parts.count == 2 ? Substring(parts[1]) : ""
        guard fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        // Past a millionth is rounding noise; cut, as the price table never writes it.
        fraction = fraction.prefix(6)
        let padded = fraction + String(repeating: "0", count: 6 - fraction.count)
        return dollars * 1_000_000 + (Int(padded) ?? 0)
    }
}

extension HistoryRecord.File {
    var json: JSON {
        var members: [(String, JSON)] = [("path", .string(path))]
        if let sha256 { members.append(("sha256", .string(sha256))) }
        if let format { members.append(("format", .string(format))) }
        if let width { members.append(("width", .int(width))) }
        if let height { members.append(("height", .int(height))) }
        if let bytes { members.append(("bytes", .int(bytes))) }
        return .object(members)
    }

    init?(json: JSON) {
        guard let path = json["path"]?.stringValue else { return nil }
        self.init(
            path: path, sha256: json["sha256"]?.stringValue, format: json["format"]?.stringValue,
            width: json["width"]?.intValue, height: json["height"]?.intValue, bytes: json["bytes"]?.intValue)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension FieldCatalogue {
    /// `imagegen history --json`: a record's members, and each file's.
    package static let history = FieldCatalogue(
        spelling: "imagegen history --json",
        top: [
            "time", "prompt", "model", "provider", "operation", "parameters", "images", "files", "urls", "cost_usd",
            "request_ids", "duration_s", "exit", "error", "batch", "imagegen",
        ],
        itemsKey: "files",
        items: ["path", "sha256", "format", "width", "height", "bytes"])
}
