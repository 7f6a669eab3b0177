import ImageGenCore
import ImageGenImaging

/// `--partial-dir DIR`: the partial images of a streamed generation, each
/// written whole under its name or not at all, like every file. A retry
/// sends its partials again, so a partial replaces the one an earlier
/// attempt left under its name.
package enum PartialOutput {
    /// `DIR/NAME.partial-K.EXT`: NAME is the final image's planned name
    /// without its extension, K counts the partials from 1, EXT follows the
    /// partial's own bytes.
    package static func path(
        directory: String, plan: OutputPlan, image: Int, partial: Int, format: ImageFormat
    ) -> String {
        let planned =
            plan.plannedFiles?[safe: image]
            ?? OutputNaming.generatedName(
                slug: plan.slug, number: plan.imageCount > 1 ? image + 1 : nil,
                fileExtension: plan.expectedExtension)
        let name = String(
            planned[(planned.lastIndex(of: "/").map { planned.index(after: $0) } ?? planned.startIndex)...])
        let stem = OutputNaming.splitExtension(name).stem
        return OutputNaming.join(directory, "\(stem).partial-\(partial + 1).\(format.fileExtension)")
    }

    package static func write(_ bytes: [UInt8], to path: String) throws(ImageGenError) {
        _ = try OutputWriter.write(FileContents(bytes), to: path, replacing: true)
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
