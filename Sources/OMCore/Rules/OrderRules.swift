/// The rules that decide, from the WooCommerce order alone, that an operation must not reach Klarna, and what to
/// tell the merchant instead. The flows consult them before any request; a nil answer means "go ahead".
public enum OrderRules {
    /// The gateways whose orders live at Klarna: Klarna Payments and Klarna Checkout (Kustom).
    public static let managedGateways: Set<String> = ["klarna_payments", "kco"]

    /// WooCommerce status for an order whose WooCommerce state claims what Klarna did not do.
    public static let holdStatus = "on-hold"

    public static func precheck(_ operation: OrderOperation, _ order: OrderSnapshot, total: Money) -> Outcome? {
        guard managedGateways.contains(order.paymentMethod) else {
            return Outcome(operation, "skipped_not_klarna", success: true)
        }
        if order.meta?.disconnected == true {
            return Outcome(operation, "skipped_disconnected", success: true, note: "skipped_disconnected")
        }
        let klarnaOrderId = order.klarna?.orderId.flatMap { $0.isEmpty ? nil : $0 }
        let captured = !(order.meta?.captureIds ?? []).isEmpty
        let params = NoteParams.amount(total).with(["klarna_order_id": .text(klarnaOrderId ?? "")])
        switch operation {
        case .cancel:
            guard klarnaOrderId != nil else { return Outcome(operation, "skipped_no_klarna_order", success: true) }
            if order.meta?.cancelled == true {
                return Outcome(operation, "already_cancelled", success: true, note: "already_cancelled", params: params)
            }
            if captured {
                return Outcome(operation, "cancel_refused_captured", success: false, note: "cancel_refused_captured",
                               params: params.with(["klarna_error": .text("")]), orderStatus: holdStatus)
            }
        case .update:
            guard klarnaOrderId != nil else { return Outcome(operation, "skipped_no_klarna_order", success: true) }
            if captured {
                return Outcome(operation, "update_refused_captured", success: false, note: "update_refused_captured",
                               params: params, orderStatus: holdStatus)
            }
        case .capture:
            guard klarnaOrderId != nil else {
                return Outcome(operation, "capture_refused", success: false, note: "capture_refused_no_klarna_order",
                               params: params, orderStatus: holdStatus)
            }
        case .refund:
            guard klarnaOrderId != nil else {
                return Outcome(operation, "refund_refused", success: false, note: "refund_refused_no_klarna_order",
                               params: params)
            }
        }
        return nil
    }
}
