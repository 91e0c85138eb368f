extension OrderSnapshot {
    /// What WooCommerce has refunded on this order, in minor units: its refunds added up exactly (they arrive as the
    /// decimal strings WooCommerce stores, so no float ever sums them). `excluding` leaves out the refund being
    /// created; `gatewayOnly` counts only refunds the gateway (Klarna) paid out.
    package func refundedMinorUnits(
        excluding refundId: Int64? = nil, gatewayOnly: Bool = false
    ) throws(OMError) -> Int64 {
        var sum: Int64 = 0
        for (index, refund) in (refunds ?? []).enumerated() {
            if let refundId, refund.id == refundId { continue }
            if gatewayOnly && refund.refundedPayment != true { continue }
            let amount: Int64
            do {
                amount = try refund.amount.exactMinorUnits(exponent: currency.exponent)
            } catch {
                throw OMError(
                    error.code, "field `order.refunds[\(index)].amount`: \(error.message)",
                    field: "order.refunds[\(index)].amount")
            }
            let (next, overflow) = sum.addingReportingOverflow(amount < 0 ? -amount : amount)
            guard !overflow else { throw OMError(.amountOverflow, "the order's refunds add up beyond range") }
            sum = next
        }
        return sum
    }

    /// What WooCommerce records as refunded another way than through Klarna (by hand, in cash).
    package func refundedElsewhereMinorUnits() throws(OMError) -> Int64 {
        try refundedMinorUnits().minusSaturating(refundedMinorUnits(gatewayOnly: true))
    }
}
