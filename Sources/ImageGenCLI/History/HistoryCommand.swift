import ImageGenCore
import ImageGenOutput
import ImageGenProviders

/// What `imagegen history` was asked for.
package struct HistoryQuery: Equatable, Sendable {
    /// `-n N`: only the last N generations that pass the filters.
    package var limit: Int?
    /// `--since DATE`, Unix seconds.
    package var since: Int?
    /// `--model M`: the model as sent (`gpt-image-2`) or with its provider (`azure/art`).
    package var model: String?
    package var provider: ProviderKind?
    /// `--cost`: totals per day and model.
    package var cost = false
    package var json = false
    package var fields: FieldSelection?
    package var quiet = false

    package init() {}

    init(_ parsed: ParsedArguments) throws(ImageGenError) {
        if let word = parsed.words.first {
            throw .usage(
                "imagegen history takes no words, got '\(word)'; to filter: imagegen history --model M --since DATE")
        }
        let options = parsed.options
        limit = options.parameters.n
        since = options.since
        model = options.model
        provider = options.provider
        cost = options.costSummary
        json = options.output.json
        fields = options.output.fields
        quiet = options.output.quiet
        var others = options
        others.parameters.n = nil
        (others.since, others.model, others.provider, others.costSummary) = (nil, nil, nil, false)
        (others.output.json, others.output.fields, others.output.quiet) = (false, nil, false)
        // The history is one file whatever the configuration: its selectors change nothing here.
        (others.configFile, others.profile) = (nil, nil)
        guard others == Options() else {
            throw .usage(
                "imagegen history takes only -n N, --since DATE, --model M, --provider NAME, --cost, --json "
                    + "and --quiet")
        }
        if let fields { try (cost ? FieldCatalogue.historyCost : .history).check(fields) }
    }

    func matches(_ record: HistoryRecord) -> Bool {
        if let since, record.time < since { return false }
        if let provider, record.provider != provider.rawValue { return false }
        if let model, model != record.model, model != record.provider + "/" + record.model { return false }
        return true
    }
}

/// `imagegen history`: the generations `HistoryLog` recorded, oldest first,
/// as lines for people or JSON Lines; with `--cost`, spending per day and
/// model. The file is read a piece at a time and only the last N records
/// are held, so a long history costs no memory.
struct HistoryCommand {
    let query: HistoryQuery
    let environment: Environment
    let io: ProcessIO
    let reporter: Reporter

    func run() throws(ImageGenError) -> Int32 {
        guard let path = HistoryLog.path(environment: environment) else {
            throw .configuration(
                "imagegen keeps its history in $XDG_STATE_HOME/imagegen or ~/.local/state/imagegen, "
                    + "but neither XDG_STATE_HOME nor HOME is an absolute directory; set one")
        }
        var totals = CostTotals()
        var printed = 0
        let consume: (HistoryRecord) -> Void = { record in
            printed += 1
            if query.cost {
                totals.add(record)
            } else {
                show(record)
            }
        }
        var window = LastRecords(limit: query.limit)
        let summary = try HistoryLog.read(path) { record in
            guard query.matches(record) else { return }
            if let passed = window.add(record) { consume(passed) }
        }
        for record in window.records { consume(record) }
        if query.cost { showTotals(totals) }
        if summary.skipped > 0 {
            let lines = summary.skipped == 1 ? "1 line" : "\(summary.skipped) lines"
            reporter.notice("skipped \(lines) of \(path) that are not whole history records")
        }
        if printed == 0 && !query.json {
            reporter.notice(
                FileSystem.exists(path)
                    ? "no generation in the history matches" : "no history yet: \(path) is written as images are made")
        }
        return 0
    }

    // MARK: - Listing

    private func show(_ record: HistoryRecord) {
        if query.json {
            query.fields == nil
                ? writeLine(record.json) : writeLine(FieldCatalogue.history.apply(query.fields, to: record.json))
            return
        }
        io.standardOutput.write(Self.text(record))
    }

    private func writeLine(_ json: JSON) {
        json.write(pretty: false) { io.standardOutput.write($0) }
        io.standardOutput.write("\n")
    }

    /// For people, a line per generation and one per file:
    ///
    ///     2026-11-29 21:34:48  gpt-image-2  $0.042  12.5s  ok  a cute baby sea otter
    ///       /home/u/a-cute-baby-sea-otter.png
    static func text(_ record: HistoryRecord) -> String {
        let time = UTCTime(record.time)
        let when = String(time.iso8601.dropLast().replacing("T", with: " "))
        let model =
            record.provider == ProviderKind.openai.rawValue ? record.model : record.provider + "/" + record.model
        let cost = record.costMicros.map(PriceTable.amount) ?? "-"
        let duration = record.durationMillis.map { HistoryRecord.seconds($0) + "s" } ?? "-"
        let status = record.exit == 0 ? "ok" : "exit \(record.exit)"
        let prompt = record.prompt.replacing("\n", with: " ").replacing("\t", with: " ")
        var text = [when, clean(model), cost, duration, status, clean(prompt)].joined(separator: "  ") + "\n"
        for file in record.files { text += "  " + clean(file.path) + "\n" }
        for url in record.urls { text += "  " + clean(url) + "\n" }
        if let message = record.error?["message"]?.stringValue {
            text += "  error: " + clean(message.replacing("\n", with: " ")) + "\n"
        }
        return text
    }

