import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders

/// What `imagegen keys` was asked to do.
package enum KeysAction: Equatable, Sendable {
    case set(ProviderKind)
    case unset(ProviderKind)
    case list

    static let usage = "imagegen keys set PROVIDER | unset PROVIDER | list [--profile NAME]"
    static let words = ["set", "unset", "list"]

    init(_ words: [String]) throws(ImageGenError) {
        switch (words.first, words.count) {
        case ("list"?, 1):
            self = .list
        case (let action?, 2) where action == "set" || action == "unset":
            guard let provider = ProviderKind(rawValue: words[1]), provider.takesAPIKey else {
                let names = ProviderKind.withAPIKeys.map(\.rawValue).joined(separator: ", ")
                throw .usage("keys \(action) takes a provider, one of \(names); got '\(words[1])'")
            }
            self = action == "set" ? .set(provider) : .unset(provider)
        case (let action?, _) where ["set", "unset", "list"].contains(action):
            throw .usage("wrong number of words for keys \(action): \(KeysAction.usage)")
        case (let action?, _):
            throw .usage("keys has no action '\(action)': \(KeysAction.usage)")
        case (nil, _):
            throw .usage("keys needs an action: \(KeysAction.usage)")
        }
    }
}

/// `imagegen keys set|unset|list`: API keys in `$XDG_CONFIG_HOME/imagegen/keys`,
/// mode 0600, under `[default]` or `[profile NAME]`, as llm keeps its keys.
/// The key is read from the terminal without echo, or from standard input
/// when that is not a terminal (`pass show openai | imagegen keys set openai`);
/// never from the command line, where other users could see it.
struct KeysCommand {
    let action: KeysAction
    let options: Options
    let environment: Environment
    let io: ProcessIO

    func run() throws(ImageGenError) -> Int32 {
        guard let path = ConfigFile.keysPath(environment) else {
            throw .configuration("nowhere to keep keys: neither XDG_CONFIG_HOME nor HOME is set")
        }
        let profile = ConfigFile.profile(options, environment).value
        let section = ConfigFile.section(for: profile)
        let exists = FileSystem.kind(path) != .missing
        var document = exists ? try APIKeySources.readKeysFile(path) : INIDocument("")
        let reporter = Reporter(standardError: io.standardError, redactor: Redactor())
        switch action {
        case .list:
            for name in [section, "default"].reduce(into: [String](), { if !$0.contains($1) { $0.append($1) } }) {
                for entry in document.entries(in: name) where ProviderKind(rawValue: entry.key) != nil {
                    io.standardOutput.write("\(entry.key) [\(name)]\n")
                }
            }
        case .set(let provider):
            let key = try readKey(for: provider)
            document.set(provider.rawValue, key, in: section)
            try write(document, to: path)
            reporter.notice("stored the \(provider.rawValue) key in \(path) [\(section)]")
        case .unset(let provider):
            guard document.unset(provider.rawValue, in: section) else {
                reporter.notice("no \(provider.rawValue) key in \(path) [\(section)]")
                return 0
            }
            try write(document, to: path)
            reporter.notice("removed the \(provider.rawValue) key from \(path) [\(section)]")
        }
        return 0
    }

    private func readKey(for provider: ProviderKind) throws(ImageGenError) -> String {
        let bytes: [UInt8]
        if io.terminal.standardInputIsTerminal {
            guard let typed = io.readSecretLine("imagegen: \(provider.rawValue) API key (not shown as you type): ")
            else {
                throw .usage("no key was typed; to store one from a pipe: printf %s KEY | imagegen keys set ...")
            }
            bytes = typed
        } else {
            guard let piped = io.readStandardInput() else { throw .usage("cannot read the key from standard input") }
            bytes = piped
        }
        guard bytes.count <= APIKeyLimit.bytes else { throw .usage("standard input is larger than a key can be") }
        var end = bytes.endIndex
        while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let key = String(decoding: bytes[..<end], as: UTF8.self).trimmingASCIIWhitespace()
        guard !key.isEmpty else { throw .usage("no key was given; nothing was stored") }
        guard !key.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) else {
            throw .usage("the key holds a control character (only a trailing line end is removed); nothing was stored")
        }
        return key
    }

    private func write(_ document: INIDocument, to path: String) throws(ImageGenError) {
        do {
            try PrivateFile.replace(path, with: Array(document.text.utf8))
        } catch {
            throw .write("cannot write the keys file \(path): \(error.message)")
        }
    }
}
