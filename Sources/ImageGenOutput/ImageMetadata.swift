import ImageGenCore
import ImageGenHTTP
import ImageGenProviders
import ImageGenImaging
import Glibc
import PNGShim

/// The text chunks imagegen writes into every PNG (unless `--no-metadata`),
/// so an image remembers how it was made. Keys and order are fixed: `prompt`,
/// `model`, `provider`, `revised_prompt` (when the provider sent one),
/// `parameters` (JSON of the generation options sent), `created` (ISO 8601
/// UTC), `imagegen` (version).
package struct ImageMetadata: Equatable, Sendable {
    package var prompt: String
    package var model: String
    package var provider: ProviderKind
    /// The generation options as a JSON object (size, quality, style, n, params…).
    package var parameters: JSON
    /// Unix seconds.
    package var created: Int

    package init(prompt: String, model: String, provider: ProviderKind, parameters: JSON, created: Int) {
        self.prompt = prompt
        self.model = model
        self.provider = provider
        self.parameters = parameters
        self.created = created
    }

    /// What the user asked for beyond prompt and model, in the provider's field
    /// names, exactly the options that were given (nothing else is sent).
    package static func parameters(of request: GenerationRequest) -> JSON {
        var members: [(String, JSON)] = []
        if let n = request.n { members.append(("n", .int(n))) }
        if let size = request.size { members.append(("size", .string(size))) }
        if let quality = request.quality { members.append(("quality", .string(quality))) }
        if let style = request.style { members.append(("style", .string(style))) }
        if let format = request.responseFormat { members.append(("response_format", .string(format))) }
        if let user = request.user { members.append(("user", .string(user))) }
        for (key, value) in request.extraParams {
            if let i = members.firstIndex(where: { $0.0 == key }) { members.remove(at: i) }
            members.append((key, value))
        }
        return .object(members)
    }

    /// The chunks for one image, in the order they are written.
    package func entries(revisedPrompt: String?) -> [(key: String, value: String)] {
        var entries: [(key: String, value: String)] = [
            ("prompt", prompt), ("model", model), ("provider", provider.rawValue),
        ]
        if let revisedPrompt { entries.append(("revised_prompt", revisedPrompt)) }
        entries += [
            ("parameters", parameters.text),
            ("created", ISO8601.utc(created)),
            ("imagegen", ImageGenVersion.current),
        ]
        return entries
    }
}

/// libpng's reading and writing of PNG text chunks (the C side keeps libpng's
/// longjmp away from Swift).
package enum PNGText {
    /// `png` with `entries` added as text chunks right after IHDR, and its
    /// own text chunks with one of the same keywords left out. Every other
    /// byte is the original's: the result is pieces of `png` around the new
    /// chunks, which libpng writes. `png` must have passed validation.
    /// NUL characters cannot be stored in a PNG text chunk and are dropped.
    static func adding(_ entries: [(key: String, value: String)],
                       to png: [UInt8]) -> Result<FileContents, PNGValidationError> {
        guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), png.count >= 8 + 12 else {
            return .failure(PNGValidationError(message: "not a PNG signature"))
        }
        let chunks: [UInt8]
        switch textChunks(entries) {
        case .success(let written): chunks = written
        case .failure(let error): return .failure(error)
        }
        let replaced = Set(entries.map { Array($0.key.utf8) })
        var pieces: [ArraySlice<UInt8>] = []
        var keptFrom = 0
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8
                | Int(png[offset + 3])
            let name = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            let end = offset + 12 + length
            guard end <= png.count else { return .failure(PNGValidationError(message: "PNG ends inside a chunk")) }
            if offset == 8 {
                guard name == "IHDR" else { return .failure(PNGValidationError(message: "PNG does not start with IHDR")) }
                pieces += [png[0..<end], chunks[...]]
                keptFrom = end
            } else if ["tEXt", "zTXt", "iTXt"].contains(name),
                      let nul = png[offset + 8..<end - 4].firstIndex(of: 0),
                      replaced.contains(Array(png[offset + 8..<nul])) {
                pieces.append(png[keptFrom..<offset])
                keptFrom = end
            }
            offset = end
            if name == "IEND" { break }
        }
        pieces.append(png[keptFrom..<offset])
        return .success(FileContents(pieces: pieces))
    }

    /// The chunks for `entries`, as libpng writes them.
    private static func textChunks(_ entries: [(key: String, value: String)]) -> Result<[UInt8], PNGValidationError> {
        let keys = entries.map { strdup($0.key) }
        let values = entries.map { strdup(String($0.value.unicodeScalars.filter { $0 != "\0" }.map(Character.init))) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let table = zip(keys, values).map { ig_png_text_entry(key: $0, text: $1) }
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = table.withUnsafeBufferPointer { entries in
            message.withUnsafeMutableBufferPointer { text in
                ig_png_text_chunks(entries.baseAddress, entries.count, &output, &length, text.baseAddress, text.count)
            }
        }
        guard status == 0 else { return .failure(error(message)) }
        defer { ig_png_free(output) }
        return .success(output.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? [])
    }

    /// Every tEXt, zTXt and iTXt chunk of `png` as libpng decodes it, in file
    /// order. Fails when libpng does not accept the whole file.
    static func read(_ png: [UInt8]) -> Result<[(key: String, value: String)], PNGValidationError> {
        var pairs: UnsafeMutablePointer<ig_png_text_pair>?
        var count = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = png.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                ig_png_read_text(data.baseAddress, data.count, &pairs, &count, text.baseAddress, text.count)
            }
        }
        guard status == 0 else { return .failure(error(message)) }
        defer { ig_png_free_text(pairs, count) }
        let found = UnsafeBufferPointer(start: pairs, count: count)
        return .success(found.map { (String(cString: $0.key), String(cString: $0.text)) })
    }

    /// The decoded rows exactly as stored (no colour conversion), for
    /// checking that pixels are unchanged.
    static func rows(_ png: [UInt8]) -> Result<[UInt8], PNGValidationError> {
        var rows: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = png.withUnsafeBufferPointer { data in
            message.withUnsafeMutableBufferPointer { text in
                ig_png_decode_rows(data.baseAddress, data.count, &rows, &size, text.baseAddress, text.count)
            }
        }
        guard status == 0, let rows else { return .failure(error(message)) }
        defer { ig_png_free(rows) }
        return .success(Array(UnsafeBufferPointer(start: rows, count: size)))
    }

    private static func error(_ message: [CChar]) -> PNGValidationError {
        let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return PNGValidationError(message: text.isEmpty ? "libpng refused it" : text)
    }
}

/// `2026-11-25T10:11:12Z` from Unix seconds.
package enum ISO8601 {
    static func utc(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let year = Int(parts.tm_year) + 1900
        return "\(year)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
