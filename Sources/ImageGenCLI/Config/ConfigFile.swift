import ImageGenCore
import ImageGenOutput
import ImageGenProviders

/// imagegen's configuration file: `$XDG_CONFIG_HOME/imagegen/config` (else
/// `~/.config/imagegen/config`), or what `--config` / `IMAGEGEN_CONFIG`
/// names; INI in the AWS config's shape, `[default]` and `[profile NAME]`
/// sections whose keys are settings (`SettingKeys`).
struct ConfigFile {
    let path: String
    /// `--config` or `IMAGEGEN_CONFIG` when one of them chose the path; nil for the usual place.
    let namedBy: String?
    var document: INIDocument
    let exists: Bool

    /// A configuration file is a few dozen lines; a larger one is not ours.
    static let maximumSize = 1 << 20

    /// `$XDG_CONFIG_HOME/imagegen` (an absolute one, XDG's rule), else `$HOME/.config/imagegen`.
    static func directory(_ environment: Environment) -> String? {
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") { return joined(base, "imagegen") }
        if let home = environment["HOME"], home.hasPrefix("/") { return joined(home, ".config/imagegen") }
        return nil
    }

    /// Where `imagegen keys set` keeps keys: beside the usual configuration file.
    static func keysPath(_ environment: Environment) -> String? {
        directory(environment).map { $0 + "/keys" }
    }

    private static func joined(_ directory: String, _ name: String) -> String {
        var trimmed = Substring(directory)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed + "/" + name
    }

    /// The section a profile's settings live in.
    static func section(for profile: String) -> String {
        profile == "default" ? "default" : "profile \(profile)"
    }

    /// `--profile`, else `IMAGEGEN_PROFILE`, else `default`.
    static func profile(_ options: Options, _ environment: Environment) -> Sourced<String> {
        if let flag = options.profile { return Sourced(value: flag, source: "--profile") }
        if let variable = environment["IMAGEGEN_PROFILE"] {
            return Sourced(value: variable, source: "IMAGEGEN_PROFILE")
        }
        return Sourced(value: "default", source: "default")
    }

    /// The file the options and environment point at, read if it exists;
    /// nil when there is no usual place (neither XDG_CONFIG_HOME nor HOME).
    static func open(_ options: Options, _ environment: Environment) throws(ImageGenError) -> ConfigFile? {
        let home = environment["HOME"]
        let path: String
        let namedBy: String?
        if let flag = options.configFile {
            (path, namedBy) = (PathSetting.expandTilde(flag, home: home), "--config")
        } else if let variable = environment["IMAGEGEN_CONFIG"] {
            (path, namedBy) = (PathSetting.expandTilde(variable, home: home), "IMAGEGEN_CONFIG")
        } else if let directory = directory(environment) {
            (path, namedBy) = (directory + "/config", nil)
        } else {
            return nil
        }
        switch FileSystem.kind(path) {
        case .missing:
            return ConfigFile(path: path, namedBy: namedBy, document: INIDocument(""), exists: false)
        case .regularFile:
            break
        default:
            throw .configuration("the configuration file \(path) is not a regular file")
        }
        switch FileSystem.readFile(path) {
        case .failure(let failure):
            throw .configuration("cannot read the configuration file \(path): \(failure.message)")
        case .success(let bytes):
            guard bytes.count <= maximumSize else {
                throw .configuration("the configuration file \(path) is larger than a configuration file can be")
            }
            return ConfigFile(
                path: path, namedBy: namedBy, document: INIDocument(String(decoding: bytes, as: UTF8.self)),
                exists: true)
        }
    }

    /// Every line is a section header, a setting, a comment or blank; the
    /// first that is not is named with its number.
    func checkSyntax() throws(ImageGenError) {
        var inSection = false
        for line in document.lines {
            let place = "\(path) line \(line.number)"
            switch line.kind {
            case .blank:
                continue
            case .header(let name):
                guard name == "default" || ConfigFile.profileName(name) != nil else {
                    throw .configuration(
                        "\(place): [\(name)] is not a section imagegen reads; write [default] or [profile \(name)]")
                }
                inSection = true
            case .entry(let key, _):
                guard inSection else {
                    throw .configuration("\(place): \(key) comes before any section; put [default] above it")
                }
            case .continuation:
                throw .configuration("\(place): an indented line continues no setting; remove the indentation")
            case .malformed:
                throw .configuration("\(place): expected [default], [profile NAME], KEY = VALUE or a # comment")
            }
        }
    }

