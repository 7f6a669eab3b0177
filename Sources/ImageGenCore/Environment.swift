import Glibc

/// The process environment as a value, so configuration resolution is a pure
/// function that tests can feed.
package struct Environment: Sendable {
    package var values: [String: String]
    /// The configuration file's settings, consulted after the variables.
    package var settings = Settings()

    package init(_ values: [String: String] = [:]) {
        self.values = values
    }

    package static func current() -> Environment {
        var values: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                values[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return Environment(values)
    }

    /// A variable's value; an empty value counts as unset, as in the AWS CLI and curl.
    package subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The first of `names` that is set, with its name (for messages).
    package func first(_ names: [String]) -> (name: String, value: String)? {
        for name in names {
            if let value = self[name] { return (name, value) }
        }
        return nil
    }
}

/// A setting and where it came from, so an error can say which source was wrong.
package struct Sourced<Value: Sendable>: Sendable {
    package var value: Value
    /// `--api-base`, `OPENAI_API_BASE`, or `default`.
    package var source: String
    package var fromFlag: Bool { source.hasPrefix("-") }

    /// The error for a bad value: a usage error when the user typed it as a
    /// flag, a configuration error when it came from the environment or a file.
    package func invalid(_ text: String) -> ImageGenError {
        fromFlag ? .usage(text) : .configuration(text)
    }

    package init(value: Value, source: String) {
        self.value = value
        self.source = source
    }
}

extension Environment {
    /// Flag first, then each variable in order, then the setting of the
    /// option's name in the configuration file, then the default.
    package func resolve(
        flag: String?, flagName: String, variables: [String],
        default defaultValue: String? = nil
    ) -> Sourced<String>? {
        if let flag { return Sourced(value: flag, source: flagName) }
        if let (name, value) = first(variables) { return Sourced(value: value, source: name) }
        if let setting = setting(flagName) { return setting }
        if let defaultValue { return Sourced(value: defaultValue, source: "default") }
        return nil
    }
}

extension Environment {
    /// The configuration file's value for option `--name` (or `name`), with its place as the source.
    package func setting(_ name: String) -> Sourced<String>? {
        let bare = name.hasPrefix("--") ? String(name.dropFirst(2)) : name
        guard let setting = settings[bare], !setting.value.isEmpty else { return nil }
        return Sourced(value: setting.value, source: setting.source(bare))
    }
}
