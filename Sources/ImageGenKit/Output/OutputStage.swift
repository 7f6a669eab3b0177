import Dispatch
import Synchronization

/// Where one image ended up.
public struct SavedImage: Equatable, Sendable {
    public enum Destination: Equatable, Sendable {
        /// The path as the user would type it (relative when `-o` was).
        case file(String)
        case standardOutput
        /// `--no-download`: only the provider's URL.
        case notDownloaded(url: String)
    }

    public var destination: Destination
    /// Nil only when the image was not downloaded.
    public var info: ImageInfo?

    public init(destination: Destination, info: ImageInfo?) {
        self.destination = destination
        self.info = info
    }

    public var file: String? {
        if case .file(let path) = destination { return path }
        return nil
    }
}

/// What happened to one image of the result; the stage returns one per image, in order.
public enum ImageOutcome: Equatable, Sendable {
    case success(SavedImage)
    case failure(ImageGenError)

    public var savedImage: SavedImage? {
        if case .success(let saved) = self { return saved }
        return nil
    }

    public var error: ImageGenError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Turns a provider's result into files (SPEC §2 output options). Each image
/// is handled on its own: one that fails does not stop the others, so the
/// caller keeps what succeeded and exits with the first failure's code.
public enum OutputStage {
    /// Fetches a URL the provider returned; the transport supplies it.
    public typealias Download = (String) throws(ImageGenError) -> [UInt8]

