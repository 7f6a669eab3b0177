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

    /// Profile `profile`'s keys, lowercased (Core's `INIDocument`, the
    /// reader imagegen's own configuration uses): a repeated key, the last
    /// one wins; indented lines continue a nested value and are skipped.
    static func section(in text: String, isConfigFile: Bool, profile: String) -> [String: String]? {
        section(in: INIDocument(text)) { sectionName($0, isConfigFile: isConfigFile) == profile }
    }

    /// The keys of every section whose header `matches`, merged in file order.
    static func section(in document: INIDocument, matching matches: (String) -> Bool) -> [String: String]? {
        var found: [String: String]?
        for header in document.sections where matches(header) {
            found = (found ?? [:]).merging(document.values(in: header) ?? [:]) { _, later in later }
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
