import OMCore
import OMKlarna

/// Cancel: WooCommerce status → Cancelled (or Refunded set by hand). Klarna cancels only orders with no capture;
/// when it refuses because money was captured, the order goes On hold with a note to refund first, because
/// WooCommerce must not show Cancelled or Refunded while Klarna keeps the customer's money.
enum CancelFlow {
    /// A cancel has no details: every attempt in a ledger slot is the same intent.
    static let fingerprint = "cancel"

    static func run(_ context: FlowContext) throws(OMError) -> Outcome {
        let params = context.params()
        let slot = context.ledger
        if !(context.order.meta?.captureIds ?? []).isEmpty {
            // Klarna cancels no captured order. Its own numbers say whether it still holds the customer's money
            // (WooCommerce's total may have been edited since the capture).
            switch context.readOrder() {
            case .success(let order): return try moneyHeld(order, context: context, params: params, klarna: nil)
            case .failure(let error): return failed(error, params: params)
            }
        }
        do {
            let receipt = try context.client.cancelOrder(context.klarnaOrderId, key: context.key(slot))
            context.observations.record(.cancelled)
            return Outcome(.cancel, .cancelled, success: true, note: .cancelled, params: params,
                           meta: ["_wc_klarna_cancelled": "yes"],
                           klarna: KlarnaDetails(httpStatus: receipt.httpStatus, correlationId: receipt.correlationId,
                                                 klarnaOrderId: context.klarnaOrderId),
                           ledger: slot.advanced)
        } catch {
            var outcome = try explain(error, context: context, params: params)
            outcome.ledger = slot.after(error, fingerprint: fingerprint)
            return outcome
        }
    }

    static func explain(_ error: OMError, context: FlowContext, params: [String: NoteParam]) throws(OMError) -> Outcome {
        if error.isKlarnaRefusal(.klarnaCancelNotAllowed), case .success(let order) = context.readOrder() {
            if order.status == .cancelled {
                return Outcome(.cancel, .alreadyCancelled, success: true, note: .alreadyCancelled, params: params,
                               meta: ["_wc_klarna_cancelled": "yes"], klarna: error.klarna)
            }
            if (order.capturedAmount ?? 0) > 0 {
                return try moneyHeld(order, context: context, params: params.with(NoteParams.failure(error)),
                                     klarna: error.klarna)
            }
        }
        return failed(error, params: params)
    }

    /// Klarna's order has a capture: the status is true only once the customer has their money back.
    static func moneyHeld(_ order: Order, context: FlowContext, params: [String: NoteParam], klarna: KlarnaDetails?)
        throws(OMError) -> Outcome
    {
        var outcome = try OrderRules.moneyHeld(context.order, captured: order.capturedAmount ?? 0,
                                               refunded: order.refundedAmount ?? 0,
                                               params: params.with(["klarna_error": params["klarna_error"] ?? .text("")]),
                                               klarna: klarna)
        if let first = order.captures?.first?.captureId { outcome.meta["_wc_klarna_capture_id"] = first }
        return outcome
    }

    static func failed(_ error: OMError, params: [String: NoteParam]) -> Outcome {
        Outcome(.cancel, .cancelFailed, success: false, note: .cancelFailed, params: params.with(NoteParams.failure(error)),
                orderStatus: OrderRules.holdStatus, klarna: error.klarna)
    }
}
