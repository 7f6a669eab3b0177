import ImageGenCore
import ImageGenOutput
import ImageGenProviders

/// The provider's own model list as `imagegen models --live` last saw it,
/// one file per provider: `$XDG_CACHE_HOME/imagegen/models-PROVIDER.json`,
/// else `$HOME/.cache/imagegen/…`. Only ever a help: a missing, unreadable
/// or damaged file is as if there were none.
enum ModelCache {
    /// Nil when neither variable names an absolute directory (XDG's rule:
    /// a relative `XDG_CACHE_HOME` is ignored).
    static func path(for provider: ProviderKind, environment: Environment) -> String? {
        let directory: String
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") {
            directory = withoutTrailingSlashes(cache)
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            directory = withoutTrailingSlashes(home) + "/.cache"
        } else {
            return nil
        }
        return directory + "/imagegen/models-\(provider.rawValue).json"
    }

    /// `/home/u/` → `/home/u`, `/` → the empty string, so joining adds one slash.
    private static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    static func read(_ provider: ProviderKind, environment: Environment) -> LiveModelList? {
        // A FIFO or device in its place would block or never end: only a regular file is read.
        guard let path = path(for: provider, environment: environment), FileSystem.kind(path) == .regularFile,
            case .success(let bytes) = FileSystem.readFile(path), bytes.count <= maximumSize,
            let json = try? JSON.parse(bytes), let list = LiveModelList(json: json), list.provider == provider
        else { return nil }
        return list
    }

    /// Far above any provider's list of image models; a larger file is not ours.
    static let maximumSize = 4 << 20

    /// Returns the path written; nil when there is nowhere to write.
    static func write(_ list: LiveModelList, environment: Environment) throws(ImageGenError) -> String? {
        guard let path = path(for: list.provider, environment: environment) else { return nil }
        var text = ""
        list.json.write(pretty: true) { text += $0 }
        do {
            try PrivateFile.replace(path, with: Array((text + "\n").utf8))
        } catch {
            throw .write("cannot write the model cache \(path): \(error.message)")
        }
        return path
    }

    /// What the cached list says about the model a generation is about to
    /// use, when that can matter: a known model on the provider's own
    /// endpoint (Azure deployments keep their own schedule, so they are
    /// never gated). `region` is the Bedrock region the request goes to.
    static func knownLifecycle(
        for knowledge: ModelKnowledge, official: Bool, region: String?, environment: Environment
    ) -> Lifecycle? {
        let provider = knowledge.route.provider
        guard official, provider != .azure, knowledge.entry != nil,
            let list = read(provider, environment: environment)
        else { return nil }
        return list.lifecycle(for: knowledge, region: region)
    }
}
