import ImageGenCore

/// Where a provider's API key comes from, strongest first (SPEC's order:
/// flag, environment, profile): `--api-key` or `--api-key-file`; each key
/// variable or its `_FILE` twin (the Docker and Kubernetes convention); the
/// profile's `PROVIDER-api-key-command`, `PROVIDER-api-key-file`,
/// `api-key-command`, `api-key-file`; the keys file `imagegen keys set`
/// writes. A key never appears in a message: a source is named, its value
/// is not, and a key command's output is never shown.
package enum APIKeySources {
    /// A key is a few hundred bytes at most; a larger file or answer is not one.
    static let limit = 64 << 10

    /// Every source in order; nil when none gives a key.
    package static func resolve(
        _ options: ConnectionOptions, variables: [String], provider: ProviderKind, environment: Environment
    ) throws(ImageGenError) -> Sourced<String>? {
        if let key = try fromFlags(options) { return key }
        if let key = try fromVariables(variables, environment: environment) { return key }
        return try fromConfiguration(provider, environment: environment)
    }

    /// `--api-key KEY` or `--api-key-file FILE`, not both.
    package static func fromFlags(_ options: ConnectionOptions) throws(ImageGenError) -> Sourced<String>? {
        switch (options.apiKey, options.apiKeyFile) {
        case (_?, _?): throw .usage("--api-key and --api-key-file cannot be used together")
        case (let key?, nil): return Sourced(value: key, source: "--api-key")
        case (nil, let file?): return try readKeyFile(file, source: "--api-key-file \(file)")
        case (nil, nil): return nil
        }
    }

    /// The first of `variables` that is set, or whose `_FILE` twin names a file.
    package static func fromVariables(
        _ variables: [String], environment: Environment
    ) throws(ImageGenError) -> Sourced<String>? {
        for name in variables {
            let fileName = name + "_FILE"
            switch (environment[name], environment[fileName]) {
            case (_?, _?):
                throw .configuration("\(name) and \(fileName) are both set; unset one of them")
            case (let key?, nil):
                return Sourced(value: key, source: name)
            case (nil, let file?):
                return try readKeyFile(file, source: "\(fileName) \(file)")
            case (nil, nil):
                continue
            }
        }
        return nil
    }

    /// The setting names that give `provider` a key, in the order they are tried.
    package static func settingNames(for provider: ProviderKind) -> [String] {
        let prefix = provider.rawValue + "-"
        return [prefix + "api-key-command", prefix + "api-key-file", "api-key-command", "api-key-file"]
    }

    /// The profile's key settings, then the keys file.
    package static func fromConfiguration(
        _ provider: ProviderKind, environment: Environment
    ) throws(ImageGenError) -> Sourced<String>? {
        for name in settingNames(for: provider) {
            guard let setting = environment.setting(name) else { continue }
            if name.hasSuffix("-command") {
                let answer = environment.settings.commandAnswers.answer(for: setting.value) {
                    runKeyCommand(setting.value, source: setting.source)
                }
                return Sourced(value: try answer.get(), source: setting.source)
            }
            let path = AWSSharedConfig.expandTilde(setting.value, home: environment["HOME"])
            return try readKeyFile(path, source: setting.source)
        }
        return try storedKey(provider, environment: environment)
    }

    /// A file holding the key: its trailing line end removed, any other
    /// control character refused (it would end a header line).
    static func readKeyFile(_ path: String, source: String) throws(ImageGenError) -> Sourced<String> {
        let named = Sourced(value: path, source: source)
        guard FileSystem.kind(path) != .directory else {
            throw named.invalid("\(source) is a directory, not a file holding the key")
        }
        let bytes: [UInt8]
        switch FileSystem.readFile(path) {
        case .success(let read): bytes = read
        case .failure(let failure): throw named.invalid("\(source) cannot be read: \(failure.message)")
        }
        guard bytes.count <= limit else { throw named.invalid("\(source) is larger than a key can be") }
        return Sourced(value: try key(in: bytes, source: named, what: "holds"), source: source)
    }

    /// Runs `command` with `/bin/sh -c`; its standard output is the key.
    /// Its standard error is discarded and what it printed is never
    /// repeated: a failing command's words may quote the key.
    static func runKeyCommand(_ command: String, source: String) -> Result<String, ImageGenError> {
        let named = Sourced(value: command, source: source)
        switch ShellCommand.run(command, limit: limit, quietly: true) {
        case .failure(let failure):
            return .failure(named.invalid("\(source) could not be started: \(failure.message)"))
        case .success(let outcome):
            guard outcome.status == 0 else {
                return .failure(
                    named.invalid(
                        "\(source) exited with status \(outcome.status); imagegen does not show what it "
                            + "printed, which may hold the key: run the command yourself to see why"))
            }
            guard !outcome.truncated else {
                return .failure(named.invalid("\(source) printed more than a key can be"))
            }
            do throws(ImageGenError) {
                return .success(try key(in: outcome.output, source: named, what: "printed"))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The bytes without their trailing line ends; empty, or holding any
    /// other control character, they are refused without being shown.
    static func key(in bytes: [UInt8], source: Sourced<String>, what: String) throws(ImageGenError) -> String {
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        let text = String(decoding: bytes[..<end], as: UTF8.self)
        guard !text.isEmpty else { throw source.invalid("\(source.source) \(what) no key (it is empty)") }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            throw source.invalid(
                "\(source.source) \(what) a control character inside the key (only a trailing line end is "
                    + "removed); the key is not shown")
        }
        return text
    }

    /// The provider's key in the keys file, under the selected profile or
    /// `[default]`. Like ssh with a private key, a file others may read or
    /// write is refused rather than trusted.
    static func storedKey(_ provider: ProviderKind, environment: Environment) throws(ImageGenError) -> Sourced<String>?
    {
        guard let path = environment.settings.keysFile, FileSystem.kind(path) != .missing else { return nil }
        let document = try readKeysFile(path)
        for section in [environment.settings.keysSection, "default"] {
            if let key = document.values(in: section)?[provider.rawValue], !key.isEmpty {
                let source = "the keys file \(path) [\(section)]"
                try HeaderValue.check(key, source: source)
                return Sourced(value: key, source: source)
            }
        }
        return nil
    }

    /// The keys file, refused when it is not a regular file of this user's
    /// that only this user may read and write.
    package static func readKeysFile(_ path: String) throws(ImageGenError) -> INIDocument {
        guard FileSystem.kind(path) == .regularFile, let permissions = FileSystem.permissions(path) else {
            throw .configuration("the keys file \(path) is not a regular file; remove it or move it away")
        }
        guard permissions.ownedByUs else {
            throw .configuration("the keys file \(path) belongs to another user; imagegen reads only its user's keys")
        }
        guard permissions.mode & 0o077 == 0 else {
            let mode = String(permissions.mode, radix: 8)
            throw .configuration(
                "the keys file \(path) may be read or written by others (mode 0\(mode)); like ssh with a "
                    + "private key, imagegen will not use it: chmod 600 \(path)")
        }
        switch FileSystem.readFile(path) {
        case .success(let bytes): return INIDocument(String(decoding: bytes, as: UTF8.self))
        case .failure(let failure): throw .configuration("cannot read the keys file \(path): \(failure.message)")
        }
    }
}
