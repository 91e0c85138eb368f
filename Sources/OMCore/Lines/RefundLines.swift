/// What a refund sends Klarna, and in which shape: the amount is always the amount the merchant entered; whether
/// lines go along depends on how the refunded items compare with it. The flow words its note from `shape`. Built only
/// by `RefundLinesBuilder`.
package struct RefundLines: Sendable, Equatable {
    /// The lines (empty when the refund is sent as an amount alone) and the amount, which is the refund's amount.
    package var lineSet: LineSet
    package var shape: RefundLinesShape
}

/// How the refunded items describe the refund's amount. Amounts are minor units.
package enum RefundLinesShape: Sendable, Equatable {
    /// The items add up to the amount within rounding: one line each (plus `sales_tax` on US orders), each at most
    /// one unit from its plain rounding, every move listed in `adjustments`.
    case items
    /// The items add up to less than the amount beyond rounding: they go along at plain rounding, and one more
    /// line carries `rest`, the part of the amount they do not cover.
    case itemsAndRest(rest: Int64)
    /// Sent without lines. `itemsTotal` is nil when no items were refunded (an amount-only refund), otherwise what the
    /// refunded items add up to, more than the amount beyond rounding ("refund the rest" after an amount-only refund).
    case amountOnly(itemsTotal: Int64?)
}
