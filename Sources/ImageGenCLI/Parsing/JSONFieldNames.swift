import ImageGenOutput

/// Every field any `--json` document has, which is how the parser tells
/// `--json file,width` (fields) from `--json a red kite` (the prompt). Which
/// fields a command takes is checked once the command is known.
enum JSONFieldNames {
    static let catalogues: [FieldCatalogue] = [.result, .history, .historyCost, .inspect]

    static let all: Set<String> = Set(catalogues.flatMap { $0.available + $0.always })

    enum Reading: Equatable {
        /// Two or more known names with commas between: nothing but a field list.
        case list([String])
        /// One known name: a field list, or a prompt's first word.
        case single(String)
        case notFields
    }

    static func reading(_ word: String) -> Reading {
        let names = word.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard names.allSatisfy(all.contains) else { return .notFields }
        return names.count == 1 ? .single(names[0]) : .list(names)
    }
}
