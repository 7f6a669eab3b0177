import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
/// Where one image ended up.
package struct SavedImage: Equatable, Sendable {
    package enum Destination: Equatable, Sendable {
        /// The path as the user would type it (relative when `-o` was).
        case file(String)
        case standardOutput
        /// `--no-download`: only the provider's URL.
        case notDownloaded(url: String)
    }

    package var destination: Destination
    /// Nil only when the image was not downloaded.
    package var info: ImageInfo?

    package init(destination: Destination, info: ImageInfo?) {
        self.destination = destination
        self.info = info
    }

    package var file: String? {
        if case .file(let path) = destination { return path }
        return nil
    }
}

/// What happened to one image of the result; the stage returns one per image, in order.
package enum ImageOutcome: Equatable, Sendable {
    case success(SavedImage)
    case failure(ImageGenError)

    package var savedImage: SavedImage? {
        if case .success(let saved) = self { return saved }
        return nil
    }

    package var error: ImageGenError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}

/// Turns a provider's result into files (SPEC §2 output options). Each image
/// is handled on its own: one that fails does not stop the others, so the
/// caller keeps what succeeded and exits with the first failure's code.
package enum OutputStage {
    /// Fetches a URL the provider returned; the transport supplies it.
    package typealias Download = (String) throws(ImageGenError) -> [UInt8]

    /// An image decoded and validated ahead of writing (see `check`).
    package typealias Checked = Result<CheckedImage, ImageGenError>

    package struct CheckedImage: Sendable {
        package var bytes: [UInt8]
        package var info: ImageInfo
    }

    /// Decodes or downloads, checks and writes every image of `result` where
    /// `plan` says; `options` gives `--force` and `--no-download`. With
    /// `metadata`, every PNG gets it as text chunks (SPEC: unless `--no-metadata`).
    /// `prechecked[i]`, when present, is image i already through `check`
    /// (fan-out answers are checked as they arrive, while others are in flight).
    package static func process(_ result: GenerationResult, plan: OutputPlan, options: OutputOptions,
                               metadata: ImageMetadata? = nil, prechecked: [Checked?] = [],
                               download: Download) -> [ImageOutcome] {
        var nextNumber = 1  // generated names of a multi-image run stay in rising order
        var outcomes: [ImageOutcome] = []
        for (index, image) in result.images.enumerated() {
            do {
                let known = index < prechecked.count ? prechecked[index] : nil
                outcomes.append(.success(try save(image, index: index, of: result, plan: plan, options: options,
                                                  metadata: metadata, prechecked: known, nextNumber: &nextNumber,
                                                  download: download)))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    /// Standard output without `--json`: a path per written file, the URL of
    /// an image not downloaded, nothing for `-o -` or a failed image.
    package static func plainLines(_ outcomes: [ImageOutcome]) -> [String] {
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
    package static func firstFailure(_ outcomes: [ImageOutcome]) -> ImageGenError? {
        outcomes.lazy.compactMap(\.error).first
    }

    // MARK: - Steps

    static func save(_ image: GeneratedImage, index: Int, of result: GenerationResult, plan: OutputPlan,
                     options: OutputOptions, metadata: ImageMetadata? = nil, prechecked: Checked? = nil,
                     nextNumber: inout Int, download: Download) throws(ImageGenError) -> SavedImage {
        if !image.hasImageData, let url = image.url, options.noDownload {
            return SavedImage(destination: .notDownloaded(url: url), info: nil)
        }
        let provider = result.provider.rawValue
        let count = result.images.count
        let label = "image \(index + 1)"
        let checked: CheckedImage
        if let prechecked {
            checked = try prechecked.get()
        } else {
            checked = try check(image, label: label, provider: provider, download: download)
        }
        let decoded = checked.bytes
        var info = checked.info
        var bytes = FileContents(decoded)
        if info.format == .png, let metadata {
            bytes = labelled(decoded, metadata.entries(revisedPrompt: image.revisedPrompt))
            info.byteCount = bytes.count
        }
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

    /// The PNG with its text chunks. The inspector has validated it, so libpng
    /// refusing it now is out of memory at worst; the image the user paid for
    /// is then written without its label rather than lost.
    static func labelled(_ png: [UInt8], _ entries: [(key: String, value: String)]) -> FileContents {
        switch PNGText.adding(entries, to: png) {
        case .success(let labelled): return labelled
        case .failure: return FileContents(png)
        }
    }

    /// Decodes (or downloads) and validates one image: the costly part of
    /// output, which needs nothing from the other images.
    package static func check(_ image: GeneratedImage, label: String, provider: String,
                             download: Download) throws(ImageGenError) -> CheckedImage {
        let decoded = try imageBytes(image, label: label, provider: provider, download: download)
        return CheckedImage(bytes: decoded, info: try ImageInspector.inspect(decoded, provider: provider, label: label))
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
    static func writeGenerated(_ bytes: FileContents, directory: String, slug: String, fileExtension: String,
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
