import OMCore
import OMKlarna

/// What a capture must do, planned from Klarna's order: capture WooCommerce's total minus what Klarna has
/// captured, or say why that is done, too much already, or impossible.
enum CapturePlan {
    /// Send this capture.
    case capture(LineSet)
    /// The order total is zero and nothing is captured.
    case nothingToCapture
    /// Klarna has captured the order total.
    case done(Order)
    /// Klarna has captured more than the order total, by `excess`.
    case overCaptured(captured: Int64, excess: Int64)
    /// Klarna's order cannot take the capture (cancelled, expired, fraud review, too little authorized).
    case refused(note: NoteCode, params: [String: NoteParam], wanted: Int64)

    /// Plans from Klarna's order. `lines` are the order's lines, sent only when nothing is captured yet: a capture
    /// of what remains after an earlier capture goes as an amount.
    init(klarnaOrder: Order, lines: LineSet, context: FlowContext) throws(OMError) {
        let captured = klarnaOrder.capturedAmount ?? 0
        let wanted = try lines.amount.minus(captured)
        if wanted < 0 {
            // Klarna refunds WooCommerce has not recorded (made in the Merchant Portal) give the excess back.
            let outside = max(try (klarnaOrder.refundedAmount ?? 0).minus(context.order.refundedMinorUnits(gatewayOnly: true)), 0)
            let excess = try Int64(0).minus(wanted).minus(outside)
            self = excess > 0 ? .overCaptured(captured: captured, excess: excess) : .done(klarnaOrder)
            return
        }
        if wanted == 0 {
            self = captured == 0 ? .nothingToCapture : .done(klarnaOrder)
            return
        }
        let remaining = klarnaOrder.remainingAuthorizedAmount ?? 0
        switch klarnaOrder.status {
        case .cancelled?:
            self = .refused(note: .captureRefusedCancelled, params: [:], wanted: wanted)
        case .expired?, .closed?:
            self = .refused(note: .captureRefusedExpired, params: [:], wanted: wanted)
        default:
            if let fraud = klarnaOrder.fraudStatus, fraud != .accepted {
                self = .refused(note: .captureRefusedFraud, params: ["fraud_status": .text(fraud.rawValue)],
                                wanted: wanted)
            } else if wanted > remaining {
                self = .refused(note: .captureRefusedAmount,
                                params: ["difference": .text(context.money(try wanted.minus(remaining)).description),
                                         "remaining": .text(context.money(remaining).description)],
                                wanted: wanted)
            } else {
                self = .capture(captured == 0 ? lines : .amountOnly(wanted))
            }
        }
    }
}
