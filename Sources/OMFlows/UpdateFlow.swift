import OMCore
import OMKlarna

/// Update: the merchant put the order On hold, edited its items, and set it back to Processing. Sends the complete
/// new set of lines and the amount in one PATCH, or nothing when Klarna already holds exactly these lines. When Klarna
/// refuses, the order stays On hold with a note that says why and what to do.
enum UpdateFlow {
    static func run(_ context: FlowContext) throws(OMError) -> (Outcome, [LineAdjustment]) {
        let lines = try OrderLinesBuilder.build(context.order)
        let params = context.params(amount: context.money(lines.amount))
        let fingerprint = lines.fingerprint
        var slot = context.ledger
        // With an attempt pending, what Klarna holds is unknown: the stored fingerprint proves nothing then.
        if slot.pending == nil, context.order.meta?.linesFingerprint == fingerprint {
            return (Outcome(.update, .updateUnchanged, success: true, note: .updateUnchanged, params: params), [])
        }
        let body = UpdateAuthorization(
            orderAmount: lines.amount, description: "Order \(context.orderReference) edited",
            orderLines: lines.lines)
        // Two passes: the second only when Klarna answered with an earlier attempt's stored answer.
        for _ in 0..<2 {
            let replayable = slot.mayReplayAnother(than: fingerprint)
            let receipt: KlarnaClient.Receipt
            do {
                receipt = try context.client.updateAuthorization(
                    context.klarnaOrderId, body, key: context.key(slot, for: fingerprint))
            } catch  where error.reach == .refused && replayable {
                // Possibly Klarna's stored refusal of the earlier attempt: this update was not judged yet.
                slot = slot.advanced
                continue
            } catch {
                var outcome = explain(error, params: params, context: context)
                outcome.ledger = slot.after(error, fingerprint: fingerprint) ?? (slot == context.ledger ? nil : slot)
                return (outcome, lines.adjustments)
            }
            if replayable {
                // The key carries an earlier attempt: a 204 may be Klarna's answer to that one. Its order tells.
                switch context.readOrder() {
                case .failure(let error):
                    var outcome = explain(error.unresolved, params: params, context: context)
                    outcome.ledger = slot.awaiting(fingerprint)
                    return (outcome, lines.adjustments)
                case .success(let order) where !holds(order, lines):
                    slot = slot.advanced
                    continue
                case .success:
                    break
                }
            }
            context.observations.record(.updated(amount: lines.amount))
            return (
                Outcome(
                    .update, .updated, success: true, note: .updated, params: params,
                    record: OrderRecord(linesFingerprint: fingerprint),
                    klarna: KlarnaDetails(
                        httpStatus: receipt.httpStatus, correlationId: receipt.correlationId,
                        klarnaOrderId: context.klarnaOrderId),
                    ledger: slot.advanced),
                lines.adjustments
            )
        }
        return (
            explain(
                OMError(.internalError, "the update could not be confirmed", reach: .unknown), params: params,
                context: context), lines.adjustments
        )
    }

    /// Whether Klarna's order holds exactly these lines and amount (names and links aside, which Klarna may cut).
    static func holds(_ order: Order, _ lines: LineSet) -> Bool {
        guard order.orderAmount == lines.amount, let held = order.orderLines, held.count == lines.lines.count else {
            return false
        }
        return zip(held, lines.lines).allSatisfy { held, sent in
            held.type == sent.type && held.reference == sent.reference && held.quantity == sent.quantity
                && held.totalAmount == sent.totalAmount && (held.totalTaxAmount ?? 0) == (sent.totalTaxAmount ?? 0)
        }
    }

    static func explain(_ error: OMError, params: [String: NoteParam], context: FlowContext) -> Outcome {
        let failure = params.with(NoteParams.failure(error))
        guard error.isRefusal else {
            return Outcome(
                .update, .updateFailed, success: false, note: .updateFailed, params: failure,
                orderStatus: OrderRules.holdStatus, klarna: error.klarna)
        }
        if case .success(let order) = context.readOrder() {
            if (order.capturedAmount ?? 0) > 0 {
                return Outcome(
                    .update, .updateRefusedCaptured, success: false, note: .updateRefusedCaptured,
                    params: failure, orderStatus: OrderRules.holdStatus, klarna: error.klarna)
            }
            if order.status == .cancelled {
                return Outcome(
                    .update, .updateRefused, success: false, note: .updateRefusedCancelled,
                    params: failure, orderStatus: OrderRules.holdStatus, klarna: error.klarna)
            }
        }
        return Outcome(
            .update, .updateRefused, success: false, note: .updateRefused, params: failure,
            orderStatus: OrderRules.holdStatus, klarna: error.klarna)
    }
}
