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
        let reference = Self.reference(context, slot)
        if slot.pending != nil {
            // An earlier attempt in this slot has an unknown outcome. Klarna's order says whether it was carried out
            // (its refunds carry the slot's reference), even after Klarna's 24 hours of stored answers, or with
            // other credentials.
            switch context.readOrder() {
            case .failure(let error):
                return (
                    failed(error.unresolved, amount: lines.amount, params: params, context: context), lines.adjustments
                )
            case .success(let order):
                if let made = order.refunds?.first(where: { $0.reference == reference }), let id = made.refundId {
                    let outcome =
                        made.refundedAmount == lines.amount
                        ? refunded(
                            id, amount: lines.amount, correlationId: nil, refund: refund, shape: shaped.shape,
                            params: params, context: context, alreadyRead: true)
                        : earlierAttempt(
                            id, amount: made.refundedAmount, correlationId: nil, params: params,
                            context: context, alreadyRead: true)
                    return (outcome.with(ledger: slot.advanced), lines.adjustments)
                }
            }
        }
        let body = RefundObject(
            refundedAmount: lines.amount, description: refund.reason.flatMap { $0.isEmpty ? nil : $0 },
            reference: reference, orderLines: lines.lines.isEmpty ? nil : lines.lines)
        let created: KlarnaClient.Created
        do {
            // What WooCommerce records as refunded through Klarna before this refund is in the key too: a failed
            // refund is deleted (a retry keeps it), an accepted one stays (the next intent gets a new key, even if
            // the ledger's meta was lost or written back from an older copy of the order).
            let before = try context.order.refundedMinorUnits(excluding: refund.id, gatewayOnly: true)
            created = try context.client.createRefund(
                context.klarnaOrderId, body,
                key: context.key(slot, for: fingerprint, also: [String(before)]))
        } catch {
            return (
                failed(error, amount: lines.amount, params: params, context: context)
                    .with(ledger: slot.after(error, fingerprint: fingerprint)),
                lines.adjustments
            )
        }
        if slot.mayReplayAnother(than: fingerprint) {
            // The key carries an earlier attempt whose answer was lost: Klarna may have answered with that refund.
            switch Result(catching: { () throws(OMError) in
                try context.client.getRefund(context.klarnaOrderId, refundId: created.id)
            }) {
            case .failure(let error):
                return (
                    failed(error.unresolved, amount: lines.amount, params: params, context: context)
                        .with(ledger: slot.awaiting(fingerprint)),
                    lines.adjustments
                )
            case .success(let earlier) where earlier.refundedAmount != lines.amount:
                return (
                    earlierAttempt(
                        created.id, amount: earlier.refundedAmount, correlationId: created.correlationId,
                        params: params, context: context, alreadyRead: false
                    ).with(ledger: slot.advanced),
                    lines.adjustments
                )
            case .success:
                break
            }
        }
        return (
            refunded(
                created.id, amount: lines.amount, correlationId: created.correlationId, refund: refund,
                shape: shaped.shape, params: params, context: context, alreadyRead: false
            )
            .with(ledger: slot.advanced),
            lines.adjustments
        )
    }

    /// Klarna's `reference` for the refund of this ledger slot: the same for every attempt of one intent, so
    /// Klarna's order tells whether an attempt whose answer was lost was carried out.
    static func reference(_ context: FlowContext, _ slot: LedgerEntry) -> String {
        "\(context.orderReference)-refund-\(slot.answered + 1)"
    }

    /// Klarna refunded this refund. `alreadyRead`: the order read before showed it (its state has it already).
    static func refunded(
        _ id: String, amount: Int64, correlationId: String?, refund: RefundSnapshot,
        shape: RefundLinesShape, params: [String: NoteParam], context: FlowContext,
        alreadyRead: Bool
    ) -> Outcome {
        if !alreadyRead { context.observations.record(.refunded(id: id, amount: amount)) }
        let (note, shapeParams) = refundedNote(shape, context: context)
        return Outcome(
            .refund, .refunded, success: true, note: note,
            params: params.with(["refund_id": .text(id)]).with(shapeParams),
            record: OrderRecord(refund: refund.id.map { RecordedRefund(id: $0, klarnaRefundId: id) }),
            klarna: KlarnaDetails(
                httpStatus: 201, correlationId: correlationId,
                klarnaOrderId: context.klarnaOrderId, refundId: id))
    }

    /// Klarna made another refund in this slot: an earlier attempt, whose answer was lost. Nothing more is sent.
    static func earlierAttempt(
        _ id: String, amount: Int64?, correlationId: String?, params: [String: NoteParam],
        context: FlowContext, alreadyRead: Bool
    ) -> Outcome {
        if !alreadyRead, let amount { context.observations.record(.refunded(id: id, amount: amount)) }
        return Outcome(
            .refund, .refundRefused, success: false, note: .refundRefusedEarlierAttempt,
            params: params.with(["earlier_amount": .money(context.money(amount)), "refund_id": .text(id)]),
            klarna: KlarnaDetails(
                correlationId: correlationId, klarnaOrderId: context.klarnaOrderId,
                refundId: id))
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
    static func exceedsTotal(
        _ refund: RefundSnapshot, amount: Money, context: FlowContext,
        params: [String: NoteParam]
    ) throws(OMError) -> Outcome? {
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
        return Outcome(
            .refund, .refundRefused, success: false, note: .refundRefusedOverRefund,
            params: params.with(NoteParams.failure(error))
                .with(["klarna_error": .text(""), "refundable": .money(context.money(refundable))]))
    }

    /// Klarna refused (4xx), or something must be fixed first: a WooCommerce refund error; otherwise the outcome is
    /// unknown or nothing was sent, and retrying the refund is safe. Klarna's refusal is explained by its order:
    /// nothing captured (cancel instead), or more than captured less refunded (how much still can be refunded).
    static func failed(_ error: OMError, amount: Int64, params: [String: NoteParam], context: FlowContext) -> Outcome {
        let failure = params.with(NoteParams.failure(error))
        guard error.isRefusal else {
            return Outcome(
                .refund, .refundFailed, success: false, note: .refundFailed, params: failure,
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
