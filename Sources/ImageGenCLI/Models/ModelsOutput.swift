import ImageGenCore
import ImageGenProviders

/// How `imagegen models` shows its rows: a table for people, at most
/// `width` columns (one aligned line per model, then its details wrapped
/// below it), or one JSON array with the same keys on every object.
enum ModelsOutput {
    static let width = 100
    /// Longer ids (a provider's list may hold anything) are cut, with `...`.
    static let modelColumn = 46
    static let priceColumn = 20
    /// Size lists longer than this show their first `shownSizes`; --json has them all.
    static let longSizeList = 10
    static let shownSizes = 8

    // MARK: - Table

    static func table(_ rows: [ModelRow], today: CalendarDate) -> String {
        var cells = rows.map { row in
            [
                elide(TerminalText.sanitized(row.id), to: modelColumn), row.provider.rawValue,
                statusText(row.lifecycle.on(today)), elide(priceText(row.entry?.price), to: priceColumn),
            ]
        }
        let header = ["MODEL", "PROVIDER", "STATUS", "PRICE"]
        var widths = header.indices.map { column in
            ([header] + cells).map { $0[column].count }.max() ?? 0
        }
        // A long provider name (black_forest_labs) beside a long model id
        // would break the 100 columns: the provider gives way, elided.
        let excess = widths.reduce(0, +) + 2 * (widths.count - 1) - 100
        if excess > 0 { widths[1] = max(header[1].count, widths[1] - excess) }
        for index in cells.indices { cells[index][1] = elide(cells[index][1], to: widths[1]) }
        func line(_ values: [String]) -> String {
            var text = ""
            for (column, value) in values.enumerated() {
                let last = column == values.count - 1
                text += last ? value : value + String(repeating: " ", count: widths[column] - value.count + 2)
            }
            return text
        }
        var lines = [line(header)]
        for (row, values) in zip(rows, cells) {
            lines.append(line(values))
            let details = details(of: row, today: today)
            if !details.isEmpty { lines += wrap(details.joined(separator: "; "), first: "  ", rest: "    ") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What does not fit the aligned line: flags from the provider's list,
    /// the model to move to, sizes, qualities and the edit tasks.
    static func details(of row: ModelRow, today: CalendarDate) -> [String] {
        var parts: [String] = []
        if row.entry == nil { parts.append("not in imagegen's catalogue") }
        if row.listedByProvider == false { parts.append("not listed by the provider") }
        if let replacement = row.lifecycle.on(today).replacement {
            parts.append("use \(TerminalText.sanitized(replacement)) instead")
        }
        guard let accepts = row.entry?.accepts else { return parts }
        parts.append("sizes: " + sizesText(accepts))
        if let qualities = choiceText(accepts.qualities) { parts.append("qualities: " + qualities) }
        if let tasks = accepts.edits?.tasks { parts.append("edit --task: " + tasks.joined(separator: ", ")) }
        if let partials = accepts.partialImages {
            parts.append("--stream: up to \(partials.upperBound) partial images")
        }
        return parts
    }

    static func statusText(_ lifecycle: Lifecycle) -> String {
        switch lifecycle {
        case .active: return "active"
        case .scheduled(let date, _): return "active, retires \(date)"
        case .deprecated(let shutdown?, _): return "deprecated \(shutdown)"
        case .deprecated(nil, _): return "deprecated (no date)"
        case .retired(let date, _): return "retired \(date)"
        }
    }

    static func sizesText(_ accepts: Capabilities) -> String {
        if let google = accepts.google {
            // Google takes a ratio (and a resolution tier), which --size is mapped to.
            let tiers = google.imageSizes.isEmpty ? "" : " at " + google.imageSizes.map(\.name).joined(separator: "/")
            return "any WxH, sent as the nearest of " + google.aspectRatios.joined(separator: " ") + tiers
        }
        switch accepts.sizes {
        case .any:
            return "any WxH"
        case .list(let sizes) where sizes.count > longSizeList:
            return sizes.prefix(shownSizes).joined(separator: ", ")
                + " and \(sizes.count - shownSizes) more (--json lists them all)"
        case .list(let sizes):
            return sizes.joined(separator: ", ")
        case .constrained(let multiple, let edges, let pixels, let maxAspect, let keywords):
            return "WxH, sides multiples of \(multiple) from \(edges.lowerBound) to \(edges.upperBound), "
                + "\(grouped(pixels.lowerBound)) to \(grouped(pixels.upperBound)) pixels, at most "
                + "\(number(maxAspect)):1" + keywords.map { ", or " + $0 }.joined()
        case .notAccepted:
            let instead = accepts.hints["size"].map { "; " + $0.replacing("does not take --size; ", with: "") }
            return "none" + (instead ?? "")
        }
    }

    /// Nil when the option is not taken at all.
    static func choiceText(_ choice: Choice) -> String? {
        switch choice {
        case .none: return nil
        case .any: return "any"
        case .only(let values): return values.joined(separator: ", ")
        }
    }

    /// `$0.04/image`, `$0.016-0.02/image`, `$5/M in, $40/M out`; `-` when unknown.
    static func priceText(_ price: Price?) -> String {
        switch price {
        case nil:
            return "-"
        case .perImage(let tiers)?:
            let prices = tiers.map(\.micros)
            guard let low = prices.min(), let high = prices.max() else { return "-" }
            return "$" + dollars(low) + (low == high ? "" : "-" + dollars(high)) + "/image"
        case .perToken(let tokens)?:
            return "$\(dollars(tokens.textInputPerMillion))/M in, $\(dollars(tokens.imageOutputPerMillion))/M out"
        }
    }

    /// Micro-dollars as a decimal: 40_000 → `0.04`, 5_000_000 → `5`, 100_000 → `0.10`.
    static func dollars(_ micros: Int) -> String {
        let whole = micros / 1_000_000
        let fraction = micros % 1_000_000
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.count > 2 && digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// `8,294,400`: pixel counts people can read.
    static func grouped(_ value: Int) -> String {
        var digits = String(value.magnitude)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(digits, at: 0)
        return (value < 0 ? "-" : "") + groups.joined(separator: ",")
    }

    /// `3` for 3.0, `2.5` for 2.5.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func elide(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 3)) + "..."
    }

    /// Greedy wrap at spaces to `width`; a word longer than a line keeps a line of its own.
    static func wrap(_ text: String, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var line = first
        var indent = first
        for word in text.split(separator: " ") {
            if line.count > indent.count && line.count + 1 + word.count > width {
                lines.append(line)
                line = rest
                indent = rest
            }
            if line.count > indent.count { line += " " }
            line += word
        }
        lines.append(line)
        return lines
    }

    // MARK: - JSON

    /// One object per row, every key always present (null where it does not apply).
    static func json(_ rows: [ModelRow], today: CalendarDate) -> JSON {
        .array(
            rows.map { row in
                let entry = row.entry
                var fields: [(String, JSON)] = [
                    ("id", .string(row.id)),
                    ("aliases", .array((entry?.aliases ?? []).map(JSON.string))),
                    ("provider", .string(row.provider.rawValue)),
                    ("family", entry.map { .string($0.family.rawValue) } ?? .null),
                ]
                fields += row.lifecycle.on(today).jsonFields
                fields += [
                    ("sizes", entry.map { sizesJSON($0.accepts.sizes) } ?? .null),
                    (
                        "aspect_ratios",
                        entry?.accepts.google.map { .array($0.aspectRatios.map(JSON.string)) } ?? .null
                    ),
                    ("qualities", entry.map { choiceJSON($0.accepts.qualities) } ?? .null),
                    // `imagegen edit --task` names; [] for a model that does not edit, null when unknown.
                    ("edit_tasks", entry.map { .array(($0.accepts.edits?.tasks ?? []).map(JSON.string)) } ?? .null),
                    // Whether `--stream` is taken; null when unknown.
                    ("stream", entry.map { .bool($0.accepts.partialImages != nil) } ?? .null),
                    ("price", priceJSON(entry?.price)),
                    (
                        "source",
                        entry.map {
                            .object([
                                ("url", .string($0.source.url)), ("checked", .string($0.source.checked.description)),
                            ])
                        } ?? .null
                    ),
                    ("in_catalogue", .bool(entry != nil)),
                    ("listed_by_provider", row.listedByProvider.map(JSON.bool) ?? .null),
                ]
                return .object(fields)
            })
    }

    /// A list is an array; a rule an object; `any` the string "any"; not taken, null.
    static func sizesJSON(_ sizes: SizeRule) -> JSON {
        switch sizes {
        case .any:
            return .string("any")
        case .list(let values):
            return .array(values.map(JSON.string))
        case .constrained(let multiple, let edges, let pixels, let maxAspect, let keywords):
            return .object([
                ("multiple_of", .int(multiple)), ("min_edge", .int(edges.lowerBound)),
                ("max_edge", .int(edges.upperBound)), ("min_pixels", .int(pixels.lowerBound)),
                ("max_pixels", .int(pixels.upperBound)), ("max_aspect_ratio", .number(number(maxAspect))),
                ("keywords", .array(keywords.map(JSON.string))),
            ])
        case .notAccepted:
            return .null
        }
    }

    /// The values; `[]` when the option is not taken; "any" when not checked.
    static func choiceJSON(_ choice: Choice) -> JSON {
        switch choice {
        case .none: return .array([])
        case .any: return .string("any")
        case .only(let values): return .array(values.map(JSON.string))
        }
    }

    static func priceJSON(_ price: Price?) -> JSON {
        switch price {
        case nil:
            return .null
        case .perImage(let tiers)?:
            let prices = tiers.map(\.micros)
            return .object([
                ("text", .string(priceText(price))), ("unit", .string("image")),
                ("min_usd", .number(dollars(prices.min() ?? 0))), ("max_usd", .number(dollars(prices.max() ?? 0))),
                (
                    "tiers",
                    .array(
                        tiers.map { tier in
                            .object([
                                ("usd", .number(dollars(tier.micros))),
                                ("quality", tier.quality.map(JSON.string) ?? .null),
                                ("square", tier.square.map(JSON.bool) ?? .null),
                                ("max_pixels", tier.maxPixels.map(JSON.int) ?? .null),
                                ("min_steps", tier.minSteps.map(JSON.int) ?? .null),
                            ])
                        })
                ),
            ])
        case .perToken(let tokens)?:
            return .object([
                ("text", .string(priceText(price))), ("unit", .string("token")),
                ("text_input_usd_per_million", .number(dollars(tokens.textInputPerMillion))),
                ("image_output_usd_per_million", .number(dollars(tokens.imageOutputPerMillion))),
            ])
        }
    }
}
