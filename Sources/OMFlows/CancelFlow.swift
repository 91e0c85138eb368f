import OMCore
import OMKlarna

/// Cancel: WooCommerce status → Cancelled. Klarna cancels only orders with no capture; when it refuses, the order
/// goes On hold with a note to refund instead, because WooCommerce must not show Cancelled while Klarna keeps the
/// customer's money.
enum CancelFlow {
    static func run(_ context: FlowContext) -> Outcome {
        let params = context.params()
        do {
            let receipt = try context.client.cancelOrder(context.klarnaOrderId, key: context.key("cancel"))
            return Outcome(.cancel, "cancelled", success: true, note: "cancelled", params: params,
                           meta: ["_wc_klarna_cancelled": "yes"],
                           klarna: KlarnaDetails(httpStatus: receipt.httpStatus, correlationId: receipt.correlationId,
                                                 klarnaOrderId: context.klarnaOrderId))
        } catch {
            return explain(error, context: context, params: params)
        }
    }

    static func explain(_ error: OMError, context: FlowContext, params: [String: NoteParam]) -> Outcome {
        let failure = params.with(NoteParams.failure(error))
        if error.code.rawValue == "klarna_cancel_not_allowed", let order = context.readOrder() {
            if order.status == .cancelled {
                return Outcome(.cancel, "already_cancelled", success: true, note: "already_cancelled", params: params,
                               meta: ["_wc_klarna_cancelled": "yes"], klarna: error.klarna)
            }
            if (order.capturedAmount ?? 0) > 0 {
                var meta: [String: String] = [:]
                if let first = order.captures?.first?.captureId { meta["_wc_klarna_capture_id"] = first }
                return Outcome(.cancel, "cancel_refused_captured", success: false, note: "cancel_refused_captured",
                               params: failure, orderStatus: OrderRules.holdStatus, meta: meta, klarna: error.klarna)
            }
        }
        return Outcome(.cancel, "cancel_failed", success: false, note: "cancel_failed", params: failure,
                       orderStatus: OrderRules.holdStatus, klarna: error.klarna)
    }
}