    /// `NAME` of `[profile NAME]`.
    static func profileName(_ header: String) -> String? {
        let words = header.split(separator: " ", maxSplits: 1)
        guard words.count == 2, words[0] == "profile" else { return nil }
        let name = words[1].trimmingASCIIWhitespace()
        return name.isEmpty ? nil : name
    }

    var profiles: [String] { document.sections.compactMap(ConfigFile.profileName) }

    /// The settings a profile sees: its own over `[default]`'s, in file order.
    func entries(profile: String) -> [(key: String, value: String, line: Int)] {
        var chosen: [(key: String, value: String, line: Int)] = []
        let sections = profile == "default" ? ["default"] : ["default", ConfigFile.section(for: profile)]
        for section in sections {
            for entry in document.entries(in: section) {
                chosen.removeAll { $0.key == entry.key }
                chosen.append(entry)
            }
        }
        return chosen.sorted { $0.line < $1.line }
    }

    /// Writes the document over the file, atomically (a temporary renamed
    /// into place), mode 0600; a symlink is followed, so a managed dotfile stays a link.
    func write() throws(ImageGenError) {
        var target = path
        if FileSystem.isSymbolicLink(path), let resolved = try? FileSystem.resolvedPath(path) { target = resolved }
        do {
            try PrivateFile.replace(target, with: Array(document.text.utf8))
        } catch {
            throw .write("cannot write the configuration file \(target): \(error.message)")
        }
    }
}

/// The configuration applied to a run: the options the file sets, for the
/// command line to override, and the environment with the settings that
/// come after its variables.
enum Configuration {
    static func load(
        _ options: Options, environment: Environment
    ) throws(ImageGenError) -> (settings: Options, environment: Environment) {
        let profile = ConfigFile.profile(options, environment)
        var environment = environment
        environment.settings.keysFile = ConfigFile.keysPath(environment)
        environment.settings.keysSection = ConfigFile.section(for: profile.value)
        guard let file = try ConfigFile.open(options, environment) else {
            if profile.value != "default" {
                throw .configuration(
                    "\(profile.source) names profile '\(profile.value)', but there is no configuration file "
                        + "(neither XDG_CONFIG_HOME nor HOME is set)")
            }
            return (Options(), environment)
        }
        if !file.exists, let namedBy = file.namedBy {
            throw .configuration(
                "\(namedBy) names \(file.path), which does not exist; create it with "
                    + "imagegen config set --config \(file.path) KEY VALUE")
        }
        try file.checkSyntax()
        if profile.value != "default" && !file.profiles.contains(profile.value),
            try !keysFileHas(section: ConfigFile.section(for: profile.value), environment)
        {
            let known = file.profiles.isEmpty ? "it has none" : "its profiles: " + file.profiles.joined(separator: ", ")
            throw .configuration(
                "\(profile.source) names profile '\(profile.value)', which is not in \(file.path) (\(known)); "
                    + "create it with imagegen config set --profile \(profile.value) KEY VALUE")
        }
        var settings = Options()
        for entry in file.entries(profile: profile.value) {
            let effect: SettingKeys.Effect
            do {
                effect = try SettingKeys.check(entry.key, entry.value, home: environment["HOME"])
            } catch {
                throw .configuration("\(file.path) line \(entry.line): \(error.text)")
            }
            switch effect {
            case .options(let apply): apply(&settings)
            case .afterEnvironment(let value):
                environment.settings.values[entry.key] = Setting(
                    value: value, location: "\(file.path) line \(entry.line)")
            case .none: break
            }
        }
        return (settings, environment)
    }

    /// Whether the keys file has a section for a profile the configuration file lacks.
    private static func keysFileHas(section: String, _ environment: Environment) throws(ImageGenError) -> Bool {
        guard let path = environment.settings.keysFile, FileSystem.kind(path) != .missing else { return false }
        return try APIKeySources.readKeysFile(path).sections.contains(section)
    }
}
