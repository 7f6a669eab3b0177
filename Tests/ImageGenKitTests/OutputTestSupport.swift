import Foundation
@testable import ImageGenKit

/// Fixture files and scratch directories shared by the Output* test suites.
enum OutputFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bytes(_ name: String) -> [UInt8] {
        let url = directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fatalError("missing fixture \(url.path); run Fixtures/make_fixtures.py")
        }
        return [UInt8](data)
    }
}

/// A fresh directory under /tmp, removed with everything in it by `remove()`.
struct OutputScratchDirectory {
    let path: String

    init() {
        path = "/tmp/imagegen-output-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    func remove() {
        // Undo any chmod a test made so the tree can be deleted.
        if let all = FileManager.default.enumerator(atPath: path) {
            for case let item as String in all { chmod(path + "/" + item, 0o755) }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    func sub(_ name: String) -> String { path + "/" + name }

    /// Every entry, hidden ones included, sorted; recurses into subdirectories.
    func listing(_ relative: String = "") -> [String] {
        let base = relative.isEmpty ? path : sub(relative)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else { return [] }
        return entries.sorted().flatMap { entry -> [String] in
            let name = relative.isEmpty ? entry : relative + "/" + entry
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: sub(name), isDirectory: &isDirectory)
            return exists && isDirectory.boolValue ? [name + "/"] + listing(name) : [name]
        }
    }

    func contents(_ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: sub(name)).map { [UInt8]($0) }
    }

    func write(_ name: String, _ bytes: [UInt8]) {
        precondition(FileManager.default.createFile(atPath: sub(name), contents: Data(bytes)))
    }
}

extension GenerationResult {
    static func outputTest(_ images: [GeneratedImage], provider: ProviderKind = .openai) -> GenerationResult {
        GenerationResult(created: 1_703_658_209, model: "dall-e-3", provider: provider, images: images)
    }
}

extension OutputOptions {
    static func outputTest(_ output: String?, force: Bool = false, noDownload: Bool = false,
                           json: Bool = false) -> OutputOptions {
        var options = OutputOptions()
        options.output = output
        options.force = force
        options.noDownload = noDownload
        options.json = json
        return options
    }
}

func outputTestRefuseDownload(_ url: String) throws(ImageGenError) -> [UInt8] {
    throw .internal("unexpected download of \(url)")
}
