/// "Did you mean" for mistyped long options.
package enum OptionSuggestion {
    static func unknownOptionMessage(_ spelled: String) -> String {
        if spelled.hasPrefix("--"), let name = suggestion(for: String(spelled.dropFirst(2))) {
            return "unknown option '\(spelled)'; did you mean '--\(name)'? (see imagegen --help)"
        }
        return "unknown option '\(spelled)' (see imagegen --help)"
    }

    /// The closest long name, or nil when none is close enough to be a likely typo.
    static func suggestion(for typed: String) -> String? {
        let names = OptionTable.all.map(\.long)
        // LiteLLM users write `response_format`, `api_key`.
        let normalized = String(typed.lowercased().map { $0 == "_" ? "-" : $0 })
        if names.contains(normalized) { return normalized }
        let extensions = names.filter { $0.hasPrefix(normalized) }
        if !normalized.isEmpty, extensions.count == 1 { return extensions[0] }
        let allowed = normalized.count <= 2 ? 0 : normalized.count <= 5 ? 1 : 2
        var best: (name: String, distance: Int)?
        for name in names {
            let distance = editDistance(normalized, name)
            if distance <= allowed, distance < (best?.distance ?? Int.max) {
                best = (name, distance)
            }
        }
        return best?.name
    }

    /// Levenshtein distance where swapping two neighbours also costs 1.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var twoBack = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, twoBack[j - 2] + 1)
                }
                current[j] = value
            }
            (twoBack, previous, current) = (previous, current, twoBack)
        }
        return previous[b.count]
    }
}
