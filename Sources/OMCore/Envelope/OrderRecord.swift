/// What an operation established about the order that later operations must know before they act: the response's
/// `record`. The plugin stores it on the order (php-glue's OrderMeta owns the storage keys, the established plugin's)
/// and sends it back in `order.meta`; the core never names a meta key.
package struct OrderRecord: Sendable, Equatable {
    /// Klarna's capture id: the capture just made, or one Klarna holds that the order has not recorded.
    package var captureId: String?
    /// Klarna's order is cancelled.
    package var cancelled: Bool
    /// The fingerprint of the lines Klarna now holds, which an update sent (`order.meta.lines_fingerprint`).
    package var linesFingerprint: String?
    /// Klarna's refund of one WooCommerce refund.
    package var refund: RecordedRefund?

    package init(
        captureId: String? = nil, cancelled: Bool = false, linesFingerprint: String? = nil,
        refund: RecordedRefund? = nil
    ) {
        self.captureId = captureId
        self.cancelled = cancelled
        self.linesFingerprint = linesFingerprint
        self.refund = refund
    }

    package var isEmpty: Bool { self == OrderRecord() }
}

/// A WooCommerce refund (`refund.id`) and the Klarna refund that carried it out.
package struct RecordedRefund: Sendable, Equatable {
    package var id: Int64
    package var klarnaRefundId: String

    package init(id: Int64, klarnaRefundId: String) {
        self.id = id
        self.klarnaRefundId = klarnaRefundId
    }
}
