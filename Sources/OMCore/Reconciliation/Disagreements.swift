/// Compares the WooCommerce order's status with Klarna's order as read, by the flows' own rules: what a capture would
/// capture, what Cancelled and Refunded require (`OrderRules.heldAtKlarna`), what counts as captured beyond the total
/// (`OrderRules.capturedBeyondTotal`). Klarna's amounts are compared only where known; nothing is guessed.
package enum Disagreements {
    /// Every disagreement between `order.status` and `klarna`, in the contract's order; none without a status.
    package static func find(_ order: OrderSnapshot, klarna: KlarnaState) throws(OMError) -> [Disagreement] {
        guard let status = order.status, let captured = klarna.captured else { return [] }
        let total = try order.totals.total.exactMinorUnits(exponent: order.currency.exponent)
        let refunded = klarna.refunded ?? 0
        let klarnaStatus = klarna.status ?? ""
        let open = klarnaStatus == "AUTHORIZED" || klarnaStatus == "PART_CAPTURED"
        let money = { (minorUnits: Int64) in NoteParam.money(Money(minorUnits: minorUnits, currency: order.currency)) }
        var found: [Disagreement] = []

        switch status {
        case "completed":
            // WooCommerce expects its total, less what it records as refunded another way, to be captured.
            let expected = total.minusSaturating(try order.refundedElsewhereMinorUnits())
            if captured == 0, expected > 0 {
                found.append(
                    Disagreement(
                        .completedNotCaptured, fix: klarnaStatus == "AUTHORIZED" ? .capture : .review,
                        params: ["klarna_status": .text(klarnaStatus)]))
            } else if captured > 0, captured < expected {
                found.append(
                    Disagreement(
                        .completedPartCaptured, fix: .capture,
                        params: ["uncaptured": money(expected.minusSaturating(captured))]))
            }
        case "cancelled", "refunded":
            let held = try OrderRules.heldAtKlarna(order, captured: captured, refunded: refunded)
            if held > 0 { found.append(Disagreement(.moneyHeld, fix: .refund, params: ["refundable": money(held)])) }
            if open, let remaining = klarna.remaining, remaining > 0 {
                found.append(Disagreement(.authorizationOpen, fix: .cancel, params: ["remaining": money(remaining)]))
            }
        case "processing", "on-hold":
            if captured == 0, klarnaStatus == "AUTHORIZED", let authorized = klarna.authorized, authorized != total {
                found.append(
                    Disagreement(
                        .amountDiffers, fix: .update,
                        params: ["woocommerce": money(total), "klarna": money(authorized)]))
            }
            if klarnaStatus == "CANCELLED" || klarnaStatus == "EXPIRED" {
                found.append(
                    Disagreement(.klarnaOrderClosed, fix: .review, params: ["klarna_status": .text(klarnaStatus)]))
            }
        default:
            break
        }
        let excess = try OrderRules.capturedBeyondTotal(order, total: total, captured: captured, refunded: refunded)
        if excess > 0 { found.append(Disagreement(.overCaptured, fix: .review, params: ["excess": money(excess)])) }
        return found
    }
}
