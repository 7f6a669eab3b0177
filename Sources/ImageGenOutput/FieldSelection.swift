import ImageGenCore

/// `--json FIELD,FIELD…`: the members of a document to print, as gh's
/// `--json` picks fields. A field is a top-level member (`cost_usd`) or a
/// member of each item of the document's list (`file` in `data[]`); the
/// document keeps its shape, so `jq '.data[].file'` reads both forms.
package struct FieldSelection: Equatable, Sendable {
    package var fields: [String]

    package init(_ fields: [String]) {
        self.fields = fields
    }

    package func contains(_ field: String) -> Bool { fields.contains(field) }
}

/// The fields one kind of document has, for checking and applying a selection.
package struct FieldCatalogue: Sendable {
    /// How the user asked, for messages: `--json`, `imagegen history --json`.
    package var spelling: String
    package var top: [String]
    /// The list whose items have fields of their own (`data`), and those fields.
    package var itemsKey: String?
    package var items: [String]
    /// Kept whatever is selected: what names a batch line and says it failed.
    package var always: [String]

    package init(spelling: String, top: [String], itemsKey: String? = nil, items: [String] = [], always: [String] = [])
    {
        self.spelling = spelling
        self.top = top
        self.itemsKey = itemsKey
        self.items = items
        self.always = always
    }

    /// Every field a selection may name, in the order the document has them.
    package var available: [String] { top + items.filter { !top.contains($0) } }

    /// The `--json` document of a generation (SPEC §2) and its `data[]` items.
    /// `seed` is Bedrock's, `content_filter_results` Azure's.
    package static let result = FieldCatalogue(
        spelling: "--json",
        top: ["created", "model", "provider", "data", "usage", "cost_usd"],
        itemsKey: "data",
        items: [
            "url", "b64_json", "revised_prompt", "file", "format", "width", "height", "bytes", "seed",
            "content_filter_results",
        ],
        always: ["index", "error"])

    /// A refusal naming the unknown field, the likely one, and every field there is.
    package func check(_ selection: FieldSelection) throws(ImageGenError) {
        let known = available + always
        for field in selection.fields where !known.contains(field) {
            // A typo (`widht`) or the start of a name (`cost` for `cost_usd`).
            let near =
                known.map { ($0, EditDistance.between(field, $0)) }.min { $0.1 < $1.1 }
                .flatMap { $0.1 <= max(1, field.count / 3) ? $0.0 : nil }
                ?? known.first { field.count >= 3 && $0.hasPrefix(field) }
            let hint = near.map { " (did you mean '\($0)'?)" } ?? ""
            throw .usage(
                "unknown \(spelling) field '\(field)'\(hint); the fields are: " + available.joined(separator: ", "))
        }
    }

    /// The document with only the selected members (and `always`); the whole
    /// document when nothing is selected. Items keep their selected fields;
    /// naming the list itself (`data`) keeps its items whole.
    package func apply(_ selection: FieldSelection?, to document: JSON) -> JSON {
        guard let selection, case .object(let members) = document else { return document }
        let itemFields = items.filter(selection.contains)
        var kept: [(String, JSON)] = []
        for (key, value) in members {
            if always.contains(key) || selection.contains(key) {
                kept.append((key, value))
            } else if key == itemsKey, !itemFields.isEmpty, case .array(let list) = value {
                kept.append((key, .array(list.map { select(itemFields, from: $0) })))
            }
        }
        return .object(kept)
    }

    private func select(_ fields: [String], from item: JSON) -> JSON {
        guard case .object(let members) = item else { return item }
        return .object(members.filter { fields.contains($0.0) || always.contains($0.0) })
    }
}
