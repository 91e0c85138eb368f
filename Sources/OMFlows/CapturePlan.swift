import OMCore
import OMKlarna

/// What a capture must do, planned from Klarna's order (or, when none was read, from WooCommerce's alone): capture
/// WooCommerce's total minus what Klarna has captured, or one shipment of it, or say why that is done, too much
/// already, or impossible.
enum CapturePlan {
    /// Send this capture; `left` is what WooCommerce still expects once it is made.
    case capture(LineSet, left: Int64)
    /// The order total is zero and nothing is captured.
    case nothingToCapture
    /// Klarna has captured the order total.
    case done(Order)
    /// Klarna has captured more than the order total, by `excess`.
    case overCaptured(captured: Int64, excess: Int64)
    /// Klarna's order cannot take the capture (cancelled, expired, fraud review, too little authorized), or the
    /// shipment is more than WooCommerce still expects. `wanted` is the amount that was to be captured.
    case refused(note: NoteCode, params: [String: NoteParam], wanted: Int64)

    /// Without a read: nothing is known to be captured (no capture recorded, no attempt pending), so WooCommerce
    /// expects its whole total. `lines` are the order's lines.
    init(lines: LineSet, shipment: Shipment?, context: FlowContext) throws(OMError) {
        guard let shipment else {
            self = lines.amount == 0 ? .nothingToCapture : .capture(lines, left: 0)
            return
        }
        let set = try shipment.lines(first: true, context: context)
        self =
            set.amount > lines.amount
            ? .refused(
                note: .captureRefusedMoreThanLeft, params: ["left": .money(context.money(lines.amount))],
                wanted: set.amount)
            : .capture(set, left: lines.amount - set.amount)
    }

    /// Plans from Klarna's order. `lines` are the order's lines, sent only when nothing is captured yet: a capture
    /// of what remains after an earlier capture goes as an amount. A shipment sends its own lines, and never more
    /// than what remains.
    init(klarnaOrder: Order, lines: LineSet, shipment: Shipment?, context: FlowContext) throws(OMError) {
        let captured = klarnaOrder.capturedAmount ?? 0
        let (wanted, overflow) = lines.amount.subtractingReportingOverflow(captured)
        guard !overflow else { throw OMError(.amountOverflow, "Klarna's captured amount is out of range") }
        if wanted < 0 {
            let excess = try OrderRules.capturedBeyondTotal(
                context.order, total: lines.amount, captured: captured,
                refunded: klarnaOrder.refundedAmount ?? 0)
            self = excess > 0 ? .overCaptured(captured: captured, excess: excess) : .done(klarnaOrder)
            return
        }
        if wanted == 0 {
            self = captured == 0 ? .nothingToCapture : .done(klarnaOrder)
            return
        }
        let set =
            try shipment?.lines(first: captured == 0, context: context)
            ?? (captured == 0 ? lines : .amountOnly(wanted))
        let remaining = klarnaOrder.remainingAuthorizedAmount ?? 0
        switch klarnaOrder.status {
        case .cancelled?:
            self = .refused(note: .captureRefusedCancelled, params: [:], wanted: set.amount)
        case .expired?, .closed?:
            self = .refused(note: .captureRefusedExpired, params: [:], wanted: set.amount)
        default:
            if let fraud = klarnaOrder.fraudStatus, fraud != .accepted {
                self = .refused(
                    note: .captureRefusedFraud, params: ["fraud_status": .text(fraud.rawValue)],
                    wanted: set.amount)
            } else if set.amount > wanted {
                self = .refused(
                    note: .captureRefusedMoreThanLeft, params: ["left": .money(context.money(wanted))],
                    wanted: set.amount)
            } else if set.amount > remaining {
                self = .refused(
                    note: .captureRefusedAmount,
                    params: [
                        "difference": .money(context.money(set.amount.minusSaturating(remaining))),
                        "remaining": .money(context.money(remaining)),
                    ],
                    wanted: set.amount)
            } else {
                self = .capture(set, left: wanted - set.amount)
            }
        }
    }
}

/// One shipment of the order (`capture.items`): its lines depend on whether it is the order's first capture, which
/// takes the order-level lines and, unless told otherwise, the shipping.
struct Shipment {
    let request: CaptureRequest

    /// nil when the request captures what WooCommerce still expects rather than particular items.
    init?(_ request: CaptureRequest?) {
        guard let request, request.isShipment else { return nil }
        self.request = request
    }

    func lines(first: Bool, context: FlowContext) throws(OMError) -> LineSet {
        let set = try ShipmentLinesBuilder.build(
            context.order, items: request.items ?? [],
            shipping: request.shipping ?? first, orderLevelLines: first)
        guard set.amount > 0 else {
            throw OMError(
                .invalidField, "field `capture.items`: the shipment's lines add up to nothing to capture",
                field: "capture.items")
        }
        return set
    }
}
