import OMCore
import OMKlarna

/// Refund: the refund button on a Completed or partly refunded order. One POST with the amount and lines matched
/// to the original items. The amount never exceeds what was captured minus what was refunded; a failure comes back
/// with `success: false`, which the plugin turns into WooCommerce's refund error.
enum RefundFlow {
    static func run(_ context: FlowContext) throws(OMError) -> (Outcome, [LineAdjustment]) {
        guard let refund = context.request.refund else { throw OMError.missingField("refund") }
        let lines = try RefundLinesBuilder.build(order: context.order, refund: refund)
        let amount = context.money(lines.amount)
        let params = context.params(amount: amount)
        if let previous = refund.previouslyRefunded {
            let before = try previous.exactMinorUnits(exponent: context.currency.exponent)
            let (after, overflow) = before.addingReportingOverflow(lines.amount)
            if overflow || after > context.total.minorUnits {
                let error = OMError(.invalidAmount, "\(amount) plus \(context.money(before)) already refunded exceeds the order total \(context.total)")
                return (Outcome(.refund, "refund_refused", success: false, note: "refund_refused",
                                params: params.with(NoteParams.failure(error)).with(["klarna_error": .text(" (\(error.message))")])),
                        [])
            }
        }
        let body = RefundObject(refundedAmount: lines.amount, description: refund.reason.flatMap { $0.isEmpty ? nil : $0 },
                                reference: "refund-\(refund.id)", orderLines: lines.lines.isEmpty ? nil : lines.lines)
        do {
            let created = try context.client.createRefund(context.klarnaOrderId, body,
                                                          key: context.key("refund", String(refund.id)))
            return (Outcome(.refund, "refunded", success: true, note: "refunded",
                            params: params.with(["refund_id": .text(created.id)]),
                            meta: ["_klarna_om_refund_id_\(refund.id)": created.id],
                            klarna: KlarnaDetails(httpStatus: 201, correlationId: created.correlationId,
                                                  klarnaOrderId: context.klarnaOrderId, refundId: created.id)),
                    lines.adjustments)
        } catch {
            let failure = params.with(NoteParams.failure(error))
            let status = error.klarna?.httpStatus ?? 0
            if (400...499).contains(status), status != 409, status != 429 {
                let note = error.code.rawValue == "klarna_refund_not_allowed" && noCapture(context) ? "refund_refused_not_captured" : "refund_refused"
                return (Outcome(.refund, "refund_refused", success: false, note: note, params: failure, klarna: error.klarna),
                        lines.adjustments)
            }
            return (Outcome(.refund, "refund_failed", success: false, note: "refund_failed", params: failure,
                            klarna: error.klarna), lines.adjustments)
        }
    }

    /// Whether Klarna's order has no capture (read only to word the refusal).
    static func noCapture(_ context: FlowContext) -> Bool {
        (context.readOrder()?.capturedAmount ?? 1) == 0
    }
}
