import OMCore
import OMKlarna

/// Refund: the refund button on a Completed or partly refunded order. One POST with the amount and lines matched
/// to the original items. The amount never exceeds what was captured minus what was refunded; a failure comes back
/// with `success: false`, which the plugin turns into WooCommerce's refund error (and WooCommerce deletes its
/// refund: the merchant's retry is a new WooCommerce refund, and the ledger gives it the same key).
enum RefundFlow {
    static func run(_ context: FlowContext) throws(OMError) -> (Outcome, [LineAdjustment]) {
        guard let refund = context.request.refund else { throw OMError.missingField("refund") }
        let shaped = try RefundLinesBuilder.buildShaped(order: context.order, refund: refund)
        let lines = shaped.lineSet
        let amount = context.money(lines.amount)
        let params = context.params(amount: amount)
        if let refused = try exceedsTotal(refund, amount: amount, context: context, params: params) {
            return (refused, [])
        }
        let fingerprint = lines.fingerprint
        let slot = context.ledger
        let body = RefundObject(refundedAmount: lines.amount, description: refund.reason.flatMap { $0.isEmpty ? nil : $0 },
                                reference: refund.id.map { "refund-\($0)" }, orderLines: lines.lines.isEmpty ? nil : lines.lines)
        let created: KlarnaClient.Created
        do {
            created = try context.client.createRefund(context.klarnaOrderId, body, key: context.key(slot))
        } catch {
            var outcome = failed(error, amount: lines.amount, params: params, context: context)
            outcome.ledger = slot.after(error, fingerprint: fingerprint)
            return (outcome, lines.adjustments)
        }
        if slot.mayReplayAnother(than: fingerprint) {
            // The key carries an earlier attempt whose answer was lost: Klarna may have answered with that refund.
            switch Result(catching: { () throws(OMError) in
                try context.client.getRefund(context.klarnaOrderId, refundId: created.id)
            }) {
            case .failure(let error):
                var outcome = failed(error.unresolved, amount: lines.amount, params: params, context: context)
                outcome.ledger = slot.awaiting(fingerprint)
                return (outcome, lines.adjustments)
            case .success(let earlier) where earlier.refundedAmount != lines.amount:
                if let made = earlier.refundedAmount { context.observations.record(.refunded(id: created.id, amount: made)) }
                return (Outcome(.refund, .refundRefused, success: false, note: .refundRefusedEarlierAttempt,
                                params: params.with(["earlier_amount": .money(context.money(earlier.refundedAmount)),
                                                     "refund_id": .text(created.id)]),
                                klarna: KlarnaDetails(httpStatus: 201, correlationId: created.correlationId,
                                                      klarnaOrderId: context.klarnaOrderId, refundId: created.id),
                                ledger: slot.advanced),
                        lines.adjustments)
            case .success:
                break
            }
        }
        context.observations.record(.refunded(id: created.id, amount: lines.amount))
        let (note, shapeParams) = refundedNote(shaped.shape, context: context)
        return (Outcome(.refund, .refunded, success: true, note: note,
                        params: params.with(["refund_id": .text(created.id)]).with(shapeParams),
                        meta: refund.id.map { ["_klarna_om_refund_id_\($0)": created.id] } ?? [:],
                        klarna: KlarnaDetails(httpStatus: 201, correlationId: created.correlationId,
                                              klarnaOrderId: context.klarnaOrderId, refundId: created.id),
                        ledger: slot.advanced),
                lines.adjustments)
    }

    /// The note says how the refund went out when its lines are not simply the refunded items.
    static func refundedNote(_ shape: RefundLinesShape, context: FlowContext) -> (NoteCode, [String: NoteParam]) {
        switch shape {
        case .items, .amountOnly(itemsTotal: nil):
            return (.refunded, [:])
        case .itemsAndRest(let rest):
            return (.refundedWithRest, ["rest": .money(context.money(rest))])
        case .amountOnly(let itemsTotal?):
            return (.refundedAmountOnly, ["items_total": .money(context.money(itemsTotal))])
        }
    }

    /// WooCommerce's own check, kept for refunds that do not come through its refund form: what it had refunded
    /// before plus this refund may not exceed the order total. Nothing is sent then, and the note says how much is
    /// still refundable by WooCommerce's numbers.
    static func exceedsTotal(_ refund: RefundSnapshot, amount: Money, context: FlowContext,
                             params: [String: NoteParam]) throws(OMError) -> Outcome? {
        let before: Int64
        if context.order.refunds != nil {
            before = try context.order.refundedMinorUnits(excluding: refund.id)
        } else if let previous = refund.previouslyRefunded {
            before = try previous.exactMinorUnits(exponent: context.currency.exponent)
        } else {
            return nil
        }
        let (after, overflow) = before.addingReportingOverflow(amount.minorUnits)
        guard overflow || after > context.total.minorUnits else { return nil }
        let error = OMError(.invalidAmount, "the refund and what WooCommerce refunded before exceed the order total")
        let refundable = max(context.total.minorUnits.minusSaturating(before), 0)
        return Outcome(.refund, .refundRefused, success: false, note: .refundRefusedOverRefund,
                       params: params.with(NoteParams.failure(error))
                           .with(["klarna_error": .text(""), "refundable": .money(context.money(refundable))]))
    }

    /// Klarna refused (4xx), or something must be fixed first: a WooCommerce refund error; otherwise the outcome is
    /// unknown or nothing was sent, and retrying the refund is safe. Klarna's refusal is explained by its order:
    /// nothing captured (cancel instead), or more than captured less refunded (how much still can be refunded).
    static func failed(_ error: OMError, amount: Int64, params: [String: NoteParam], context: FlowContext) -> Outcome {
        let failure = params.with(NoteParams.failure(error))
        guard error.isRefusal else {
            return Outcome(.refund, .refundFailed, success: false, note: .refundFailed, params: failure,
                           klarna: error.klarna)
        }
        var note: NoteCode?
        var explained = failure
        if error.isKlarnaRefusal(.klarnaRefundNotAllowed), case .success(let order) = context.readOrder() {
            let captured = order.capturedAmount ?? 0
            let refundable = max(captured.minusSaturating(order.refundedAmount ?? 0), 0)
            if captured == 0 {
                note = .refundRefusedNotCaptured
            } else if amount > refundable {
                note = .refundRefusedOverRefund
                explained["refundable"] = .money(context.money(refundable))
            }
        }
        return Outcome(.refund, .refundRefused, success: false, note: note, params: explained, klarna: error.klarna)
    }
}
