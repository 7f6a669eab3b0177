import Dispatch
import ImageGenCore
import ImageGenImaging
import ImageGenOutput
import ImageGenProviders

/// What a streamed generation (`--stream`) shows before its final image:
/// each partial counted on the progress line ("partial 1/2"), drawn with
/// `--preview`, saved with `--partial-dir`, and announced with `--json` as
/// one JSON line. Partials arrive on the transfer loop, which must not
/// wait: they are handled on one queue of their own, in arrival order.
final class StreamFollower: Sendable {
    private let queue = DispatchQueue(label: "imagegen.partial-images")
    private let live: LivePreview?
    private let progress: (any ProgressObserver)?
    private let partialDirectory: String?
    private let json: Bool
    private let batch: Bool
    private let standardOutput: StreamWriter
    private let reporter: Reporter

    init(
        live: LivePreview?, progress: (any ProgressObserver)?, partialDirectory: String?, json: Bool, batch: Bool,
        standardOutput: StreamWriter, reporter: Reporter
    ) {
        self.live = live
        self.progress = progress
        self.partialDirectory = partialDirectory
        self.json = json
        self.batch = batch
        self.standardOutput = standardOutput
        self.reporter = reporter
    }

    /// Where the partials of image `image` (0-based) of `prepared` go.
    func receiver(for prepared: PreparedGeneration, image: Int) -> @Sendable (PartialImage) -> Void {
        { partial in self.queue.async { self.show(partial, prepared: prepared, image: image) } }
    }

    /// Returns once every partial received so far is shown: the final
    /// image is drawn after its partials, never under a late one.
    func drain() {
        queue.sync {}
    }

    /// A streamed line's images are written: its last partial leaves the
    /// screen before its paths are printed and its final image drawn.
    func imagesWritten() {
        guard let live else { return }
        queue.sync {
            if let progress { progress.printingAside { live.erasePartial() } } else { live.erasePartial() }
        }
    }

    private func show(_ partial: PartialImage, prepared: PreparedGeneration, image: Int) {
        let total = prepared.request.partialImages ?? 0
        // The index is the server's: kept within what was asked for, it names no strange file.
        let index = min(max(partial.index, 0), max(total, 1) - 1)
        let label = (batch ? "line \(prepared.index + 1), " : "") + "image \(image + 1), partial \(index + 1)"
        guard let bytes = Base64.decode(partial.base64), let format = ImageFormat.detect(bytes) else {
            reporter.notice("\(label): not an image; skipped")
            return
        }
        progress?.partialImage(index + 1, of: total)
        var file: String?
        if let directory = partialDirectory {
            let path = PartialOutput.path(
                directory: directory, plan: prepared.plan, image: image, partial: index, format: format)
            do throws(ImageGenError) {
                try PartialOutput.write(bytes, to: path)
                file = path
            } catch {
                reporter.error(error, context: label)
            }
        }
        let event = eventLine(prepared: prepared, image: image, index: index, total: total, file: file, format: format)
        let show = {
            self.live?.drawPartial(bytes, format: format, label: file ?? label)
            if let event = event { self.standardOutput.write(event) }
        }
        if let progress { progress.printingAside(show) } else { show() }
    }

    /// `{"event":"partial","image":1,"index":1,"of":2,"file":…,"format":"png"}`,
    /// with `"index"` of the batch line first under `--batch`; nil without `--json`.
    private func eventLine(
        prepared: PreparedGeneration, image: Int, index: Int, total: Int, file: String?, format: ImageFormat
    ) -> String? {
        guard json else { return nil }
        var fields: [(String, JSON)] = [("event", .string("partial"))]
        if batch { fields.append(("line", .int(prepared.index + 1))) }
        fields += [
            ("image", .int(image + 1)), ("index", .int(index + 1)), ("of", .int(total)),
            ("file", file.map(JSON.string) ?? .null), ("format", .string(format.fileExtension)),
        ]
        return JSON.object(fields).text + "\n"
    }
}
