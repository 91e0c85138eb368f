extension Int64 {
    /// `self − other`; an error instead of a trap when the amounts (Klarna's answers among them) put it out of range.
    public func minus(_ other: Int64) throws(OMError) -> Int64 {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard !overflow else { throw OMError(.amountOverflow, "amounts are out of range") }
        return difference
    }
}
