/// The ceilings of numeric options. Each is far above any real use, and
/// each keeps a typo from turning into an unbounded allocation (one request
/// per image), an endless run or an arithmetic trap.
enum Limits {
    /// Images per generation; more belong in a `--batch` file.
    static let images = 1...10_000
    static let retries = 0...100
    static let concurrency = 1...1_000
    /// Machines one batch may be split across (`--shard K/N`).
    static let shards = 1_000_000
    /// Request starts per unit of `--rate`.
    static let rate = 1...1_000_000
    /// Seeds: the widest any provider takes (Stability's unsigned 32 bits).
    static let seeds = 0...4_294_967_295
    /// Seconds per attempt: a week.
    static let timeout = 604_800.0
    /// Dollars.
    static let cost = 1_000_000_000.0

    /// "a whole number from 1 to 10000", for hints and messages.
    static func describe(_ range: ClosedRange<Int>) -> String {
        "a whole number from \(range.lowerBound) to \(range.upperBound)"
    }
}
