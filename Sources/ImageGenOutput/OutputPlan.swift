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

    /// Checks what needs no file system beyond telling what `-o` names: `-o -`
    /// and `-o DEVICE` take exactly one image, and `-o -` cannot share standard
    /// output with `--json` (usage errors, exit 2).
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
        if case .stream(let path) = target, imageCount != 1 {
            throw .usage(
                "-o \(path) is a device or FIFO and takes one image, but \(imageCount) were requested; "
                    + "use -o DIR/ or -o NAME-{i}.png")
        }
    }

    package init(output: OutputOptions, request: GenerationRequest) throws(ImageGenError) {
        try self.init(
            output: output, prompt: request.prompt, imageCount: request.imageCount,
            expectedExtension: OutputPlan.expectedExtension(for: request))
    }

    /// `--output-format` (or `--param output_format=…`) decides the extension a name without one gets.
    package static func expectedExtension(for request: GenerationRequest) -> String {
        let format = (request.parameters.extra("output_format")?.stringValue ?? request.parameters.outputFormat)?
            .lowercased()
        switch format {
        case "jpeg", "jpg": return ImageFormat.jpeg.fileExtension
        case "webp": return ImageFormat.webp.fileExtension
        default: return ImageFormat.png.fileExtension
        }
    }

    /// The files the images will have when every name is free: nil when
    /// they go to standard output or a device. `--skip-existing` looks for them.
    package var plannedFiles: [String]? {
        switch target {
        case .standardOutput, .stream:
            return nil
        case .directory(let directory):
            return (1...max(1, imageCount)).map { number in
                OutputNaming.join(
                    directory,
                    OutputNaming.generatedName(
                        slug: slug, number: imageCount > 1 ? number : nil, fileExtension: expectedExtension))
            }
        case .file(let template):
            return (0..<max(1, imageCount)).map { index in
                OutputNaming.explicitName(template, index: index, count: imageCount, fileExtension: expectedExtension)
            }
        }
    }

    /// Whether every planned file exists (`--skip-existing`).
    package var isAlreadyWritten: Bool {
        plannedFiles.map { $0.allSatisfy(FileSystem.exists) } ?? false
    }

    /// The file-system checks, run after `--dry-run` has had its chance and
    /// before any request, for every name the images will get: names and
    /// paths within the system's limits (the temporary file beside each one
    /// included), an explicit name that exists (unless `force`, or a device
    /// or FIFO, which is written into rather than replaced), a directory that
    /// cannot be created or written. Nothing is created.
    package func preflight(force: Bool) throws(ImageGenError) {
        switch target {
        case .standardOutput:
            return
        case .stream(let path):
            try OutputPlan.checkStream(path)
        case .directory(let directory):
            let first = OutputNaming.generatedName(
                slug: slug, number: imageCount > 1 ? 1 : nil, fileExtension: expectedExtension)
            let longest = OutputNaming.generatedName(
                slug: slug, number: imageCount + OutputStage.generatedNameAttempts,
                fileExtension: expectedExtension)
            try OutputPlan.checkLengths(OutputNaming.join(directory, first), longestName: longest)
            try OutputPlan.checkDirectory(directory.isEmpty ? "." : directory)
        case .file(let template):
            var checkedDirectories: Set<String> = []
            for index in 0..<max(imageCount, 1) {
                let path = OutputNaming.explicitName(
                    template, index: index, count: imageCount,
                    fileExtension: expectedExtension)
                guard let destination = try OutputPlan.checkExplicit(path, force: force) else { continue }
                let directory = FileSystem.directoryName(destination)
                if checkedDirectories.insert(directory).inserted { try OutputPlan.checkDirectory(directory) }
            }
        }
    }

    /// What writing `path` will do to what is there now; returns the file
    /// that will be replaced or created (the target of a symlink with
    /// `force`), or nil for a device or FIFO, which is written into.
    static func checkExplicit(_ path: String, force: Bool) throws(ImageGenError) -> String? {
        try checkLengths(path)
        switch FileSystem.kind(path) {
        case .missing:
            return path
        case .directory:
            throw .write("\(shown(path)) is a directory; pass -o \(shown(path))/ to write into it")
        case .stream:
            try checkStream(path)
            return nil
        case .other:
            throw .write("cannot write \(shown(path)): it is a block device or socket; choose another -o")
        case .danglingLink:
            if !force { throw exists(path) }
            throw .write(
                "cannot write \(shown(path)): it is a symbolic link to a file that does not exist; "
                    + "remove the link or choose another -o")
        case .regularFile:
            if !force { throw exists(path) }
            guard FileSystem.isSymbolicLink(path) else { return path }
            // --force replaces the file the link points at, in its own directory.
            let target: String
            do {
                target = try FileSystem.resolvedPath(path)
            } catch {
                throw .write("cannot write \(shown(path)): cannot follow the symbolic link: \(error.message)")
            }
            try checkLengths(target)
            return target
        }
    }

    static func exists(_ path: String) -> ImageGenError {
        .write("\(shown(path)) already exists; pass --force to replace it or choose another -o")
    }

    static func checkStream(_ path: String) throws(ImageGenError) {
        if let failure = FileSystem.canWrite(existing: path) {
            throw .write("cannot write \(shown(path)): \(failure.message)")
        }
    }

    /// `path` and the temporary file written beside it are names the system
    /// accepts: every name not created yet within the file system's NAME_MAX,
    /// and both paths within PATH_MAX. The kernel would refuse them only
    /// after the images were paid for. `longestName` stands for the last
    /// name when that may grow (a generated name taking a higher number).
    static func checkLengths(_ path: String, longestName: String? = nil) throws(ImageGenError) {
        let directory = FileSystem.directoryName(path)
        let name = lastComponent(path)
        let longestName = longestName ?? name
        var newDirectories: [String] = []
        var existing = directory
        while FileSystem.kind(existing) == .missing {
            let parent = FileSystem.directoryName(existing)
            if parent == existing { break }
            newDirectories.append(lastComponent(existing))
            existing = parent
        }
        let nameLimit = FileSystem.maximumNameLength(at: existing)
        for name in newDirectories.reversed() where name.utf8.count > nameLimit {
            throw .write(
                "cannot write \(shown(path)): the directory name \(shown(name)) has \(name.utf8.count) bytes, "
                    + "more than the \(nameLimit) the file system allows; choose a shorter -o")
        }
        if longestName.utf8.count > nameLimit {
            throw .write(
                "cannot write \(shown(path)): its name has \(longestName.utf8.count) bytes, "
                    + "more than the \(nameLimit) the file system allows; choose a shorter -o")
        }
        let temporary = OutputWriter.longestTemporaryName
        if temporary.utf8.count > nameLimit {
            throw .write(
                "cannot write into \(shown(existing)): its file system takes names of at most \(nameLimit) "
                    + "bytes, too few for imagegen's temporary files; choose another -o")
        }
        let pathLimit = FileSystem.maximumPathLength
        let pathLength = path.utf8.count - name.utf8.count + longestName.utf8.count
        if pathLength > pathLimit {
            throw .write(
                "cannot write \(shown(path)): the path has \(pathLength) bytes, more than the \(pathLimit) "
                    + "the system allows; choose a shorter -o")
        }
        let temporaryPath = (directory.hasSuffix("/") ? directory : directory + "/") + temporary
        if temporaryPath.utf8.count > pathLimit {
            throw .write(
                "cannot write \(shown(path)): the temporary file written beside it needs a path of "
                    + "\(temporaryPath.utf8.count) bytes, more than the \(pathLimit) the system allows; "
                    + "choose a shorter -o")
        }
    }

    /// The last name in `path`, trailing slashes ignored.
    static func lastComponent(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        return String(trimmed.split(separator: "/", omittingEmptySubsequences: false).last ?? trimmed)
    }

    /// A path for a message: whole when short, else its start and end, so
    /// that a name too long for the system does not fill the terminal.
    static func shown(_ path: String) -> String {
        guard path.count > 100 else { return path }
        return "\(path.prefix(40))…\(path.suffix(50))"
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
                throw .write("cannot write into \(shown(directory)): \(error.message)")
            }
        case .missing:
            let ancestor = FileSystem.nearestExistingAncestor(directory)
            guard FileSystem.kind(ancestor) == .directory else {
                throw .write(
                    "cannot create directory \(shown(directory)): \(shown(ancestor)) is not a directory")
            }
            if let failure = FileSystem.canWriteInto(existingDirectory: ancestor) {
                throw .write("cannot create directory \(shown(directory)): \(failure.message)")
            }
        case .regularFile, .stream, .danglingLink, .other:
            throw .write("cannot use \(shown(directory)) as the output directory: it is not a directory")
        }
    }
}
