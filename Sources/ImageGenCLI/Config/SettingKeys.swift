import ImageGenCore
import ImageGenProviders

/// The keys of the configuration file: every option the option table marks
/// as a setting, by its long name, checked by the same code as the flag;
/// and the key sources that are no option (`api-key-command`, per provider).
enum SettingKeys {
    /// Settings that are not options, with their line for `config list --help` and the man page.
    static let extras: [(name: String, help: String)] =
        [("api-key-command", "Shell command run with /bin/sh -c whose standard output is the API key.")]
        + ProviderKind.withAPIKeys.flatMap { provider in
            [
                ("\(provider.rawValue)-api-key-command", "api-key-command for \(provider.rawValue) only."),
                ("\(provider.rawValue)-api-key-file", "api-key-file for \(provider.rawValue) only."),
            ]
        }
        // Recognised for the history of generations, which reads it.
        + [("history", "true or false: whether generations are recorded in the history.")]

    /// Every key, options first in the option table's order.
    static var names: [String] { OptionTable.all.filter(\.isSetting).map(\.long) + extras.map(\.name) }

    /// Whether a value of `name` should be masked when listed: a key source may carry the key itself.
    static func isKeyLike(_ name: String) -> Bool { name.contains("api-key") }

    /// What a value does once checked.
    enum Effect {
        /// Applied to the options below the command line's (no variable can override it).
        case options((inout Options) -> Void)
        /// Consulted after the option's variables, where its value is resolved.
        case afterEnvironment(String)
        /// `false` for a flag: nothing to do.
        case none
    }

    /// `value` checked for `name` as the flag's value would be. Throws the
    /// text to put after the key's place (`line 4: `).
    static func check(_ name: String, _ value: String, home: String?) throws(Problem) -> Effect {
        guard !value.isEmpty else { throw Problem("\(name) has no value; remove the line or give one") }
        if let spec = OptionTable.find(long: name), spec.isSetting {
            switch spec.kind {
            case .flag(let apply):
                switch value {
                case "true": return spec.environment == nil ? .options(apply) : .afterEnvironment(value)
                case "false": return .none
                default: throw Problem("\(name) expects true or false, got '\(value)'")
                }
            case .value(let placeholder, _, let apply):
                // A shell would have expanded ~ on the command line; the file has no shell.
                let value =
                    placeholder == "FILE" || placeholder == "PATH"
                    ? PathSetting.expandTilde(value, home: home) : value
                var scratch = Options()
                do {
                    try apply(&scratch, value)
                } catch {
                    let note = error.note.map { " (\($0))" } ?? ""
                    throw Problem("\(name) expects \(error.expected), got '\(value)'\(note)")
                }
                if spec.environment != nil { return .afterEnvironment(value) }
                return .options { options in try? apply(&options, value) }
            case .operands, .command, .commandValue, .fieldList:
                break
            }
        }
        guard extras.contains(where: { $0.name == name }) else { throw Problem(refusal(name)) }
        if name == "history" && value != "true" && value != "false" {
            throw Problem("history expects true or false, got '\(value)'")
        }
        return .afterEnvironment(
            name.hasSuffix("-file") ? PathSetting.expandTilde(value, home: home) : value)
    }

    /// Why `name` is no setting: a secret, or a name imagegen does not know.
    static func refusal(_ name: String) -> String {
        if let spec = OptionTable.find(long: name), !spec.isSetting,
            name == "api-key" || name.hasPrefix("aws-")
        {
            return "\(name) is a secret and is not a setting; keep it with imagegen keys set PROVIDER, "
                + "or point api-key-command or api-key-file at it"
        }
        if let spec = OptionTable.find(long: name), !spec.isSetting {
            return "--\(name) is an option of one run, not a setting"
        }
        return unknownText(name)
    }

    static func unknownText(_ name: String) -> String {
        let names = names
        let closest = names.min { EditDistance.between($0, name) < EditDistance.between($1, name) }
        let suggestion = closest.flatMap { EditDistance.between($0, name) <= 2 ? "; did you mean \($0)?" : nil } ?? ""
        return "unknown setting '\(name)'\(suggestion); the settings are the long option names "
            + "imagegen --help shows, api-key-command and PROVIDER-api-key-command or -file "
            + "(CONFIGURATION in man imagegen)"
    }

    struct Problem: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }
}

/// `~/` at the start of a path setting, as a shell would have expanded it.
enum PathSetting {
    static func expandTilde(_ path: String, home: String?) -> String {
        guard let home, path == "~" || path.hasPrefix("~/") else { return path }
        return home + path.dropFirst()
    }
}
