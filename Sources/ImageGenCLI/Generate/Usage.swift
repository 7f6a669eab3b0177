import ImageGenCore

enum Usage {
    /// Token counts add up across fan-out requests; other usage shapes keep
    /// the first. A count whose sum would overflow is not a count any
    /// provider meant: it becomes null (and the cost, unknown) instead of a trap.
    static func add(_ total: JSON?, _ next: JSON?) -> JSON? {
        guard let next else { return total }
        guard case .object(var sum)? = total, case .object(let add) = next else { return total ?? next }
        for (key, value) in add {
            guard let i = sum.firstIndex(where: { $0.0 == key }) else { continue }
            // A charge in dollars or credits (`cost`) is a decimal; it adds up too.
            if key == "cost", case .number(let x) = sum[i].1, case .number(let y) = value,
                let a = Double(x), let b = Double(y), (a + b).isFinite
            {
                sum[i].1 = .number(String(a + b))
                continue
            }
            guard let a = sum[i].1.intValue, let b = value.intValue else { continue }
            let (added, overflow) = a.addingReportingOverflow(b)
            sum[i].1 = overflow ? .null : .int(added)
        }
        return .object(sum)
    }
}