    /// The history is a file anyone's text went into (prompts, a provider's
    /// messages): no terminal controls reach the screen from it.
    private static func clean(_ text: String) -> String { TerminalText.sanitized(text) }

    // MARK: - Totals

    private func showTotals(_ totals: CostTotals) {
        let rows = totals.rows
        if query.json {
            for row in rows { writeLine(FieldCatalogue.historyCost.apply(query.fields, to: row.json)) }
            return
        }
        guard !rows.isEmpty else { return }
        io.standardOutput.write(Self.table(rows))
    }

    /// `DAY  PROVIDER  MODEL  GENERATIONS  IMAGES  COST_USD`, a total line,
    /// and a note when some images have no known price.
    static func table(_ rows: [CostRow]) -> String {
        let total = CostRow.sum(rows)
        // Every amount with as many decimals as the most precise one, so the points line up.
        let decimals = (rows + [total]).map { fractionDigits(PriceTable.dollarText($0.costMicros)) }.max() ?? 0
        func dollars(_ micros: Int) -> String {
            let text = PriceTable.dollarText(micros)
            let missing = decimals - fractionDigits(text)
            guard missing > 0 else { return text }
            return text + (text.contains(".") ? "" : ".") + String(repeating: "0", count: missing)
        }
        var cells = [["DAY", "PROVIDER", "MODEL", "GENERATIONS", "IMAGES", "COST_USD"]]
        for row in rows {
            cells.append([
                row.day.description, TerminalText.sanitized(row.provider), TerminalText.sanitized(row.model),
                String(row.generations), String(row.images), dollars(row.costMicros),
            ])
        }
        cells.append(["total", "", "", String(total.generations), String(total.images), dollars(total.costMicros)])
        let widths = (0..<6).map { column in cells.map { $0[column].count }.max() ?? 0 }
        var text = ""
        for line in cells {
            let padded = line.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column >= 3 ? padding + cell : cell + padding  // numbers right-aligned
            }
            var joined = padded.joined(separator: "  ")
            while joined.hasSuffix(" ") { joined.removeLast() }
            text += joined + "\n"
        }
        if total.unpriced > 0 {
            let generations = total.unpriced == 1 ? "1 generation" : "\(total.unpriced) generations"
            text += "\(generations) made images at no known price; they are not in COST_USD\n"
        }
        return text
    }
}

private func fractionDigits(_ decimal: String) -> Int {
    decimal.firstIndex(of: ".").map { decimal.distance(from: $0, to: decimal.endIndex) - 1 } ?? 0
}

/// The last `limit` records seen, or every record passed straight on when
/// there is no limit.
private struct LastRecords {
    let limit: Int?
    private(set) var buffer: [HistoryRecord] = []
    private var next = 0

    init(limit: Int?) { self.limit = limit }

    /// Returns the record to use now, or nil when it is kept for later.
    mutating func add(_ record: HistoryRecord) -> HistoryRecord? {
        guard let limit else { return record }
        if buffer.count < limit {
            buffer.append(record)
        } else {
            buffer[next] = record
            next = (next + 1) % limit
        }
        return nil
    }

    /// What was kept, oldest first.
    var records: [HistoryRecord] { Array(buffer[next...] + buffer[..<next]) }
}

/// Spending of one model on one (UTC) day.
struct CostRow: Equatable {
    var day: CalendarDate
    var provider: String
    var model: String
    var generations = 0
    var images = 0
    var costMicros = 0
    /// Generations that made images at a price imagegen does not know.
    var unpriced = 0

    var json: JSON {
        .object([
            ("day", .string(day.description)), ("provider", .string(provider)), ("model", .string(model)),
            ("generations", .int(generations)), ("images", .int(images)),
            ("cost_usd", PriceTable.dollars(costMicros)), ("unpriced", .int(unpriced)),
        ])
    }

    static func sum(_ rows: [CostRow]) -> CostRow {
        var total = CostRow(day: CalendarDate(1970, 1, 1), provider: "", model: "")
        for row in rows {
            total.generations += row.generations
            total.images += row.images
            total.costMicros = total.costMicros.addingReportingOverflow(row.costMicros).partialValue
            total.unpriced += row.unpriced
        }
        return total
    }
}

/// `--cost`: records summed per day, provider and model.
struct CostTotals {
    private var byKey: [String: CostRow] = [:]

    mutating func add(_ record: HistoryRecord) {
        let key = record.day.description + "\n" + record.provider + "\n" + record.model
        var row = byKey[key] ?? CostRow(day: record.day, provider: record.provider, model: record.model)
        row.generations += 1
        row.images += max(0, record.images)
        if let cost = record.costMicros, cost >= 0 {
            // A sum past Int.max is a damaged file, not spending: it stays at the most.
            let (sum, overflow) = row.costMicros.addingReportingOverflow(cost)
            row.costMicros = overflow ? Int.max : sum
        } else if record.images > 0 {
            row.unpriced += 1
        }
        byKey[key] = row
    }

    /// By day, then provider and model.
    var rows: [CostRow] {
        byKey.values.sorted { ($0.day, $0.provider, $0.model) < ($1.day, $1.provider, $1.model) }
    }
}

extension FieldCatalogue {
    /// `imagegen history --cost --json`: one line per day and model.
    package static let historyCost = FieldCatalogue(
        spelling: "imagegen history --cost --json",
        top: ["day", "provider", "model", "generations", "images", "cost_usd", "unpriced"])
}
