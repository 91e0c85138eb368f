/// The rules that decide, from the WooCommerce order alone, that an operation must not reach Klarna, and what to
/// tell the merchant instead. The flows consult them before any request; a nil answer means "go ahead". Which
/// orders are Klarna's (their gateway) is the plugin's to decide: it calls the core only for those.
package enum OrderRules {
    /// WooCommerce status for an order whose WooCommerce state claims what Klarna did not do.
    package static let holdStatus = "on-hold"

    package static func precheck(
        _ operation: OrderOperation, _ order: OrderSnapshot, total: Money
    ) throws(OMError)
        -> Outcome?
    {
        if order.meta?.disconnected == true {
            var skipped = Outcome(operation, .skippedDisconnected, success: true, note: .skippedDisconnected)
            if operation == .sync { skipped.noteCode = nil }  // a read changes nothing: no note for not making it
            return skipped
        }
        let klarnaOrderId = order.klarna?.orderId.flatMap { $0.isEmpty ? nil : $0 }
        let captured = !(order.meta?.captureIds ?? []).isEmpty
        let params = NoteParams.amount(total).with(["klarna_order_id": .text(klarnaOrderId ?? "")])
        switch operation {
        case .cancel:
            guard klarnaOrderId != nil else { return Outcome(operation, .skippedNoKlarnaOrder, success: true) }
            if order.meta?.cancelled == true {
                return Outcome(operation, .alreadyCancelled, success: true, note: .alreadyCancelled, params: params)
            }
        case .update:
            guard klarnaOrderId != nil else { return Outcome(operation, .skippedNoKlarnaOrder, success: true) }
            if order.meta?.cancelled == true {
                return Outcome(
                    operation, .updateRefused, success: false, note: .updateRefusedCancelled,
                    params: params.with(["klarna_error": .text("")]), orderStatus: holdStatus)
            }
            if captured {
                return Outcome(
                    operation, .updateRefusedCaptured, success: false, note: .updateRefusedCaptured,
                    params: params, orderStatus: holdStatus)
            }
        case .capture:
            guard klarnaOrderId != nil else {
                return Outcome(
                    operation, .captureRefused, success: false, note: .captureRefusedNoKlarnaOrder,
                    params: params, orderStatus: holdStatus)
            }
        case .refund:
            guard klarnaOrderId != nil else {
                return Outcome(
                    operation, .refundRefused, success: false, note: .refundRefusedNoKlarnaOrder,
                    params: params)
            }
        case .sync, .release, .extend:
            // Actions of the order screen's Klarna box, which only Klarna orders have.
            guard klarnaOrderId != nil else { return Outcome(operation, .skippedNoKlarnaOrder, success: true) }
        }
        return nil
    }

    /// A status saying the customer owes or holds nothing (Cancelled, or Refunded set by hand) on an order Klarna
    /// has captured. What Klarna still holds is what it captured less what it refunded, less what WooCommerce
    /// records as refunded another way (by hand, in cash): while that is above zero WooCommerce must not say
    /// otherwise, so the status is refused, the order held, and the note says what to refund and how. Once it is
    /// zero the status is true.
    package static func moneyHeld(
        _ order: OrderSnapshot, captured: Int64, refunded: Int64, params: [String: NoteParam],
        klarna: KlarnaDetails?
    ) throws(OMError) -> Outcome {
        let refundable = Money(
            minorUnits: try heldAtKlarna(order, captured: captured, refunded: refunded),
            currency: order.currency)
        let refundedByHand = order.transition?.to == "refunded"
        guard refundable.minorUnits > 0 else {
            // After a full refund through the Refund button WooCommerce sets Refunded itself: nothing to add then.
            var outcome = Outcome(.cancel, .nothingHeld, success: true, params: params, klarna: klarna)
            if refundedByHand { outcome.noteCode = nil }
            return outcome
        }
        return Outcome(
            .cancel, .cancelRefusedCaptured, success: false,
            note: refundedByHand ? .refundedStatusRefused : .cancelRefusedCaptured,
            params: params.with(["refundable": .money(refundable)]),
            orderStatus: holdStatus, klarna: klarna)
    }

    /// The customer's money Klarna still holds (never below zero): what it captured less what it refunded, less what
    /// WooCommerce records as refunded another way (by hand, in cash).
    package static func heldAtKlarna(_ order: OrderSnapshot, captured: Int64, refunded: Int64) throws(OMError) -> Int64
    {
        let refundedElsewhere = try order.refundedElsewhereMinorUnits()
        // Klarna's integers may be anywhere in the range: saturating arithmetic, never a trap.
        return max(captured.minusSaturating(refunded).minusSaturating(refundedElsewhere), 0)
    }

    /// How much Klarna captured beyond the order `total` (never below zero). Klarna refunds WooCommerce has not
    /// recorded as gateway refunds (made in the Merchant Portal) give that much back.
    package static func capturedBeyondTotal(
        _ order: OrderSnapshot, total: Int64, captured: Int64,
        refunded: Int64
    ) throws(OMError) -> Int64 {
        let recorded = try order.refundedMinorUnits(gatewayOnly: true)
        let outside = max(refunded.minusSaturating(recorded), 0)
        return max(captured.minusSaturating(total).minusSaturating(outside), 0)
    }
}
