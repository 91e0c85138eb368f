/// Rounds exact amounts to whole minor units so that they add up to a given total exactly: every amount is rounded
/// down, and the units still missing go one each to the amounts with the largest remainders (ties: earlier first).
/// Deterministic, and never moves an amount by more than one unit.
public enum LargestRemainder {
    /// The rounded amounts, or nil when the total cannot be reached by moving each amount at most one unit up from
    /// its floor (the amounts and the total disagree by more than rounding can explain).
    public static func allocate(_ amounts: [FineAmount], total: Int64) -> [Int64]? {
        var result = amounts.map(\.floorMinorUnits)
        var floorSum: Int64 = 0
        for value in result {
            let (sum, overflow) = floorSum.addingReportingOverflow(value)
            guard !overflow else { return nil }
            floorSum = sum
        }
        let (missing, overflow) = total.subtractingReportingOverflow(floorSum)
        guard !overflow, missing >= 0, missing <= Int64(amounts.count) else { return nil }
        let order = amounts.indices.sorted { a, b in
            let (ra, rb) = (amounts[a].remainderMicros, amounts[b].remainderMicros)
            return ra != rb ? ra > rb : a < b
        }
        for index in order.prefix(Int(missing)) { result[index] += 1 }
        return result
    }
}
