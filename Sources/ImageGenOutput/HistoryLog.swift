import Glibc
import ImageGenCore
import ImageGenHTTP
import Synchronization

/// `$XDG_STATE_HOME/imagegen/history.jsonl` (else
/// `~/.local/state/imagegen/history.jsonl`): every generation, one
/// `HistoryRecord` a line, as `llm logs` keeps its prompts.
///
/// Each record is appended with one write(2) on a descriptor opened with
/// O_APPEND, so runs appending at once (a batch in each terminal) leave
/// whole lines one after another, never one through another. The file is
/// created 0600 and the directories imagegen creates 0700: prompts are the
/// user's business. Nothing secret is written: each line goes through the
/// run's `Redactor`, and URLs lose their signatures.
package enum HistoryLog {
    /// Nil when neither variable names an absolute directory (XDG's rule:
    /// a relative `XDG_STATE_HOME` is ignored).
    package static func path(environment: Environment) -> String? {
        let directory: String
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            directory = withoutTrailingSlashes(state)
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            directory = withoutTrailingSlashes(home) + "/.local/state"
        } else {
            return nil
        }
        return directory + "/imagegen/history.jsonl"
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// The longest line written or read: a record is a prompt and a few
    /// hundred bytes more. A longer prompt is cut to `longPrompt` bytes in
    /// its record, and a longer line found in the file is skipped as damaged.
    package static let maximumLineBytes = 1 << 20
    static let longPrompt = 64 << 10

    /// The record as the line written: compact JSON, redacted, one line.
    package static func line(_ record: HistoryRecord, redactor: Redactor) -> [UInt8] {
        var text = redactor.redact(record.json.text)
        if text.utf8.count >= maximumLineBytes {
            var shorter = record
            shorter.prompt = String(decoding: Array(record.prompt.utf8.prefix(longPrompt)), as: UTF8.self) + "…"
            shorter.parameters = .object([])
            text = redactor.redact(shorter.json.text)
        }
        return Array((text + "\n").utf8)
    }

    /// Appends the records of one run. The file is opened at the first
    /// record, so a run that generates nothing leaves no file. A history
    /// that cannot be written never fails a generation: the first reason is
    /// kept for one warning at the end of the run, and later records are
    /// not attempted.
    package final class Writer: Sendable {
        package let path: String
        private let redactor: Redactor
        private let state = Mutex<(fd: Int32?, failure: String?)>((nil, nil))

        package init(path: String, redactor: Redactor) {
            self.path = path
            self.redactor = redactor
        }

        deinit {
            if let fd = state.withLock({ $0.fd }) { try? FileSystem.close(fd) }
        }

        /// Why records were lost, if any were.
        package var failure: String? { state.withLock { $0.failure } }

        package func append(_ record: HistoryRecord) {
            let line = HistoryLog.line(record, redactor: redactor)
            state.withLock { state in
                guard state.failure == nil else { return }
                do throws(FileSystem.Failure) {
                    let fd: Int32
                    if let open = state.fd {
                        fd = open
                    } else {
                        fd = try self.open()
                        state.fd = fd
                    }
                    let written = try FileSystem.writeOnce(fd, line)
                    if written < line.count {
                        // The disk filled mid-line: end the torn line, so
                        // the next record (ours or another run's) starts clean.
                        _ = try? FileSystem.writeOnce(fd, [UInt8(ascii: "\n")])
                        throw FileSystem.Failure(code: ENOSPC)
                    }
                } catch {
                    state.failure = error.code == EINVAL ? "it is not a regular file" : error.message
                }
            }
        }

        private func open() throws(FileSystem.Failure) -> Int32 {
            try FileSystem.makeDirectories(FileSystem.directoryName(path), mode: 0o700)
            return try FileSystem.openPrivateLog(path)
        }
    }

    /// What reading found besides the records.
    package struct ReadSummary: Equatable, Sendable {
        /// Lines that are not records: cut off by a full disk or a crash,
        /// too long, or not imagegen's.
        package var skipped = 0
    }

    /// Calls `each` with every record in file order, reading a piece at a
    /// time: memory stays flat however long the history. A missing file is
    /// an empty history.
    package static func read(
        _ path: String, each: (HistoryRecord) -> Void
    ) throws(ImageGenError) -> ReadSummary {
        let fd: Int32
        do {
            fd = try FileSystem.openRegularForReading(path)
        } catch {
            if error.code == ENOENT { return ReadSummary() }
            let reason = error.code == EINVAL ? "it is not a regular file" : error.message
            throw .configuration("cannot read the history \(path): \(reason)")
        }
        defer { try? FileSystem.close(fd) }
        var summary = ReadSummary()
        var pending: [UInt8] = []
        var discarding = false  // inside a line already known to be too long
        func take(_ line: ArraySlice<UInt8>) {
            guard !line.isEmpty else { return }
            guard let json = try? JSON.parse(Array(line)), let record = HistoryRecord(json: json) else {
                summary.skipped += 1
                return
            }
            each(record)
        }
        while true {
            let chunk: [UInt8]
            do {
                chunk = try FileSystem.readChunk(fd, maximum: 1 << 16)
            } catch {
                throw .configuration("cannot read the history \(path): \(error.message)")
            }
            if chunk.isEmpty { break }
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if discarding {
                    discarding = false
                } else {
                    pending += chunk[start..<newline]
                    if pending.count <= maximumLineBytes { take(pending[...]) } else { summary.skipped += 1 }
                }
                pending.removeAll(keepingCapacity: true)
                start = newline + 1
            }
            if !discarding {
                pending += chunk[start...]
                if pending.count > maximumLineBytes {
                    summary.skipped += 1
                    discarding = true
                    pending.removeAll()
                }
            }
        }
        // A last line without its newline: cut off, or (whole) written by
        // an imagegen that is still running.
        if !discarding { take(pending[...]) }
        return summary
    }
}
