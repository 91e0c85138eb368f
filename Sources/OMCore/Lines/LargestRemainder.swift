/// Rounds exact amounts to whole minor units so that they add up to a given total exactly. Every amount starts at its
/// plain rounding (half away from zero); units still missing go one each to the amounts with the largest residuals
/// (exact minus rounded; ties: earlier first), and units too many come one each from the amounts with the smallest
/// residuals (ties: later first). Deterministic, and never moves an amount more than one unit from its plain rounding,
/// in either direction. For amounts that are not negative, where the classic method (floors, then the largest
/// remainders) finds a result this one finds the same; it also reaches totals below the plain roundings' sum, which a
/// refund's amount can be.
package enum LargestRemainder {
    /// The rounded amounts, or nil when the total is further from the plain roundings' sum than one unit per amount
    /// (the amounts and the total disagree by more than rounding explains).
    /// - Throws: `amount_overflow` when the sums do not fit in 64 bits.
    package static func allocate(_ amounts: [FineAmount], total: Int64) throws(OMError) -> [Int64]? {
        var result = amounts.map(\.roundedMinorUnits)
        var plainSum: Int64 = 0
        for value in result {
            let (sum, overflow) = plainSum.addingReportingOverflow(value)
            guard !overflow else { throw OMError(.amountOverflow, "sum of amounts is out of range") }
            plainSum = sum
        }
        let (difference, overflow) = total.subtractingReportingOverflow(plainSum)
        guard !overflow else { throw OMError(.amountOverflow, "sum of amounts is out of range") }
        guard difference.magnitude <= UInt64(amounts.count) else { return nil }
        let residuals = amounts.map(\.residualMicros)
        let step: Int64 = difference > 0 ? 1 : -1
        // Adding: the largest residuals first, earlier on ties; taking: the smallest first, later on ties.
        let order = amounts.indices.sorted { a, b in
            let (ra, rb) = (residuals[a] * step, residuals[b] * step)
            return ra != rb ? ra > rb : (step > 0 ? a < b : a > b)
        }
        for index in order.prefix(Int(difference.magnitude)) { result[index] += step }
        return result
    }
}
