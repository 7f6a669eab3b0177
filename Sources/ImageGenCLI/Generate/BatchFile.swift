import ImageGenCore

/// `--batch FILE`: JSON Lines objects (`{"prompt": …, "model": …, "n": …}`)
/// or plain text, one prompt per line. Each line becomes command-line words
/// and goes through the same parser as the command line itself, so a batch
/// line accepts exactly what a flag accepts and fails with the same message.
package enum BatchFile {
    package struct Line: Sendable {
        /// 0-based line number in the file: the `index` of its JSON result.
        package var index: Int
        /// The line as written, less surrounding white space: what `--joblog`
        /// fingerprints, so an edited line runs again on `--resume`.
        package var text: String

        /// The line as command-line words, worked out when asked: a long
        /// batch keeps only the text of the lines waiting for their turn.
        package var words: Result<[String], ImageGenError> {
            Result { () throws(ImageGenError) in
                try text.hasPrefix("{") ? BatchFile.words(fromJSON: text) : ["--", text]
            }
        }
    }

    /// Keys a JSON line may use: the generation options and the per-image
    /// output options. Connection settings stay on the command line.
    static let valueKeys = [
        "model", "n", "size", "quality", "style", "response-format", "user", "provider", "output", "background",
        "output-format", "output-compression", "moderation", "seed", "base-model",
    ]
    static let flagKeys = ["force", "no-download", "no-metadata"]
    /// `imagegen edit --batch`'s inputs: `"image"` a path or an array of paths, `"mask"` a path,
    /// `"task"` a task name.
    static let editKeys = ["image", "mask", "task"]

    /// A batch's lines, read a piece at a time, so a batch of any length is
    /// never all in memory. LF, CRLF or a lone CR end a line (as `TextLines`
    /// splits text), a leading byte order mark is not text, and blank and
    /// `#` lines are left out, though they still count in the numbering.
    package struct LineReader {
        /// No prompt or JSON object comes near it; a file without line ends
        /// (an image named by mistake) is refused here instead of read whole.
        package static let maximumLineLength = 1 << 20

        /// Why no line came; the caller names what was being read.
        package enum Failure: Error {
            case unreadable(FileSystem.Failure)
            /// Line `line` (from 1) is over `maximumLineLength`.
            case tooLong(line: Int)
        }

        /// The next piece of the batch; empty at its end.
        private let read: () throws(FileSystem.Failure) -> [UInt8]
        private var buffer: [UInt8] = []
        private var start = 0
        private var ended = false
        private var number = 0
        private var afterCR = false
        /// Whether the line `next()` gave last had a line end after it: one
        /// without is the last of the text, perhaps cut off.
        private(set) var lastLineEnded = true

        package init(read: @escaping () throws(FileSystem.Failure) -> [UInt8]) {
            self.read = read
        }

        package mutating func next() throws(Failure) -> Line? {
            while let raw = try nextRawLine() {
                defer { number += 1 }
                var bytes = raw[...]
                if number == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
                let trimmed = String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
                if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                return Line(index: number, text: String(trimmed))
            }
            return nil
        }

        /// The bytes up to the next line end, without it; nil at the end.
        private mutating func nextRawLine() throws(Failure) -> [UInt8]? {
            if afterCR {
                // CR LF is one line end, even with a piece ending between them.
                if start == buffer.count, !ended { try refill() }
                if start < buffer.count, buffer[start] == UInt8(ascii: "\n") { start += 1 }
                afterCR = false
            }
            var scanned = start
            while true {
                if let end = buffer[scanned...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                    let line = Array(buffer[start..<end])
                    afterCR = buffer[end] == 0x0D
                    start = end + 1
                    lastLineEnded = true
                    return line
                }
                if ended {
                    guard start < buffer.count else { return nil }
                    defer { start = buffer.count }
                    lastLineEnded = false
                    return Array(buffer[start...])
                }
                scanned = buffer.count - start
                guard scanned <= Self.maximumLineLength else { throw .tooLong(line: number + 1) }
                try refill()
                scanned = min(scanned, buffer.count)
            }
        }

        /// Drops what was read and appends the next piece.
        private mutating func refill() throws(Failure) {
            buffer.removeSubrange(0..<start)
            start = 0
            let piece: [UInt8]
            do throws(FileSystem.Failure) {
                piece = try read()
            } catch {
                throw .unreadable(error)
            }
            if piece.isEmpty { ended = true } else { buffer += piece }
        }
    }

    /// The next line of a batch; why there is none, in the batch's words.
    static func next(_ reader: inout LineReader) throws(ImageGenError) -> Line? {
        do throws(LineReader.Failure) {
            return try reader.next()
        } catch {
            switch error {
            case .unreadable(let failure): throw .write("cannot read the batch: \(failure.message)")
            case .tooLong(let line):
                throw .usage(
                    "line \(line) of the batch is longer than 1 MiB; a batch holds one prompt or JSON object per line")
            }
        }
    }

    static func words(fromJSON text: String) throws(ImageGenError) -> [String] {
        let object: [(String, JSON)]
        do {
            guard case .object(let members) = try JSON.parse(text) else {
                throw ImageGenError.usage("not a JSON object")
            }
            object = members
        } catch let error as JSONParseError {
            throw .usage("not valid JSON (\(error))")
        } catch {
            throw .usage("a batch line must be a JSON object or a plain prompt")
        }
        var words: [String] = []
        var prompt: String?
        for (rawKey, value) in object {
            let key = rawKey.replacingUnderscores()
            switch key {
            case "prompt":
                guard let text = value.stringValue else { throw .usage("\"prompt\" must be a string") }
                prompt = text
            case "param", "params":
                guard case .object(let params) = value else {
                    throw .usage("\"\(rawKey)\" must be an object of extra provider fields")
                }
                for (name, param) in params { words += ["--param", "\(name)=\(param.text)"] }
            case _ where valueKeys.contains(key):
                switch value {
                case .string(let text): words += ["--\(key)", text]
                case .number(let number): words += ["--\(key)", number]
                default: throw .usage("\"\(rawKey)\" must be a string or a number")
                }
            case "image":
                let paths: [JSON]
                if case .array(let items) = value { paths = items } else { paths = [value] }
                for path in paths {
                    guard let text = path.stringValue else {
                        throw .usage("\"image\" must be a file name or an array of file names")
                    }
                    words += ["--image", text]
                }
            case "mask":
                guard let text = value.stringValue else { throw .usage("\"mask\" must be a file name") }
                words += ["--mask", text]
            case "task":
                guard let text = value.stringValue else { throw .usage("\"task\" must be a task name") }
                words += ["--task", text]
            case _ where flagKeys.contains(key):
                guard case .bool(let on) = value else { throw .usage("\"\(rawKey)\" must be true or false") }
                if on { words.append("--\(key)") }
            default:
                throw .usage(
                    "unknown key \"\(rawKey)\"; a batch line takes prompt, "
                        + (valueKeys + flagKeys + editKeys).map { $0.replacing("-", with: "_") }.joined(separator: ", ")
                        + " and params")
            }
        }
        // A line without a prompt may still be whole: the task (erase,
        // variation…) decides when the line is prepared.
        guard let prompt else { return words }
        return words + ["--", prompt]
    }
}

extension String {
    fileprivate func replacingUnderscores() -> String { replacing("_", with: "-") }
}
