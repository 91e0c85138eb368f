/// What the core knows of the Klarna order after an operation (the response's `state`; docs/contract.md, "The Klarna
/// side of an order"). The plugin stores it and sends it back as `order.meta.state`, and the order screen's Klarna box
/// is drawn from it alone, so a page view costs no Klarna call. A field the core does not know is nil, never a guess:
/// a box that shows less is better than one that shows what Klarna does not hold.
package struct KlarnaState: Sendable, Equatable {
    /// Whether the state comes from a read of Klarna's order in this operation (what the operation did after the
    /// read applied), or from the stored state with the operation's effect applied.
    package enum Source: String, Sendable {
        case read, derived
    }

    package var source: Source
    /// When the read this state comes from was made (ISO 8601, UTC); kept through derived states.
    package var readAt: String?
    package var klarnaOrderId: String?
    package var environment: String?
    package var region: String?
    /// Klarna's `status` (`AUTHORIZED`, `PART_CAPTURED`, `CAPTURED`, `CANCELLED`, `EXPIRED`, `CLOSED`).
    package var status: String?
    package var fraudStatus: String?
    package var currency: String?
    /// Minor units: Klarna's `order_amount`, `captured_amount`, `refunded_amount`, `remaining_authorized_amount`.
    package var authorized: Int64?
    package var captured: Int64?
    package var refunded: Int64?
    package var remaining: Int64?
    package var captures: [CaptureRecord]?
    package var refunds: [RefundRecord]?
    package var expiresAt: String?
    /// Klarna's Merchant Portal for the order's environment, where the merchant finds the order by its id.
    package var portalURL: String?

    package init(source: Source) {
        self.source = source
    }

    /// One capture: Klarna's id, amount, time and shipping info.
    package struct CaptureRecord: Sendable, Equatable {
        package var id: String?
        package var amount: Int64?
        package var capturedAt: String?
        package var shippingInfo: [ShippingInfo]?

        package init(id: String?, amount: Int64?, capturedAt: String? = nil, shippingInfo: [ShippingInfo]? = nil) {
            self.id = id
            self.amount = amount
            self.capturedAt = capturedAt
            self.shippingInfo = shippingInfo
        }
    }

    /// One refund: Klarna's id, amount and time.
    package struct RefundRecord: Sendable, Equatable {
        package var id: String?
        package var amount: Int64?
        package var refundedAt: String?

        package init(id: String?, amount: Int64?, refundedAt: String? = nil) {
            self.id = id
            self.amount = amount
            self.refundedAt = refundedAt
        }
    }
}
