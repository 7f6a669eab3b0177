import ImageGenCore
import ImageGenImaging
import ImageGenProviders

/// `imagegen edit`'s input files, each read once and checked against the
/// model's edit rule before anything is sent: a refused file is a usage
/// error (exit 2) naming the file and the rule, not a paid request the
/// provider turns down.
enum EditInputCheck {
    static func load(
        images: [String], mask: String?, rule: EditRule, model: String
    ) throws(ImageGenError) -> EditInputs {
        guard !images.isEmpty else {
            throw .usage("imagegen edit needs at least one --image FILE: imagegen edit --image photo.png 'add a hat'")
        }
        guard images.count <= rule.maxImages else {
            let most = rule.maxImages == 1 ? "one image" : "at most \(rule.maxImages) images"
            throw .usage("\(model) edits \(most) per request; got \(images.count) --image files")
        }
        var inputs: [InputImage] = []
        var first: ImageInfo?
        for path in images {
            let (input, info) = try read(path, role: "--image")
            guard rule.formats.contains(info.format.rawValue) else {
                throw .usage(
                    "--image \(path) is \(info.format.displayName); \(model) edits "
                        + rule.formats.map(EditInputCheck.formatName).joined(separator: ", ") + " images")
            }
            guard input.bytes.count < rule.maxBytes else {
                throw .usage(
                    "--image \(path) has \(input.bytes.count) bytes; \(model) takes images smaller than "
                        + sizeText(rule.maxBytes))
            }
            if rule.square && info.width != info.height {
                throw .usage("--image \(path) is \(info.width)x\(info.height); \(model) edits only square images")
            }
            try checkPixels(info, path: path, rule: rule, model: model)
            if first == nil { first = info }
            inputs.append(input)
        }
        var edit = EditInputs(images: inputs)
        if let mask, let first {
            let (input, info) = try read(mask, role: "--mask")
            if rule.maskNeedsAlpha {
                guard info.format == .png, let png = info.png else {
                    throw .usage(
                        "--mask \(mask) is \(info.format.displayName); a mask must be a PNG with an alpha channel")
                }
                guard png.colorType == 4 || png.colorType == 6 || hasTransparencyChunk(input.bytes) else {
                    throw .usage(
                        "--mask \(mask) has no alpha channel (\(png.colorTypeName)); its fully transparent pixels "
                            + "mark where to edit, so save it as RGBA")
                }
            } else if !rule.formats.contains(info.format.rawValue) {
                // A black-and-white mask (white is edited), read like an input image.
                throw .usage(
                    "--mask \(mask) is \(info.format.displayName); \(model) reads "
                        + rule.formats.map(EditInputCheck.formatName).joined(separator: ", ") + " masks")
            }
            guard info.width == first.width && info.height == first.height else {
                throw .usage(
                    "--mask \(mask) is \(info.width)x\(info.height) but --image \(images[0]) is "
                        + "\(first.width)x\(first.height); a mask must be the size of the first image")
            }
            guard input.bytes.count < rule.maskMaxBytes else {
                throw .usage(
                    "--mask \(mask) has \(input.bytes.count) bytes; \(model) takes masks smaller than "
                        + sizeText(rule.maskMaxBytes))
            }
            edit.mask = input
        }
        return edit
    }

    /// The pixel bounds the model's reference states, where it states them.
    private static func checkPixels(
        _ info: ImageInfo, path: String, rule: EditRule, model: String
    ) throws(ImageGenError) {
        let size = "--image \(path) is \(info.width)x\(info.height); \(model) takes"
        let (short, long) = (min(info.width, info.height), max(info.width, info.height))
        if let minSide = rule.minSide, short < minSide {
            throw .usage("\(size) images at least \(minSide) pixels on every side")
        }
        if let maxSide = rule.maxSide, long > maxSide {
            throw .usage("\(size) images at most \(maxSide) pixels on every side")
        }
        if let maxPixels = rule.maxPixels, info.width * info.height > maxPixels {
            throw .usage("\(size) images of at most \(maxPixels) pixels")
        }
        if let maxAspect = rule.maxAspect, Double(long) > maxAspect * Double(short) {
            throw .usage("\(size) images between 1:\(maxAspect) and \(maxAspect):1")
        }
    }

    /// The file's bytes, read once, and what they are.
    static func read(_ path: String, role: String) throws(ImageGenError) -> (InputImage, ImageInfo) {
        let bytes: [UInt8]
        do {
            bytes = try FileInspection.read(path)
        } catch {
            throw .usage("\(role) " + error.message.replacing("cannot read \(path)", with: "\(path) cannot be read"))
        }
        let info: ImageInfo
        do {
            info = try ImageInspector.inspect(bytes)
        } catch {
            throw .usage("\(role) " + error.message(about: path))
        }
        let input = InputImage(
            filename: baseName(path), contentType: contentType(info.format), bytes: bytes,
            sha256: Crypto.sha256Hex(bytes))
        return (input, info)
    }

    /// The last path component: the only part of a path that goes out.
    static func baseName(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.split(separator: "/").last.map(String.init) ?? String(trimmed)
    }

    static func contentType(_ format: ImageFormat) -> String {
        switch format {
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .webp: return "image/webp"
        case .gif: return "image/gif"
        }
    }

    private static func formatName(_ name: String) -> String {
        ImageFormat(rawValue: name)?.displayName ?? name
    }

    private static func sizeText(_ bytes: Int) -> String {
        bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : "\(bytes) bytes"
    }

    /// Whether a PNG holds a `tRNS` chunk before its image data: palette
    /// and grey images carry their transparency there.
    static func hasTransparencyChunk(_ png: [UInt8]) -> Bool {
        var offset = 8
        while offset + 8 <= png.count {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            if type == "tRNS" { return true }
            if type == "IDAT" || type == "IEND" { return false }
            offset += 12 + length
        }
        return false
    }
}
