import Glibc
import ImageGenCore
import ImageGenOutput
import ImageGenProviders
import Synchronization

/// `--joblog FILE`: one JSON line per finished batch line, as GNU parallel
/// keeps its job log, so an interrupted batch can be run again with
/// `--resume` (skip every line logged) or `--resume-failed` (skip the lines
/// that succeeded) without paying twice for what is on disk:
///
///     {"index":3,"hash":"…","outcome":"ok","exit":0,"files":["out/a-fox.png"],"cost_usd":0.04}
///
/// `index` is the 0-based line number, as in `--json`; `hash` is the SHA-256
/// of the line's text, so a line edited since runs again. Each entry is
/// appended with one write: a run killed at any moment leaves whole lines and
/// at most one cut-off last line, which is ignored when the log is read.
enum BatchJournal {
    /// What `--resume` keeps of a logged line: a few bytes, so a long job
    /// log costs little. The first 64 bits of the hash tell an edited line.
    struct Entry: Equatable {
        /// Nil for a hash that is not one (an entry written by hand): it matches no line.
        var fingerprint: UInt64?
        var succeeded: Bool
    }

    static func hash(_ lineText: String) -> String {
        Crypto.sha256Hex(Array(lineText.utf8))
    }

    /// The first 16 hex digits of a hash, as a number; nil if they are not hex.
    static func fingerprint(_ hash: String) -> UInt64? {
        let digits = hash.utf8.prefix(16)
        guard digits.count == 16 else { return nil }
        return UInt64(String(decoding: digits, as: UTF8.self), radix: 16)
    }

    /// The lines logged in `path`, the last entry for a line winning; none
    /// when the file does not exist yet. Read a piece at a time: a long log
    /// costs its entries, not its text.
    static func read(_ path: String) throws(ImageGenError) -> [Int: Entry] {
        let fd: Int32
        do throws(FileSystem.Failure) {
            fd = try FileSystem.openForReading(path)
        } catch {
            if error.code == ENOENT { return [:] }
            throw .usage("cannot read --joblog \(path): \(error.message)")
        }
        defer { try? FileSystem.close(fd) }
        var entries: [Int: Entry] = [:]
        var lines = BatchFile.LineReader { () throws(FileSystem.Failure) in
            try FileSystem.readChunk(fd, maximum: 65_536)
        }
        while true {
            let line: BatchFile.Line?
            do throws(BatchFile.LineReader.Failure) {
                line = try lines.next()
            } catch {
                switch error {
                case .unreadable(let failure): throw .usage("cannot read --joblog \(path): \(failure.message)")
                case .tooLong(let number):
                    throw .usage("--joblog \(path) line \(number) is longer than 1 MiB; it is not a job log")
                }
            }
            guard let line else { return entries }
            guard let (index, entry) = entry(Array(line.text.utf8)) else {
                // A last line without its newline was cut off by a kill: ignored.
                if !lines.lastLineEnded { continue }
                throw .usage(
                    "--joblog \(path) line \(line.index + 1) is not an imagegen job log entry; "
                        + "name another file, or remove it to start over")
            }
            entries[index] = entry
        }
    }

    private static func entry(_ line: [UInt8]) -> (index: Int, entry: Entry)? {
        guard let json = try? JSON.parse(line), let index = json["index"]?.intValue, index >= 0,
            let hash = json["hash"]?.stringValue, let outcome = json["outcome"]?.stringValue
        else { return nil }
        return (index, Entry(fingerprint: fingerprint(hash), succeeded: outcome == "ok"))
    }

    /// Appends the entries of one run.
    final class Writer: Sendable {
        private let fd: Int32
        private let path: String
        /// The fingerprints of the lines let in and not yet logged, by index.
        private let hashes = Mutex<[Int: String]>([:])
        /// The first write that failed; later entries are not attempted.
        private let failed = Mutex<ImageGenError?>(nil)

        init(path: String) throws(ImageGenError) {
            do throws(FileSystem.Failure) {
                fd = try FileSystem.openAppending(path)
            } catch {
                throw .usage("cannot open --joblog \(path): \(error.message)")
            }
            self.path = path
        }

        /// Notes a line's fingerprint as the line is let in, for its entry.
        func remember(_ line: BatchFile.Line) {
            let hash = BatchJournal.hash(line.text)
            hashes.withLock { $0[line.index] = hash }
        }

        deinit { try? FileSystem.close(fd) }

        /// Why the log is incomplete, if a write failed.
        var failure: ImageGenError? { failed.withLock { $0 } }

        /// Logs a line once its files are written (or it failed for good).
        /// A log that cannot be written stops being written (the caller says
        /// so once, at the end); the images still are.
        func record(_ report: LineReport) {
            let exit = report.errors.first?.exitCode ?? 0
            var members: [(String, JSON)] = [
                ("index", .int(report.index)),
                ("hash", .string(hashes.withLock { $0.removeValue(forKey: report.index) } ?? "")),
                ("outcome", .string(exit == 0 ? "ok" : "failed")),
                ("exit", .int(Int(exit))),
                ("files", .array(report.outcomes.compactMap { $0.savedImage?.file }.map(JSON.string))),
            ]
            if let cost = report.costMicros { members.append(("cost_usd", PriceTable.dollars(cost))) }
            var text = ""
            JSON.object(members).write(pretty: false) { text += $0 }
            let line = Array((text + "\n").utf8)
            failed.withLock { failed in
                guard failed == nil else { return }
                do throws(FileSystem.Failure) {
                    try FileSystem.writeAll(fd, line)
                } catch {
                    failed = .write(
                        "cannot write --joblog \(path): \(error.message); --resume will run its lines again")
                }
            }
        }
    }
}

/// The lines of a batch file this run sends: its `--shard`, less what
/// `--resume` finds done in the `--joblog`.
/// Which lines of a batch this run takes: those of its `--shard`, less those
/// `--resume` finds done in the job log (counted in `skipped`).
struct BatchSelection {
    private let shard: BatchShard?
    private let mode: ResumeMode?
    private let logged: [Int: BatchJournal.Entry]
    /// Lines skipped because the job log has them.
    private(set) var skipped = 0

    init(options: Options) throws(ImageGenError) {
        shard = options.shard
        mode = options.resume
        guard options.resume != nil else {
            logged = [:]
            return
        }
        guard let joblog = options.joblog else {
            throw .usage("--resume and --resume-failed read the job log of an earlier run; add --joblog FILE")
        }
        logged = try BatchJournal.read(joblog)
    }

    mutating func takes(_ line: BatchFile.Line) -> Bool {
        guard shard?.takes(lineIndex: line.index) ?? true else { return false }
        guard let mode, let entry = logged[line.index], let fingerprint = entry.fingerprint,
            fingerprint == BatchJournal.fingerprint(BatchJournal.hash(line.text)), mode.skips(entry)
        else { return true }
        skipped += 1
        return false
    }
}

/// Which logged lines a resumed batch skips.
package enum ResumeMode: Equatable, Sendable {
    /// `--resume`: every line in the job log, whatever its outcome.
    case skipLogged
    /// `--resume-failed`: only the lines that succeeded; failed ones run again.
    case retryFailed

    func skips(_ entry: BatchJournal.Entry) -> Bool {
        self == .skipLogged || entry.succeeded
    }
}
