import ImageGenCore
import ImageGenImaging

/// What `-o` and the request decide about the files before anything is sent:
/// where images go, the slug for generated names, and the extension expected
/// for names given without one.
package struct OutputPlan: Equatable, Sendable {
    package var target: OutputTarget
    package var slug: String
    /// Images the request asks for (the result may hold fewer).
    package var imageCount: Int
    /// Used only to check explicit names without an extension in `preflight`;
    /// the written file's extension always comes from its bytes.
    package var expectedExtension: String

    /// Checks what needs no file system: `-o -` takes exactly one image and
    /// cannot share standard output with `--json` (usage errors, exit 2).
    package init(
        output: OutputOptions, prompt: String, imageCount: Int,
        expectedExtension: String = "png"
    ) throws(ImageGenError) {
        target = OutputTarget(output.output)
        slug = OutputNaming.slug(prompt)
        self.imageCount = imageCount
        self.expectedExtension = expectedExtension
        if target == .standardOutput {
            if imageCount != 1 {
                throw .usage(
                    "-o - writes one image to standard output, but \(imageCount) were requested; "
                        + "use -o DIR/ or -o NAME-{i}.png")
            }
            if output.json {
                throw .usage("-o - and --json both use standard output; choose one, or pass -o FILE with --json")
            }
        }
    }

    package init(output: OutputOptions, request: GenerationRequest) throws(ImageGenError) {
        try self.init(
            output: output, prompt: request.prompt, imageCount: request.imageCount,
            expectedExtension: OutputPlan.expectedExtension(for: request))
    }

    /// gpt-image models take `output_format` (png, jpeg, webp) through `--param`.
    package static func expectedExtension(for request: GenerationRequest) -> String {
        let format = request.parameters.extra("output_format")?.stringValue?.lowercased()
        switch format {
        case "jpeg", "jpg": return ImageFormat.jpeg.fileExtension
        case "webp": return ImageFormat.webp.fileExtension
        default: return ImageFormat.png.fileExtension
        }
    }

    /// The file-system checks, run after `--dry-run` has had its chance and
    /// before any request: an explicit name that exists (unless `force`), a
    /// directory that cannot be created or written. Nothing is created.
    package func preflight(force: Bool) throws(ImageGenError) {
        switch target {
        case .standardOutput:
            return
        case .directory(let directory):
            try OutputPlan.checkDirectory(directory.isEmpty ? "." : directory)
        case .file(let template):
            var checkedDirectories: Set<String> = []
            for index in 0..<max(imageCount, 1) {
                let path = OutputNaming.explicitName(
                    template, index: index, count: imageCount,
                    fileExtension: expectedExtension)
                switch FileSystem.kind(path) {
                case .missing: break
                case .directory: throw .write("\(path) is a directory; pass -o \(path)/ to write into it")
                case .other:
                    if !force { throw OutputPlan.exists(path) }
                }
                let directory = FileSystem.directoryName(path)
                if checkedDirectories.insert(directory).inserted { try OutputPlan.checkDirectory(directory) }
            }
        }
    }

    static func exists(_ path: String) -> ImageGenError {
        .write("\(path) already exists; pass --force to replace it or choose another -o")
    }

    /// The directory exists and accepts a new file, or it can be created.
    static func checkDirectory(_ directory: String) throws(ImageGenError) {
        switch FileSystem.kind(directory) {
        case .directory:
            // A real probe, not access(2): it also catches read-only mounts and
            // is right for root, whom permission bits do not stop.
            do {
                try OutputWriter.writeTemporary([], in: directory).discard()
            } catch {
                throw .write("cannot write into \(directory): \(error.message)")
            }
        case .other:
            throw .write("cannot use \(directory) as the output directory: it is not a directory")
        case .missing:
            let ancestor = FileSystem.nearestExistingAncestor(directory)
            guard FileSystem.kind(ancestor) == .directory else {
                throw .write("cannot create directory \(directory): \(ancestor) is not a directory")
            }
            if let failure = FileSystem.canWriteInto(existingDirectory: ancestor) {
                throw .write("cannot create directory \(directory): \(failure.message)")
            }
        }
    }
}
