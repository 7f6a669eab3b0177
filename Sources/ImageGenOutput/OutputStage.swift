import ImageGenCore
import ImageGenImaging
import ImageGenProviders

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
    /// The SHA-256 (hex) of the bytes written, when the history asked for it.
    package var sha256: String?

    package init(destination: Destination, info: ImageInfo?, sha256: String? = nil) {
        self.destination = destination
        self.info = info
        self.sha256 = sha256
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

/// Turns a provider's checked images into files (SPEC §2 output options).
/// Each image is handled on its own: one that fails does not stop the
/// others, so the caller keeps what succeeded and exits with the first
/// failure's code.
package enum OutputStage {
    /// Writes every image of `result` where `plan` says; `images[i]` is image
    /// i already through `ImageCheck`. With `metadata`, every PNG gets it as
    /// text chunks (SPEC: unless `--no-metadata`). With `digest`, each
    /// saved image carries the SHA-256 of exactly the bytes written.
    package static func write(
        _ result: GenerationResult, images: [PreparedImage], plan: OutputPlan,
        options: OutputOptions, metadata: ImageMetadata? = nil,
        standardOutput: StreamWriter, digest: Bool = false
    ) -> [ImageOutcome] {
        var nextNumber = 1  // generated names of a multi-image run stay in rising order
        var outcomes: [ImageOutcome] = []
        for (index, image) in images.enumerated() {
            do {
                let revisedPrompt = index < result.images.count ? result.images[index].revisedPrompt : nil
                outcomes.append(
                    .success(
                        try save(
                            image, index: index, count: images.count, plan: plan,
                            options: options, metadata: metadata?.entries(revisedPrompt: revisedPrompt),
                            nextNumber: &nextNumber, standardOutput: standardOutput, digest: digest)))
            } catch {
                outcomes.append(.failure(error))
            }
        }
        return outcomes
    }

    /// Standard output without `--json`: a path per written file, the URL of
    /// an image not downloaded, nothing for `-o -` or a failed image.
    package static func plainLine(_ outcome: ImageOutcome) -> String? {
        guard let saved = outcome.savedImage else { return nil }
        switch saved.destination {
        case .file(let path): return path
        case .notDownloaded(let url): return url
        case .standardOutput: return nil
        }
    }

    // MARK: - Steps

    static func save(
        _ image: PreparedImage, index: Int, count: Int, plan: OutputPlan, options: OutputOptions,
        metadata: [(key: String, value: String)]?, nextNumber: inout Int,
        standardOutput: StreamWriter, digest: Bool = false
    ) throws(ImageGenError) -> SavedImage {
        let checked: CheckedImage
        switch image {
        case .notDownloaded(let url): return SavedImage(destination: .notDownloaded(url: url), info: nil)
        case .failed(let error): throw error
        case .checked(let image): checked = image
        }
        let label = "image \(index + 1)"
        var info = checked.info
        var bytes = FileContents(checked.bytes)
        if info.format == .png, let metadata {
            bytes = labelled(checked.bytes, metadata)
            info.byteCount = bytes.count
        }
        let sha256 = digest ? Crypto.sha256Hex(pieces: bytes.pieces) : nil
        switch plan.target {
        case .standardOutput:
            guard index == 0 else { throw .write("-o - takes a single image; \(label) of \(count) was not written") }
            try OutputWriter.writeToStandardOutput(bytes, standardOutput)
            return SavedImage(destination: .standardOutput, info: info, sha256: sha256)
        case .stream(let path):
            guard index == 0 else { throw .write("\(path) takes a single image; \(label) of \(count) was not written") }
            try OutputWriter.writeIntoStream(bytes, path: path)
            return SavedImage(destination: .file(path), info: info, sha256: sha256)
        case .file(let template):
            let path = OutputNaming.explicitName(
                template, index: index, count: count,
                fileExtension: info.format.fileExtension)
            if try OutputWriter.write(bytes, to: path, replacing: options.force) == .nameTaken {
                throw OutputPlan.exists(path)
            }
            return SavedImage(destination: .file(path), info: info, sha256: sha256)
        case .directory(let directory):
            let (path, number) = try writeGenerated(
                bytes, directory: directory, slug: plan.slug, fileExtension: info.format.fileExtension,
                firstNumber: count == 1 ? nil : max(index + 1, nextNumber), replacing: options.force)
            if let number { nextNumber = number + 1 }
            return SavedImage(destination: .file(path), info: info, sha256: sha256)
        }
    }

    /// The PNG with its text chunks. The image was validated, so libpng
    /// refusing it now is out of memory at worst; the image the user paid for
    /// is then written without its label rather than lost.
    static func labelled(_ png: [UInt8], _ entries: [(key: String, value: String)]) -> FileContents {
        switch PNGText.adding(entries, to: png) {
        case .success(let labelled): return labelled
        case .failure: return FileContents(png)
        }
    }

    /// How many numbered names a generated name tries before giving up.
    static let generatedNameAttempts = 10_000

    /// Writes under the first free generated name: `slug.ext` (lone image,
    /// `firstNumber` nil) then `slug-2.ext`, `slug-3.ext`…; or `slug-N.ext`
    /// from `firstNumber` on. A name taken by anyone, even by another process
    /// between our check and our link, just moves us to the next number.
    /// With `replacing` (`--force`) the first name is used whatever is there.
    static func writeGenerated(
        _ bytes: FileContents, directory: String, slug: String, fileExtension: String,
        firstNumber: Int?, replacing: Bool
    ) throws(ImageGenError) -> (String, Int?) {
        func number(_ attempt: Int) -> Int? {
            firstNumber.map { $0 + attempt } ?? (attempt == 0 ? nil : attempt + 1)
        }
        func path(_ attempt: Int) -> String {
            OutputNaming.join(
                directory,
                OutputNaming.generatedName(
                    slug: slug, number: number(attempt), fileExtension: fileExtension))
        }
        if replacing {
            _ = try OutputWriter.write(bytes, to: path(0), replacing: true)
            return (path(0), number(0))
        }
        let attempts = generatedNameAttempts
        guard
            let used = try OutputWriter.writeUnderFirstFreeName(
                bytes, directory: directory.isEmpty ? "." : directory, candidates: (0..<attempts).lazy.map(path))
        else {
            throw .write("no free file name for \(path(0)): the next \(attempts) numbers are taken")
        }
        return (path(used), number(used))
    }
}
