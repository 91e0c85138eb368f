/// What the core knows of the Klarna order after an operation (the response's `state`; docs/contract.md, "The Klarna
/// side of an order"). The plugin stores it and sends it back as `order.meta.state`, and the order screen's Klarna box
/// is drawn from it alone, so a page view costs no Klarna call. A field the core does not know is nil, never a guess:
/// a box that shows less is better than one that shows what Klarna does not hold.
public struct KlarnaState: Sendable, Equatable {
    /// Whether the state comes from a read of Klarna's order in this operation (what the operation did after the
    /// read applied), or from the stored state with the operation's effect applied.
    public enum Source: String, Sendable {
        case read, derived
    }

    public var source: Source
    /// When the read this state comes from was made (ISO 8601, UTC); kept through derived states.
    public var readAt: String?
    public var klarnaOrderId: String?
    public var environment: String?
    public var region: String?
    /// Klarna's `status` (`AUTHORIZED`, `PART_CAPTURED`, `CAPTURED`, `CANCELLED`, `EXPIRED`, `CLOSED`).
    public var status: String?
    public var fraudStatus: String?
    public var currency: String?
    /// Minor units: Klarna's `order_amount`, `captured_amount`, `refunded_amount`, `remaining_authorized_amount`.
    public var authorized: Int64?
    public var captured: Int64?
    public var refunded: Int64?
    public var remaining: Int64?
    public var captures: [CaptureRecord]?
    public var refunds: [RefundRecord]?
    public var expiresAt: String?
    /// Klarna's Merchant Portal for the order's environment, where the merchant finds the order by its id.
    public var portalURL: String?

    public init(source: Source) {
        self.source = source
    }

    /// One capture: Klarna's id, amount, time and shipping info.
    public struct CaptureRecord: Sendable, Equatable {
        public var id: String?
        public var amount: Int64?
        public var capturedAt: String?
        public var shippingInfo: [ShippingInfo]?

        public init(id: String?, amount: Int64?, capturedAt: String? = nil, shippingInfo: [ShippingInfo]? = nil) {
            self.id = id
            self.amount = amount
            self.capturedAt = capturedAt
            self.shippingInfo = shippingInfo
        }
    }

    /// One refund: Klarna's id, amount and time.
    public struct RefundRecord: Sendable, Equatable {
        public var id: String?
        public var amount: Int64?
        public var refundedAt: String?

        public init(id: String?, amount: Int64?, refundedAt: String? = nil) {
            self.id = id
            self.amount = amount
            self.refundedAt = refundedAt
        }
    }
}
