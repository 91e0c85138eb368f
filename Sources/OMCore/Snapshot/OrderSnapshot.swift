/// One WooCommerce order as the plugin sees it at the moment of the merchant's action. Amounts are WooCommerce's
/// own decimal strings; the core converts them to minor units of `currency`.
package struct OrderSnapshot: Sendable {
    /// WooCommerce order id.
    package var id: Int64
    /// The order number the shop shows (may differ from `id` with sequential-number plugins).
    package var number: String?
    /// The order's WooCommerce status now, without `wc-`: what `sync` compares Klarna's order with.
    package var status: String?
    package var transition: StatusTransition?
    package var currency: Currency
    package var pricesIncludeTax: Bool?
    package var totals: OrderTotals
    package var items: [OrderLineItem]?
    package var shippingLines: [ShippingLine]?
    package var fees: [FeeLine]?
    package var coupons: [CouponLine]?
    package var giftCards: [GiftCardLine]?
    /// WooCommerce gateway id (`klarna_payments`, `kco`), for the record: the plugin calls the core only for the
    /// gateways it manages.
    package var paymentMethod: String?
    package var klarna: KlarnaOrderReference?
    package var meta: StoredOrderMeta?
    /// WooCommerce's refunds of this order, the one being created included.
    package var refunds: [OrderRefund]?
}

/// A WooCommerce status change, in WooCommerce's slugs without the `wc-` prefix.
package struct StatusTransition: Sendable {
    package var from: String
    package var to: String
}

/// The order's totals as WooCommerce computed them.
package struct OrderTotals: Sendable {
    package var total: DecimalAmount
    package var totalTax: DecimalAmount?
    package var shippingTotal: DecimalAmount?
    package var shippingTax: DecimalAmount?
    package var discountTotal: DecimalAmount?
    package var discountTax: DecimalAmount?
}

/// A product line (`WC_Order_Item_Product`).
package struct OrderLineItem: Sendable {
    package var itemId: Int64
    package var productId: Int64?
    package var variationId: Int64?
    package var sku: String?
    package var name: String
    package var quantity: Int64
    /// Before coupons, without tax.
    package var subtotal: DecimalAmount
    package var subtotalTax: DecimalAmount?
    /// After coupons, without tax.
    package var total: DecimalAmount
    package var totalTax: DecimalAmount?
    package var taxes: [TaxShare]?
    package var isVirtual: Bool?
    package var isDownloadable: Bool?
    package var productUrl: String?
    package var imageUrl: String?
    package var productDeleted: Bool?
}

/// One tax rate's share of a line, from the order's own tax data (never the shop's base rates).
package struct TaxShare: Sendable {
    package var rateId: Int64
    /// The rate in percent as WooCommerce stores it, e.g. "25.0000".
    package var percent: DecimalAmount
    package var amount: DecimalAmount
    /// The subtotal's tax for this rate, before coupons.
    package var subtotalAmount: DecimalAmount?
}

package struct ShippingLine: Sendable {
    package var itemId: Int64
    package var methodId: String?
    package var instanceId: String?
    package var name: String
    package var total: DecimalAmount
    package var totalTax: DecimalAmount?
    package var taxes: [TaxShare]?
}

package struct FeeLine: Sendable {
    package var itemId: Int64
    package var name: String
    /// Negative for a discount given as a fee.
    package var total: DecimalAmount
    package var totalTax: DecimalAmount?
    package var taxes: [TaxShare]?
}

package struct CouponLine: Sendable {
    package var itemId: Int64
    package var code: String
    package var discount: DecimalAmount
    package var discountTax: DecimalAmount?
}

/// A gift card or store credit that paid part of the order (from a gift-card plugin).
package struct GiftCardLine: Sendable {
    package enum Kind: String, Sendable {
        case giftCard = "gift_card"
        case storeCredit = "store_credit"
    }
    package var kind: Kind
    package var code: String?
    /// Klarna's `reference` for the line when the shop sets one (the existing plugin's `klarna_pw_gift_card_sku`);
    /// the code otherwise.
    package var reference: String?
    package var name: String?
    package var amount: DecimalAmount
}

/// What identifies the order at Klarna, as stored on the WooCommerce order.
package struct KlarnaOrderReference: Sendable {
    package var orderId: String?
    /// `_wc_klarna_environment` when stored: the order's own environment wins over the current setting.
    package var environment: String?
    package var region: String?
    package var purchaseCountry: String?
}

/// What the plugin stored from earlier responses (their `record`, `ledger` and `state`) and the merchant's switch.
package struct StoredOrderMeta: Sendable {
    /// `_wc_klarna_capture_id`: Klarna's captures the order recorded.
    package var captureIds: [String]?
    /// Fingerprint of the lines Klarna last accepted in an update.
    package var linesFingerprint: String?
    /// `_wc_klarna_cancelled`: Klarna confirmed a cancel earlier.
    package var cancelled: Bool?
    /// `_kom_disconnect`: the merchant switched order management off for this order.
    package var disconnected: Bool?
    /// `_klarna_om_ledger`: what the keys of this order's operations derive from.
    package var ledger: IntentLedger?
    /// `_klarna_om_state`: Klarna's order as the last response described it.
    package var state: KlarnaState?
}

/// One refund WooCommerce holds for the order, as stored (its amount positive).
package struct OrderRefund: Sendable {
    package var id: Int64
    package var amount: DecimalAmount
    /// The gateway returned the money: the refund went through Klarna (false for a refund recorded by hand).
    package var refundedPayment: Bool?
}

/// The WooCommerce refund being created.
package struct RefundSnapshot: Sendable {
    /// Absent when the gateway was called without a WooCommerce refund object. Never part of a key: WooCommerce
    /// deletes a refund whose gateway call failed, and the merchant's retry gets a new id.
    package var id: Int64?
    /// Positive amount being refunded, in the order's currency.
    package var amount: DecimalAmount
    package var reason: String?
    package var items: [RefundLine]?
    /// What WooCommerce had refunded on this order before this refund (positive). Superseded by `order.refunds`,
    /// read only when those are absent.
    package var previouslyRefunded: DecimalAmount?
}

/// A refunded part of one order item, matched to the original item by `item_id`.
package struct RefundLine: Sendable {
    package var itemId: Int64
    package var quantity: Int64?
    package var total: DecimalAmount
    package var totalTax: DecimalAmount?
}
