extension LineSet {
    /// An amount sent without lines: what remains to capture after an earlier capture, whose lines Klarna holds.
    package static func amountOnly(_ amount: Int64) -> LineSet {
        LineSet(lines: [], amount: amount, taxAmount: 0, adjustments: [])
    }
}