    /// Decodes or downloads, checks and writes every image of `result` where
    /// `plan` says; `options` gives `--force` and `--no-download`.
    public static func process(_ result: GenerationResult, plan: OutputPlan, options: OutputOptions,
                               download: Download) -> [ImageOutcome] {
        let checked = checkAll(result, options: options, download: download)
        var nextNumber = 1  // generated names of a multi-image run stay in rising order
        var outcomes: [ImageOutcome] = []
        for (index, image) in checked.enumerated() {
            do {
                outcomes.append(.success(try save(image.get(), index: index, of: result, plan: plan,
                                                  options: options, nextNumber: &nextNumber)))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    /// An image decoded (or downloaded) and checked, not yet written.
    enum CheckedImage {
        case bytes([UInt8], ImageInfo)
        case notDownloaded(url: String)
    }

    /// Decoding base64 and libpng's full check of every row are the costly
    /// part of the stage (about 10 ms for a 1024x1024 image), so the images of
    /// a result are checked on all cores at once; naming and writing, which
    /// must stay in order, come after.
    static func checkAll(_ result: GenerationResult, options: OutputOptions,
                         download: Download) -> [Result<CheckedImage, ImageGenError>] {
        let count = result.images.count
        guard count > 1 else {
            return result.images.enumerated().map { index, image in
                Result { () throws(ImageGenError) in try check(image, index: index, of: result, options: options,
                                                               download: download) }
            }
        }
        // URLs are fetched here, in order, since `download` need not be thread-safe.
        var fetched: [String: Result<[UInt8], ImageGenError>] = [:]
        for image in result.images where !image.hasImageData && !options.noDownload {
            if let url = image.url, fetched[url] == nil {
                fetched[url] = Result { () throws(ImageGenError) in try download(url) }
            }
        }
        let downloaded = fetched
        let slots = Mutex([Result<CheckedImage, ImageGenError>?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let checked = Result { () throws(ImageGenError) in
                try check(result.images[index], index: index, of: result, options: options) { url throws(ImageGenError) in
                    try (downloaded[url] ?? .failure(.internal("\(url) was not fetched"))).get()
                }
            }
            slots.withLock { $0[index] = checked }
        }
        return slots.withLock { $0.map { $0 ?? .failure(.internal("an image was not checked")) } }
    }

    static func check(_ image: GeneratedImage, index: Int, of result: GenerationResult, options: OutputOptions,
                      download: Download) throws(ImageGenError) -> CheckedImage {
        if !image.hasImageData, let url = image.url, options.noDownload {
            return .notDownloaded(url: url)
        }
        let provider = result.provider.rawValue
        let label = "image \(index + 1)"
        let bytes = try imageBytes(image, label: label, provider: provider, download: download)
        return .bytes(bytes, try ImageInspector.inspect(bytes, provider: provider, label: label))
    }

    /// Standard output without `--json`: a path per written file, the URL of
    /// an image not downloaded, nothing for `-o -` or a failed image.
    public static func plainLines(_ outcomes: [ImageOutcome]) -> [String] {
        outcomes.compactMap { outcome in
            guard let saved = outcome.savedImage else { return nil }
            switch saved.destination {
            case .file(let path): return path
            case .notDownloaded(let url): return url
            case .standardOutput: return nil
            }
        }
    }

    /// The error that decides the exit status (SPEC: the first failure's).
    public static func firstFailure(_ outcomes: [ImageOutcome]) -> ImageGenError? {
        outcomes.lazy.compactMap(\.error).first
    }

    // MARK: - Steps

    static func save(_ image: CheckedImage, index: Int, of result: GenerationResult, plan: OutputPlan,
                     options: OutputOptions, nextNumber: inout Int) throws(ImageGenError) -> SavedImage {
        let (bytes, info): ([UInt8], ImageInfo)
        switch image {
        case .notDownloaded(let url): return SavedImage(destination: .notDownloaded(url: url), info: nil)
        case .bytes(let decoded, let checked): (bytes, info) = (decoded, checked)
        }
        let count = result.images.count
        let label = "image \(index + 1)"
        switch plan.target {
        case .standardOutput:
            guard index == 0 else { throw .write("-o - takes a single image; \(label) of \(count) was not written") }
            try OutputWriter.writeToStandardOutput(bytes)
            return SavedImage(destination: .standardOutput, info: info)
        case .file(let template):
            let path = OutputNaming.explicitName(template, index: index, count: count,
                                                 fileExtension: info.format.fileExtension)
            if try OutputWriter.write(bytes, to: path, replacing: options.force) == .nameTaken {
                throw OutputPlan.exists(path)
            }
            return SavedImage(destination: .file(path), info: info)
        case .directory(let directory):
            let (path, number) = try writeGenerated(
                bytes, directory: directory, slug: plan.slug, fileExtension: info.format.fileExtension,
                firstNumber: count == 1 ? nil : max(index + 1, nextNumber), replacing: options.force)
            if let number { nextNumber = number + 1 }
            return SavedImage(destination: .file(path), info: info)
        }
    }

    static func imageBytes(_ image: GeneratedImage, label: String, provider: String,
                           download: Download) throws(ImageGenError) -> [UInt8] {
        if let decoded = image.decoded { return decoded }
        if let base64 = image.base64 {
            guard let bytes = Base64.decode(base64) else {
                throw .badResponse(provider: provider, message: "\(label): b64_json is not valid base64")
            }
            return bytes
        }
        if let url = image.url { return try download(url) }
        throw .badResponse(provider: provider, message: "\(label) has neither url nor b64_json")
    }

    /// Writes under the first free generated name: `slug.ext` (lone image,
    /// `firstNumber` nil) then `slug-2.ext`, `slug-3.ext`…; or `slug-N.ext`
    /// from `firstNumber` on. A name taken by anyone, even by another process
    /// between our check and our link, just moves us to the next number.
    /// With `replacing` (`--force`) the first name is used whatever is there.
    static func writeGenerated(_ bytes: [UInt8], directory: String, slug: String, fileExtension: String,
                               firstNumber: Int?, replacing: Bool) throws(ImageGenError) -> (String, Int?) {
        func number(_ attempt: Int) -> Int? {
            firstNumber.map { $0 + attempt } ?? (attempt == 0 ? nil : attempt + 1)
        }
        func path(_ attempt: Int) -> String {
            OutputNaming.join(directory, OutputNaming.generatedName(
                slug: slug, number: number(attempt), fileExtension: fileExtension))
        }
        if replacing {
            _ = try OutputWriter.write(bytes, to: path(0), replacing: true)
            return (path(0), number(0))
        }
        let attempts = 10_000
        guard let used = try OutputWriter.writeUnderFirstFreeName(
            bytes, directory: directory.isEmpty ? "." : directory, candidates: (0..<attempts).lazy.map(path))
        else {
            throw .write("no free file name for \(path(0)): the next \(attempts) numbers are taken")
        }
        return (path(used), number(used))
    }
}
