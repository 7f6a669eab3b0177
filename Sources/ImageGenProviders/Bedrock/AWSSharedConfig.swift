import ImageGenCore
import ImageGenHTTP

/// The AWS CLI's shared files, `~/.aws/credentials` (`[NAME]` sections) and
/// `~/.aws/config` (`[profile NAME]` and `[default]`), read as botocore reads
/// them: one profile's keys are the config file's, overridden by the
/// credentials file's.
package struct AWSSharedConfig: Sendable {
    var credentialsFile: String?
    var configFile: String?
    /// Each file's text, nil when it is absent or unreadable.
    var credentialsText: String?
    var configText: String?

    /// A shared file's text, or nil when it is absent or unreadable.
    static func readTextFile(_ path: String) -> String? {
        try? FileSystem.readFile(path).map { String(decoding: $0, as: UTF8.self) }.get()
    }

    /// Paths from `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`, else under
    /// `$HOME/.aws/` (HOME from `environment`, so tests can move it).
    static func load(
        environment: Environment,
        readFile: (String) -> String? = AWSSharedConfig.readTextFile
    ) -> AWSSharedConfig {
        let home = environment["HOME"]
        func path(_ variable: String, _ name: String) -> String? {
            if let given = environment[variable] { return expandTilde(given, home: home) }
            return home.map { HTTPURL.join($0, ".aws/" + name) }
        }
        let credentialsFile = path("AWS_SHARED_CREDENTIALS_FILE", "credentials")
        let configFile = path("AWS_CONFIG_FILE", "config")
        return AWSSharedConfig(
            credentialsFile: credentialsFile, configFile: configFile,
            credentialsText: credentialsFile.flatMap(readFile),
            configText: configFile.flatMap(readFile))
    }

    /// The merged keys of profile `name`, or nil when neither file has it.
    func profile(_ name: String) -> [String: String]? {
        let fromConfig = configText.flatMap { AWSSharedConfig.section(in: $0, isConfigFile: true, profile: name) }
        let fromCredentials = credentialsText.flatMap {
            AWSSharedConfig.section(in: $0, isConfigFile: false, profile: name)
        }
        guard fromConfig != nil || fromCredentials != nil else { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentials in credentials }
    }

    /// Where the files were looked for, for messages.
    var describedPaths: String {
        func describe(_ path: String?, _ text: String?) -> String? {
            guard let path else { return nil }
            return text == nil ? "\(path) (not found)" : path
        }
        let parts = [describe(credentialsFile, credentialsText), describe(configFile, configText)].compactMap { $0 }
        return parts.isEmpty ? "no shared files (HOME is not set)" : parts.joined(separator: " and ")
    }

    /// INI as configparser reads it: `key = value` or `key: value`, `#`/`;`
    /// comment lines, indented lines continue a nested value and are skipped.
    /// A repeated key: the last one wins.
    static func section(in text: String, isConfigFile: Bool, profile: String) -> [String: String]? {
        var found: [String: String]?
        var inProfile = false
        for rawLine in text.split(
            omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        {
            if rawLine.first == " " || rawLine.first == "\t" { continue }
            let line = rawLine.trimmingASCIIWhitespace()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().trimmingASCIIWhitespace()
                inProfile = sectionName(name, isConfigFile: isConfigFile) == profile
                if inProfile && found == nil { found = [:] }
                continue
            }
            guard inProfile, let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { continue }
            let key = line[..<separator].trimmingASCIIWhitespace().lowercased()
            found?[key] = line[line.index(after: separator)...].trimmingASCIIWhitespace()
        }
        return found
    }

    /// The profile a section header names, or nil for other sections
    /// (`[sso-session x]`, `[services x]`).
    static func sectionName(_ header: String, isConfigFile: Bool) -> String? {
        guard isConfigFile else { return header }
        if header == "default" { return "default" }
        let words = header.split(separator: " ", maxSplits: 1)
        guard words.count == 2, words[0] == "profile" else { return nil }
        return words[1].trimmingASCIIWhitespace()
    }

    static func expandTilde(_ path: String, home: String?) -> String {
        guard let home, path == "~" || path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }
}
