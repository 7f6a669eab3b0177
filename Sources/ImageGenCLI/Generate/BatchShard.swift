/// `--shard K/N`: the part of a batch one of N machines runs. A line belongs
/// to shard K when its line number in the file, counted from 0, leaves K-1
/// divided by N: the same lines for the same file on every run and every
/// machine, with no coordination between them.
package struct BatchShard: Equatable, Sendable {
    /// 1-based, as job runners number their tasks (an array job's 1…N).
    package var number: Int
    package var count: Int

    package init(number: Int, count: Int) {
        self.number = number
        self.count = count
    }

    func takes(lineIndex: Int) -> Bool {
        lineIndex % count == number - 1
    }

    /// `K/N` with whole numbers, 1 ≤ K ≤ N.
    static func parse(_ text: String) -> BatchShard? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ OptionValue.isDigits($0.utf8) }),
            let number = Int(parts[0]), let count = Int(parts[1]),
            (1...Limits.shards).contains(count), (1...count).contains(number)
        else { return nil }
        return BatchShard(number: number, count: count)
    }
}
