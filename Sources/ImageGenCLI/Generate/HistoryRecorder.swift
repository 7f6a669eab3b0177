import ImageGenCore
import ImageGenHTTP
import ImageGenOutput
import ImageGenProviders

/// Turns each generation of a run, once its files are written, into a
/// `HistoryRecord` appended to the history: one line, one write, no
/// reading back, so a batch of ten thousand lines pays ten thousand
/// appends and nothing more.
final class HistoryRecorder: Sendable {
    let writer: HistoryLog.Writer
    /// `--batch FILE` as a path from anywhere (nil for a single generation; `-` stays `-`).
    let batchFile: String?
    /// Where relative output paths start, to record them absolute.
    let directory: String?
    let redactor: Redactor

    init(writer: HistoryLog.Writer, batchFile: String?, redactor: Redactor) {
        let directory = FileSystem.currentDirectory()
        self.writer = writer
        self.directory = directory
        self.batchFile = batchFile.map { $0 == "-" ? $0 : Self.absolute($0, in: directory) }
        self.redactor = redactor
    }

    func record(_ prepared: PreparedGeneration, _ report: LineReport, requestIDs: [String], seconds: Double) {
        let route = prepared.knowledge.route
        var record = HistoryRecord(
            time: Int(Clock.now()), prompt: prepared.request.prompt, model: report.result?.model ?? route.model,
            provider: (report.result?.provider ?? route.provider).rawValue,
            parameters: ImageMetadata.parameters(prepared.request.parameters),
            images: report.outcomes.filter { $0.savedImage != nil }.count,
            exit: Int(report.errors.first?.exitCode ?? 0))
        record.operation = prepared.request.edit?.task
        for case .success(let saved) in report.outcomes {
            switch saved.destination {
            case .file(let path):
                record.files.append(Self.file(Self.absolute(path, in: directory), saved))
            case .standardOutput:
                record.files.append(Self.file("-", saved))
            case .notDownloaded(let url):
                record.urls.append(redactor.redact(signedURL: url))
            }
        }
        record.costMicros = report.costMicros
        record.requestIDs = requestIDs
        record.durationMillis = Int((max(0, seconds) * 1000).rounded())
        if let failure = report.errors.first {
            record.error = ResultDocument.error(failure, redactor: redactor, provider: route.provider)
        }
        if let batchFile {
            record.batchFile = batchFile
            record.batchLine = prepared.index + 1
        }
        record.version = ImageGenVersion.current
        writer.append(record)
    }

    private static func file(_ path: String, _ saved: SavedImage) -> HistoryRecord.File {
        HistoryRecord.File(
            path: path, sha256: saved.sha256, format: saved.info?.format.rawValue, width: saved.info?.width,
            height: saved.info?.height, bytes: saved.info?.byteCount)
    }

    /// `out/a.png` from `/home/u` is `/home/u/out/a.png`; absolute paths and
    /// paths when the directory is unknown stay as they are.
    static func absolute(_ path: String, in directory: String?) -> String {
        guard !path.hasPrefix("/"), let directory else { return path }
        var relative = Substring(path)
        while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
        return (directory.hasSuffix("/") ? directory : directory + "/") + relative
    }
}
