import ImageGenCore
import ImageGenHTTP
import ImageGenOutput

/// What `imagegen config` was asked to do.
package enum ConfigAction: Equatable, Sendable {
    case get(String)
    case set(String, String)
    case unset(String)
    case list
    /// The profile names, `default` first: for scripts and shell completion.
    case profiles

    static let usage = "imagegen config get KEY | set KEY VALUE | unset KEY | list [--profile NAME] | profiles"
    static let words = ["get", "set", "unset", "list", "profiles"]

    init(_ words: [String]) throws(ImageGenError) {
        switch (words.first, words.count) {
        case ("get"?, 2): self = .get(words[1])
        case ("set"?, 3): self = .set(words[1], words[2])
        case ("unset"?, 2): self = .unset(words[1])
        case ("list"?, 1): self = .list
        case ("profiles"?, 1): self = .profiles
        case ("set"?, let count) where count > 3:
            throw .usage("config set takes one VALUE; quote a value with spaces: imagegen config set KEY 'a b'")
        case (let action?, _) where ConfigAction.words.contains(action):
            throw .usage("wrong number of words for config \(action): \(ConfigAction.usage)")
        case (let action?, _):
            throw .usage("config has no action '\(action)': \(ConfigAction.usage)")
        case (nil, _):
            throw .usage("config needs an action: \(ConfigAction.usage)")
        }
    }
}

/// `imagegen config get|set|unset|list`, as `gh config` and `git config`:
/// reads and edits the configuration file of the selected profile. An edit
/// rewrites the file atomically, every other line (comments included) as it was.
struct ConfigCommand {
    let action: ConfigAction
    let options: Options
    let environment: Environment
    let io: ProcessIO

    func run() throws(ImageGenError) -> Int32 {
        guard var file = try ConfigFile.open(options, environment) else {
            throw .configuration("no configuration file: neither XDG_CONFIG_HOME nor HOME is set; pass --config FILE")
        }
        let profile = ConfigFile.profile(options, environment)
        let section = ConfigFile.section(for: profile.value)
        if file.exists { try file.checkSyntax() }
        switch action {
        case .get(let key):
            try checkName(key)
            try checkProfile(file, profile)
            guard let entry = file.entries(profile: profile.value).last(where: { $0.key == key }) else {
                throw .configuration("\(key) is not set in \(file.path) for profile \(profile.value)")
            }
            io.standardOutput.write(entry.value + "\n")
        case .profiles:
            io.standardOutput.write((["default"] + file.profiles.filter { $0 != "default" }).map { $0 + "\n" }.joined())
        case .list:
            try checkProfile(file, profile)
            for entry in file.entries(profile: profile.value) {
                io.standardOutput.write("\(entry.key) = \(ConfigCommand.masked(entry.value))\n")
            }
        case .set(let key, let value):
            try checkName(key)
            guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw .usage("a setting's value is one line without control characters")
            }
            do {
                _ = try SettingKeys.check(key, value, home: environment["HOME"])
            } catch {
                throw .usage(error.text)
            }
            file.document.set(key, value, in: section)
            try file.write()
        case .unset(let key):
            try checkName(key)
            if file.document.unset(key, in: section) {
                try file.write()
            } else {
                Reporter(standardError: io.standardError, redactor: Redactor())
                    .notice("\(key) was not set in [\(section)] of \(file.path)")
            }
        }
        return 0
    }

    private func checkName(_ key: String) throws(ImageGenError) {
        guard SettingKeys.names.contains(key) else { throw .usage(SettingKeys.refusal(key)) }
    }

    private func checkProfile(_ file: ConfigFile, _ profile: Sourced<String>) throws(ImageGenError) {
        guard profile.value != "default", !file.profiles.contains(profile.value) else { return }
        throw .configuration("\(profile.source) names profile '\(profile.value)', which is not in \(file.path)")
    }

    /// `value` with every word that looks like a key masked: `echo sk-…` in
    /// an `api-key-command` should not reach a screen or a screenshot.
    static func masked(_ value: String) -> String {
        var result = ""
        var word = ""
        func flush() {
            result += looksLikeKey(word) ? Redactor.mask : word
            word = ""
        }
        for character in value {
            if character.isWhitespace || "'\"=:/,;".contains(character) {
                flush()
                result.append(character)
            } else {
                word.append(character)
            }
        }
        flush()
        return result
    }

    /// `sk-…`, or 20 or more letters and digits (with - _ .) holding both: a key, a token.
    static func looksLikeKey(_ word: String) -> Bool {
        if word.hasPrefix("sk-") && word.count > 8 { return true }
        let bytes = Array(word.utf8)
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        let isLetter = { (byte: UInt8) in (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        guard bytes.count >= 20, bytes.allSatisfy({ isDigit($0) || isLetter($0) || "-_.".utf8.contains($0) }) else {
            return false
        }
        return bytes.contains(where: isDigit) && bytes.contains(where: isLetter)
    }
}
