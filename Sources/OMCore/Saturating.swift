extension Int64 {
    /// `self - other`, held at the ends of the range instead of trapping. For arithmetic on Klarna's integers, which
    /// a Klarna bug or a misbehaving proxy could put anywhere in the range: a wrong amount in a note is a support case,
    /// a trap takes PHP's worker with it.
    package func minusSaturating(_ other: Int64) -> Int64 {
        let (value, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return value }
        return other < 0 ? .max : .min
    }
}
