import OMCore
import OMKlarna

/// Cancel: WooCommerce status → Cancelled (or Refunded set by hand). Klarna cancels only orders with no capture;
/// when it refuses because money was captured, the order goes On hold with a note to refund first, because
/// WooCommerce must not show Cancelled or Refunded while Klarna keeps the customer's money.
enum CancelFlow {
    /// A cancel has no details: every attempt in a ledger slot is the same intent.
    static let fingerprint = "cancel"

    static func run(_ context: FlowContext) -> Outcome {
        let params = context.params()
        let slot = context.ledger
        do {
            let receipt = try context.client.cancelOrder(context.klarnaOrderId, key: context.key(slot))
            return Outcome(.cancel, "cancelled", success: true, note: "cancelled", params: params,
                           meta: ["_wc_klarna_cancelled": "yes"],
                           klarna: KlarnaDetails(httpStatus: receipt.httpStatus, correlationId: receipt.correlationId,
                                                 klarnaOrderId: context.klarnaOrderId),
                           ledger: slot.advanced)
        } catch {
            var outcome = explain(error, context: context, params: params)
            outcome.ledger = slot.after(error, fingerprint: fingerprint)
            return outcome
        }
    }

    static func explain(_ error: OMError, context: FlowContext, params: [String: NoteParam]) -> Outcome {
        let failure = params.with(NoteParams.failure(error))
        if error.isKlarnaRefusal(.klarnaCancelNotAllowed), case .success(let order) = context.readOrder() {
            if order.status == .cancelled {
                return Outcome(.cancel, "already_cancelled", success: true, note: "already_cancelled", params: params,
                               meta: ["_wc_klarna_cancelled": "yes"], klarna: error.klarna)
            }
            let captured = order.capturedAmount ?? 0
            if captured > 0 {
                var outcome = OrderRules.moneyHeld(context.order,
                                                   refundable: context.money(captured - (order.refundedAmount ?? 0)),
                                                   params: failure, klarna: error.klarna)
                if let first = order.captures?.first?.captureId { outcome.meta["_wc_klarna_capture_id"] = first }
                return outcome
            }
        }
        return Outcome(.cancel, "cancel_failed", success: false, note: "cancel_failed", params: failure,
                       orderStatus: OrderRules.holdStatus, klarna: error.klarna)
    }
}
